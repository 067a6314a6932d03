"""The trend chart's geometry (the template draws it as inline SVG).

Two series, told apart by line style and marker shape as well as colour, each
point labelled with its value; the same numbers are in a table next to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 20, 40
SERIES = (
    ("broken", "Broken links", "solid", "circle"),
    ("contact", "Contact problems (errors and warnings)", "dashed", "square"),
)


@dataclass
class Series:
    key: str
    label: str
    style: str
    marker: str
    points: list[tuple[float, float, int]] = field(default_factory=list)  # x, y, value

    @property
    def path(self) -> str:
        return " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y, _) in enumerate(self.points))


@dataclass
class Chart:
    width: int
    height: int
    series: list[Series]
    x_labels: list[tuple[float, str]]
    y_ticks: list[tuple[float, int]]
    baseline: float
    left: int
    right: int
    summary: str


def trend_chart(history: list[dict]) -> Chart | None:
    """Chart of problem counts over the comparable runs (oldest first); None with fewer than 2 runs."""
    if len(history) < 2:
        return None
    top = max([1] + [h[key] for h in history for key, *_ in SERIES])
    step = max(1, -(-top // 4))
    y_max = step * 4
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    xs = [LEFT + (plot_w * i / (len(history) - 1)) for i in range(len(history))]

    def y(v: int) -> float:
        return TOP + plot_h - plot_h * v / y_max

    series = []
    for key, label, style, marker in SERIES:
        series.append(Series(key, label, style, marker, [(x, y(h[key]), h[key]) for x, h in zip(xs, history)]))
    labels = [(x, f"run {h['id']}") for x, h in zip(xs, history)]
    ticks = [(y(v), v) for v in range(0, y_max + 1, step)]
    first, last = history[0], history[-1]
    summary = (f"Over the last {len(history)} runs, broken links went from {first['broken']} to {last['broken']} "
               f"and contact problems from {first['contact']} to {last['contact']}.")
    return Chart(WIDTH, HEIGHT, series, labels, ticks, y(0), LEFT, WIDTH - RIGHT, summary)
