"""The report chart as a PNG, drawn with matplotlib's Agg backend (no display needed).

A value the small-number rule hides is never drawn as a number or a bar of its height: its
month shows a hatched band up to the threshold, labelled "fewer than 5", which is all the
text report says of it.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from handlers.sessions.report_chart import ChartData

if TYPE_CHECKING:
    from matplotlib.figure import Figure

BAR_COLOUR = "#3b5ba5"
HIDDEN_COLOUR = "#b8b8b8"
MIN_SLOTS = 6


def figure(data: ChartData) -> Figure:
    """The chart, one panel per series; `png` saves it. Kept apart so tests can read the bars."""
    # Imported here: matplotlib takes a while to load, and only reports need it. Figure is
    # used directly (not pyplot), so no global state or GUI backend is involved.
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    labels = [month.label for month in data.months]
    positions = list(range(len(labels)))
    hidden_label = f"fewer than {data.smallest_shown}"
    panels = len(data.series)
    chart = Figure(figsize=(max(6.0, 0.6 * len(labels) + 2), 2.4 * panels + 0.8), dpi=100)
    chart.suptitle(data.heading, fontsize=13)
    axes = chart.subplots(panels, 1, sharex=True, squeeze=False)[:, 0]
    for ax, series in zip(axes, data.series, strict=True):
        shown = [(i, v) for i, v in enumerate(series.values) if v is not None]
        hidden = [i for i, v in enumerate(series.values) if v is None]
        bars = ax.bar(
            [i for i, _ in shown], [v for _, v in shown], color=BAR_COLOUR, width=0.7, gid="shown"
        )
        ax.bar_label(bars, labels=[f"{v:,}" for _, v in shown], padding=2, fontsize=8)
        if hidden:
            ax.bar(
                hidden,
                [data.smallest_shown] * len(hidden),
                color="none",
                edgecolor=HIDDEN_COLOUR,
                hatch="///",
                width=0.7,
                gid="hidden",
            )
            for i in hidden:
                ax.text(
                    i,
                    data.smallest_shown,
                    f"<{data.smallest_shown}",
                    ha="center",
                    va="bottom",
                    fontsize=8,
                    color="#555555",
                )
        ax.set_title(series.title, fontsize=10, loc="left")
        top = max([v for _, v in shown] + [data.smallest_shown, 1])
        ax.set_ylim(0, top * 1.25)
        ax.spines[["top", "right"]].set_visible(False)
        ax.yaxis.get_major_locator().set_params(integer=True)
        if not shown:
            # Nothing but hidden values: a scale beside the band would invite reading it.
            ax.set_yticks([])
    # Room for at least MIN_SLOTS months, so one or two bars keep a bar's width.
    axes[-1].set_xlim(-0.6, max(len(labels), MIN_SLOTS) - 0.4)
    axes[-1].set_xticks(positions, labels, rotation=45, ha="right", fontsize=8)
    chart.legend(
        handles=[Patch(facecolor="none", edgecolor=HIDDEN_COLOUR, hatch="///", label=hidden_label)],
        loc="lower right",
        fontsize=8,
        frameon=False,
    )
    chart.tight_layout(rect=(0, 0.03, 1, 0.97))
    return chart


def png(data: ChartData) -> bytes:
    buffer = io.BytesIO()
    figure(data).savefig(buffer, format="png")
    return buffer.getvalue()
