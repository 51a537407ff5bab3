"""Small server-side SVG bar charts: no JavaScript, no CDN, readable without the picture too."""

from xml.sax.saxutils import escape

WIDTH, HEIGHT, PAD = 640, 180, 24


def bar_chart(series: list[tuple[str, int]], title: str) -> str:
    """One bar per (label, value); the caller shows the same numbers in a table beside it."""
    peak = max((value for _, value in series), default=0) or 1
    slot = (WIDTH - 2 * PAD) / max(len(series), 1)
    bars = []
    for index, (label, value) in enumerate(series):
        height = (HEIGHT - 2 * PAD) * value / peak
        x, y = PAD + index * slot, HEIGHT - PAD - height
        bars.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(slot - 2, 1):.1f}" height="{height:.1f}">'
            f"<title>{escape(label)}: {value}</title></rect>"
        )
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" '
        f'y2="{HEIGHT - PAD}" class="axis"/>{"".join(bars)}<text x="{PAD}" y="14">max {peak}</text></svg>'
    )
