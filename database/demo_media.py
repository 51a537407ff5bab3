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


def svg_dashboard(background: str, width: int = 640, height: int = 420) -> bytes:
    """The home page's illustration: a dashboard card with a week of bars and a trend line."""
    bars = [0.55, 0.72, 0.48, 0.81, 0.63, 0.39, 0.44]
    step, base, top = (width - 120) / len(bars), height - 60, 110
    rects = "".join(
        f'<rect x="{60 + i * step + step * 0.2:.0f}" y="{base - (base - top) * v:.0f}" '
        f'width="{step * 0.6:.0f}" height="{(base - top) * v:.0f}" rx="6" fill="#ffffff" '
        f'fill-opacity="{0.55 + 0.05 * i:.2f}"/>'
        for i, v in enumerate(bars)
    )
    trend = " ".join(
        f"{60 + i * step + step / 2:.0f},{base - (base - top) * (0.75 - 0.05 * i):.0f}"
        for i in range(len(bars))
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">'
        f'<rect width="{width}" height="{height}" rx="18" fill="{background}"/>'
        f'<rect x="40" y="36" width="{width * 0.35:.0f}" height="18" rx="9" fill="#ffffff" fill-opacity="0.8"/>'
        f'<rect x="40" y="66" width="{width * 0.22:.0f}" height="12" rx="6" fill="#ffffff" fill-opacity="0.5"/>'
        f'{rects}<polyline points="{trend}" fill="none" stroke="#ffd966" stroke-width="5" '
        'stroke-linecap="round" stroke-linejoin="round"/></svg>\n'
    ).encode()


def svg_portrait(background: str, size: int = 320) -> bytes:
    """A presenter's placeholder portrait: a head and shoulders, no text to crop."""
    middle = size / 2
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}" role="img">'
        f'<rect width="{size}" height="{size}" fill="{background}"/>'
        f'<circle cx="{middle:.0f}" cy="{size * 0.38:.0f}" r="{size * 0.17:.0f}" fill="#ffffff" fill-opacity="0.85"/>'
        f'<ellipse cx="{middle:.0f}" cy="{size * 0.95:.0f}" rx="{size * 0.34:.0f}" ry="{size * 0.3:.0f}" '
        'fill="#ffffff" fill-opacity="0.85"/></svg>\n'
    ).encode()


def svg_logo(background: str, name: str) -> bytes:
    """A badge logo: a lightning mark and the name in white on the brand colour, readable on a
    light or a dark page alike."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="220" height="48" viewBox="0 0 220 48" role="img">'
        f'<rect width="220" height="48" rx="10" fill="{background}"/>'
        '<path d="M27 7 14 27h9l-3 14 14-21h-9z" fill="#ffd966"/>'
        '<text x="46" y="31" font-family="system-ui, sans-serif" font-size="19" font-weight="700" '
        f'fill="#ffffff">{escape(name)}</text></svg>\n'
    ).encode()
