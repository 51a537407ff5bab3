"""Small but real demo files: one-page PDFs for the whitepapers and SVG images."""

from xml.sax.saxutils import escape


def pdf_document(title: str, lines: list[str]) -> bytes:
    """A valid one-page PDF (Helvetica text) with a correct cross-reference table."""

    def pdf_text(text: str) -> str:
        safe = text.encode("latin-1", "replace").decode("latin-1")
        return safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    commands = ["BT", "/F1 20 Tf", "72 760 Td", f"({pdf_text(title)}) Tj", "/F1 11 Tf"]
    for line in lines:
        commands += ["0 -22 Td", f"({pdf_text(line)}) Tj"]
    commands.append("ET")
    stream = "\n".join(commands).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref_at,
    )
    return bytes(out)


def svg_image(label: str, background: str, width: int = 640, height: int = 360) -> bytes:
    """A simple illustrative SVG: a coloured card with a label."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">'
        f'<rect width="{width}" height="{height}" fill="{background}"/>'
        f'<circle cx="{width * 0.8:.0f}" cy="{height * 0.3:.0f}" r="{height * 0.22:.0f}" '
        'fill="#ffffff" fill-opacity="0.18"/>'
        f'<text x="40" y="{height - 48}" font-family="sans-serif" font-size="32" '
        f'fill="#ffffff">{escape(label)}</text></svg>\n'
    ).encode()
