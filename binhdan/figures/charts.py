"""Charts as inline SVG, drawn at build time: the phone downloads no chart library.

Every chart has a <title> and a <desc> (a sentence saying what it shows), is readable 360 px
wide, and never relies on colour alone: values and statuses are written as text, targets are
dashed. Pages put a table with the same numbers next to each chart.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

WIDTH = 320
INK = "#1a202c"
MUTED = "#4a5568"
LINE = "#0b4f8a"  # 8.6:1 on white
TARGET = "#a84300"  # 5.9:1 on white
BEHIND = "#a84300"
GRID = "#cbd5e0"


@dataclass(frozen=True)
class Point:
    label: str  # "10/26"
    value: float
    text: str  # the value as written on the page: "72,5%"
    year: int


@dataclass(frozen=True)
class Bar:
    name: str
    value: float | None
    text: str  # "72,5% – đúng tiến độ" (value and status in words)
    target: float | None
    behind: bool


def _svg(chart_id: str, height: float, title: str, summary: str, body: list[str]) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>' + "".join(body) + "</svg>")


def _scale_top(values: Sequence[float], percent: bool) -> float:
    if percent:
        return 100.0
    top = max([*values, 1.0])
    return top * 1.15


def trend(chart_id: str, points: list[Point], targets: list[tuple[int, float, str]],
          percent: bool, title: str, summary: str) -> str:
    """A line over the periods, each year's target a dashed line over that year's periods.

    `targets`: (year, value, text) for the years the periods cover."""
    height = 190.0
    left, right, top, bottom = 34.0, 10.0, 14.0, 30.0
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    maximum = _scale_top([p.value for p in points] + [t[1] for t in targets], percent)

    def x(index: int) -> float:
        return left + (plot_w * index / max(len(points) - 1, 1))

    def y(value: float) -> float:
        return top + plot_h * (1 - value / maximum)

    body: list[str] = []
    for tick in (0.0, maximum / 2, maximum):
        body.append(f'<line x1="{left}" x2="{WIDTH - right}" y1="{y(tick):.1f}" '
                    f'y2="{y(tick):.1f}" stroke="{GRID}" stroke-width="1"/>')
        label = f"{tick:.0f}{'%' if percent else ''}"
        body.append(f'<text x="{left - 4}" y="{y(tick) + 4:.1f}" font-size="10" '
                    f'text-anchor="end" fill="{MUTED}">{label}</text>')
    for year, value, text in targets:
        span = [i for i, p in enumerate(points) if p.year == year]
        if not span:
            continue
        start = x(span[0]) - (6 if len(points) > 1 else 0)
        end = x(span[-1]) + 6
        start, end = max(start, left), min(max(end, start + 12), WIDTH - right)
        body.append(f'<line x1="{start:.1f}" x2="{end:.1f}" y1="{y(value):.1f}" '
                    f'y2="{y(value):.1f}" stroke="{TARGET}" stroke-width="2" '
                    f'stroke-dasharray="6 4"/>')
        anchor = "end" if span[-1] == len(points) - 1 else "start"
        body.append(f'<text x="{end if anchor == "end" else start:.1f}" '
                    f'y="{y(value) - 5:.1f}" font-size="10" text-anchor="{anchor}" '
                    f'fill="{TARGET}">{escape(text)}</text>')
    if points:
        path = " ".join(f"{x(i):.1f},{y(p.value):.1f}" for i, p in enumerate(points))
        body.append(f'<polyline points="{path}" fill="none" stroke="{LINE}" '
                    f'stroke-width="2.5"/>')
        for i, point in enumerate(points):
            body.append(f'<circle cx="{x(i):.1f}" cy="{y(point.value):.1f}" r="3.2" '
                        f'fill="{LINE}"/>')
        last = points[-1]
        body.append(f'<text x="{x(len(points) - 1) - 4:.1f}" y="{y(last.value) + 16:.1f}" '
                    f'font-size="12" font-weight="700" text-anchor="end" fill="{LINE}">'
                    f"{escape(last.text)}</text>")
        step = max(len(points) // 4, 1)
        shown = {i for i in range(0, len(points), step) if len(points) - 1 - i >= step / 2}
        for i in sorted(shown | {0, len(points) - 1}):
            anchor = "start" if i == 0 else "end" if i == len(points) - 1 else "middle"
            body.append(f'<text x="{x(i):.1f}" y="{height - 10}" font-size="10" '
                        f'text-anchor="{anchor}" fill="{MUTED}">'
                        f"{escape(points[i].label)}</text>")
    return _svg(chart_id, height, title, summary, body)


def bars(chart_id: str, rows: list[Bar], percent: bool, title: str, summary: str,
         target_word: str) -> str:
    """One bar per locality, the name and the value with its status written above it, the
    locality's target as a dashed mark."""
    row_h = 40.0
    height = 8 + row_h * len(rows) + 16
    left, right = 4.0, 10.0
    plot_w = WIDTH - left - right
    maximum = _scale_top([r.value or 0 for r in rows] + [r.target or 0 for r in rows],
                         percent)
    body: list[str] = []
    for i, row in enumerate(rows):
        top = 8 + i * row_h
        body.append(f'<text x="{left}" y="{top + 11}" font-size="11" fill="{INK}">'
                    f'<tspan font-weight="700">{escape(row.name)}</tspan> '
                    f"{escape(row.text)}</text>")
        body.append(f'<rect x="{left}" y="{top + 16}" width="{plot_w}" height="14" '
                    f'fill="#edf2f7"/>')
        if row.value is not None:
            width = plot_w * min(row.value / maximum, 1)
            color = BEHIND if row.behind else LINE
            body.append(f'<rect x="{left}" y="{top + 16}" width="{width:.1f}" height="14" '
                        f'fill="{color}"/>')
        if row.target is not None:
            tx = left + plot_w * min(row.target / maximum, 1)
            body.append(f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{top + 13}" '
                        f'y2="{top + 33}" stroke="{INK}" stroke-width="2" '
                        f'stroke-dasharray="3 2"/>')
    body.append(f'<text x="{left}" y="{height - 4}" font-size="10" fill="{MUTED}">'
                f'┆ {escape(target_word)}</text>')
    return _svg(chart_id, height, title, summary, body)


def formatter(number: Callable[[float, int], str], percent: bool) -> Callable[[float], str]:
    """How values read on the page: "72,5%" (vi) or "72.5%" (en), counts as whole numbers."""
    def text(value: float) -> str:
        return f"{number(value, 1)}%" if percent else number(value, 0)

    return text
