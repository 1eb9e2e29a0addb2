"""Charts for the reports: one style, a colour-blind-safe palette, Georgian labels that render and wrap.

DejaVu Sans ships with matplotlib and covers Mkhedruli, so Georgian never falls back to empty boxes; long
Georgian labels (ministry names are long) are wrapped rather than shrunk.

Labels are text, never markup: agency names, theme labels and quotes come from user files, so matplotlib's
mathtext (``$…$``, ``\\``, ``_``, ``^``) is switched off for every text object (``text.parse_math`` and each
Text's ``parse_math``), and TeX is never used.

Every device: a chart is a :class:`Chart` (a title and a function drawing it at a given width), so a report can
show a wide drawing on screens and paper and a narrow one on phones, both as vector SVG (crisp at any zoom),
each with a minimum displayed width that keeps its smallest text at ≥ 10 CSS px.
"""

from __future__ import annotations

import base64
import io
import math
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg") if matplotlib.get_backend().lower() not in ("agg", "module://matplotlib_inline.backend_inline") \
    else None
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from .i18n import CHART_WORDS  # noqa: E402

FONT = "DejaVu Sans"
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
SEQUENTIAL = "cividis"  # perceptually uniform and colour-blind safe
FORMAT_COLORS = {"in_person": "#0072B2", "online": "#E69F00", "blended": "#009E73"}
MIN_FONT_PT = 10.0       # no text in a chart is set smaller than this (points, at the drawing's natural size)
MIN_FONT_PX = 10.0       # … and no chart is displayed so small that its text falls below this many CSS px
WIDE, NARROW = 8.0, 4.2  # drawing widths in inches: screens and A4 paper; phones (390 px)
CSS_PX_PER_INCH = 96.0


def _title(fig: Figure, title: str) -> None:
    """A figure-wide, left-aligned title wrapped to the figure's width (axes can be narrow next to long labels)."""
    fig.suptitle(wrap(title, int(fig.get_figwidth() * 8)), x=0.01, ha="left", fontweight="bold", fontsize=12)


def _finish(fig: Figure, title: str) -> Figure:
    """Literal text, tight layout, and the title kept as the figure label (the image's alt text in reports)."""
    literal_text(fig)
    fig.tight_layout()
    fig.set_label(title)
    return fig


def literal_text(fig: Figure) -> None:
    """Every text of the figure drawn as typed: no mathtext, whatever ``$``, ``\\``, ``_`` or ``^`` it holds.

    ``text.parse_math`` (set by :func:`use_style`) covers texts created afterwards; this covers any created
    before or by a library that passes its own setting."""
    for text in fig.findobj(Text):
        text.set_parse_math(False)
        text.set_usetex(False)


def smallest_font_pt(fig: Figure) -> float:
    """The smallest font size (points) of any visible, non-empty text in the figure."""
    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    return float(min(sizes)) if sizes else MIN_FONT_PT


def png_bytes(fig: Figure, dpi: int = 192) -> bytes:
    """PNG (2× screen resolution by default) without a timestamp or software stamp: same chart, same bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def svg_bytes(fig: Figure) -> bytes:
    """Vector SVG with glyphs as paths (Georgian renders without fonts on the reader's side), no date and a
    fixed id salt, so the same chart always gives the same bytes."""
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "gtna", "svg.fonttype": "path"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


@dataclass(frozen=True)
class Chart:
    """A chart a report can draw at any width: ``draw(width_inches)`` returns a new figure."""

    title: str
    draw: Callable[[float], Figure]
    narrow_width: float = NARROW

    def figure(self, width: float = WIDE) -> Figure:
        return self.draw(width)


@dataclass(frozen=True)
class Rendering:
    """One drawing of a chart: SVG bytes, its natural size in CSS px, and its smallest font size."""

    svg: bytes
    width_px: float
    height_px: float
    min_font_pt: float

    @property
    def min_width_px(self) -> int:
        """The narrowest display that keeps the smallest text at MIN_FONT_PX (1 pt = 4/3 CSS px)."""
        return math.ceil(self.width_px * MIN_FONT_PX / (self.min_font_pt * 4 / 3))


def render(fig: Figure) -> Rendering:
    """Draw a figure to SVG and measure it (then close it)."""
    width, height = fig.get_size_inches()
    out = Rendering(svg_bytes(fig), width * CSS_PX_PER_INCH, height * CSS_PX_PER_INCH, smallest_font_pt(fig))
    plt.close(fig)
    return out


def chart_html(chart: Chart, wide: Figure | None = None) -> str:
    """The chart as HTML: a wide SVG for screens and print and a narrow one for phones (CSS picks one), each
    never displayed below the width that keeps its text at ≥ 10 CSS px (a scroll box takes the rest).

    ``wide`` is the chart already drawn at the wide width (e.g. for its PNG): drawing is most of a report's time,
    so the same figure is saved again rather than drawn a second time (it is closed here)."""
    from html import escape

    parts = []
    drawn: dict[float, Rendering] = {}  # a chart whose phone drawing is its wide one is drawn once
    for variant, width in (("wide", WIDE), ("narrow", chart.narrow_width)):
        if width not in drawn:
            drawn[width] = render(wide if variant == "wide" and wide is not None else chart.draw(width))
        r = drawn[width]
        src = "data:image/svg+xml;base64," + base64.b64encode(r.svg).decode("ascii")
        parts.append(
            f'<div class="gtna-chart-scroll gtna-chart-{variant}"><img src="{src}" alt="{escape(chart.title)}" '
            f'width="{r.width_px:.0f}" height="{r.height_px:.0f}" data-min-font-px="{r.min_font_pt * 4 / 3:.2f}" '
            f'style="min-width:{r.min_width_px}px"></div>')
    return f'<figure class="gtna-chart">{"".join(parts)}</figure>'


def t(key: str, lang: str) -> str:
    return CHART_WORDS.get(key, {}).get(lang, key)


def use_style() -> None:
    """Apply the report style (idempotent): white grid, DejaVu Sans, readable sizes, Okabe–Ito colours."""
    sns.set_theme(style="whitegrid", context="notebook", palette=OKABE_ITO,
                  rc={"font.family": FONT, "font.sans-serif": [FONT], "axes.titleweight": "bold",
                      "axes.titlesize": 13, "axes.labelsize": 11, "figure.dpi": 100, "savefig.dpi": 110,
                      "svg.fonttype": "path", "axes.spines.top": False, "axes.spines.right": False,
                      "text.parse_math": False, "text.usetex": False, "font.size": 11,
                      "xtick.labelsize": MIN_FONT_PT, "ytick.labelsize": MIN_FONT_PT, "legend.fontsize": MIN_FONT_PT})


def wrap(label: str, width: int = 28) -> str:
    return "\n".join(textwrap.wrap(str(label), width=width, break_long_words=False)) or str(label)


def _label_chars(width: float) -> int:
    """Characters per line of a row label, for a drawing ``width`` inches wide (labels take ~40 % of it)."""
    return max(14, int(width * 3.6))


LINE_INCH = 0.2   # height of one line of a 10 pt row label in a bar chart
ROW_GAP = 0.5     # space between two rows' labels, in label lines
BAR_LINES = 1.2   # bar thickness, in label lines (the same for every row, whatever its label's length)
DOT_LINES = 2.0   # a dot chart's row: room for a ringed marker (15 pt), in label lines
DOT_ROW_GAP = 1.0
LEGEND_CHARS = 26  # characters per line of a legend entry (agency names)


def row_centres(line_counts: list[int], gap: float = ROW_GAP, least: float = BAR_LINES
                ) -> tuple[list[float], float]:
    """Where each row of a horizontal bar chart goes, in label lines from the top, and the rows' total height.

    Why not one row per unit: a theme label wrapped onto three or four lines (Georgian labels are long, and the
    phone drawing wraps them narrowly) needs three or four lines of height, and evenly spaced rows let it run
    into its neighbours' labels. Each row gets the height of its own label plus a gap, and never less than its
    bar (``least``: the marks' own height, in label lines)."""
    centres, top = [], 0.0
    for lines in line_counts:
        slot = max(lines, least) + gap
        centres.append(top + slot / 2)
        top += slot
    return centres, top


def prevalence_bars(prev: pd.DataFrame, lang: str, title: str, measure: str = "share_interviews",
                    top: int | None = None, width: float = WIDE) -> Figure:
    """Horizontal bars of a prevalence table (largest at the top), bars in the theme colours, % labels."""
    use_style()
    data = prev.head(top) if top else prev
    labels = [wrap(v, _label_chars(width)) for v in data["label"]]
    y, rows_height = row_centres([lbl.count("\n") + 1 for lbl in labels])
    # rows as tight as their labels allow (0.2 inch a label line, 10 pt text): the priorities chart follows
    # the report's first page of text and should fit under it on A4
    fig, ax = plt.subplots(figsize=(width, LINE_INCH * rows_height + 1.3))
    ax.barh(y, data[measure], height=BAR_LINES, color=data["color"].tolist(), edgecolor="white")
    ax.set_ylim(rows_height, 0)  # first row at the top; no margins: the rows' own gaps space them
    ax.set_yticks(y, labels)
    ax.set_xlim(0, 1.25 if width >= 6 else 1.42)  # room for "100% (12)" after a full bar, on a phone too
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    count_col = "interviews" if measure == "share_interviews" else "participants"
    for yi, (share, count) in zip(y, zip(data[measure], data[count_col], strict=True), strict=True):
        ax.text(share + 0.01, yi, f"{share:.0%} ({count})", va="center", fontsize=MIN_FONT_PT)
    ax.set_xlabel(t(measure, lang))
    _title(fig, title)
    ax.grid(axis="y", visible=False)
    return _finish(fig, title)


def heatmap(matrix: pd.DataFrame, title: str, label_width: int = 18, width: float = WIDE) -> Figure:
    """Annotated heatmap of shares (a breakdown × theme), 0–100 %. Needs room: columns keep ≥ 0.75 inch each,
    so a narrow drawing is wider than asked and scrolls on a phone rather than shrinking its text."""
    use_style()
    rows, cols = matrix.shape
    row_chars = _label_chars(width) + 4
    width = max(width, 0.75 * cols + row_chars / 9)
    fig, ax = plt.subplots(figsize=(width, max(2.6, 0.5 * rows + 1.8)))
    sns.heatmap(matrix, annot=True, fmt=".0%", cmap=SEQUENTIAL, vmin=0, vmax=1, cbar=False, linewidths=0.5,
                linecolor="white", ax=ax, annot_kws={"fontsize": MIN_FONT_PT})
    ax.set_xticklabels([wrap(c, label_width) for c in matrix.columns], rotation=0, fontsize=MIN_FONT_PT)
    ax.set_yticklabels([wrap(r, row_chars) for r in matrix.index], rotation=0, fontsize=MIN_FONT_PT)
    ax.set_xlabel("")
    ax.set_ylabel("")
    _title(fig, title)
    return _finish(fig, title)


def contrast_chart(contrast: pd.DataFrame, lang: str, title: str, me: str, others: str,
                   width: float = WIDE) -> Figure:
    """This agency against the others, theme by theme: the agency's share of participants (filled dot, with its
    95 % Wilson interval) and the others' share (open circle). A theme whose difference is beyond what chance
    among so few people would give (Fisher's exact test, p < 0.05) is marked ★ and drawn in the theme colour;
    the rest stay grey, so the eye goes to what really distinguishes the agency."""
    use_style()
    data = contrast.reset_index(drop=True)
    labels = [("★ " if sig else "") + wrap(v, _label_chars(width))
              for v, sig in zip(data["label"], data["significant"], strict=True)]
    y, rows_height = row_centres([lbl.count("\n") + 1 for lbl in labels], gap=DOT_ROW_GAP, least=DOT_LINES)
    fig, ax = plt.subplots(figsize=(width, LINE_INCH * rows_height + 2.0))
    for yi, row in zip(y, data.itertuples(), strict=True):
        color = row.color if row.significant else "#777777"
        ax.plot([row.ci_low, row.ci_high], [yi, yi], color=color, linewidth=2, alpha=0.6, solid_capstyle="butt")
        ax.plot([row.share_others], [yi], marker="o", markersize=8, markerfacecolor="white",
                markeredgecolor="#333333", linestyle="none")
        ax.plot([row.share], [yi], marker="o", markersize=8, color=color, linestyle="none")
    _share_rows_axis(ax, y, rows_height, labels, lang, margin=0.02)
    handles = [matplotlib.lines.Line2D([], [], marker="o", color="#333333", linestyle="none", markersize=8,
                                       label=wrap(me, LEGEND_CHARS)),
               matplotlib.lines.Line2D([], [], marker="o", markerfacecolor="white", markeredgecolor="#333333",
                                       linestyle="none", markersize=8, label=wrap(others, LEGEND_CHARS))]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.1 - 0.35 / fig.get_figheight()),
              bbox_transform=_figure_x_axes_y(fig, ax),
              ncol=2 if width >= 6 else 1, frameon=False)
    _title(fig, title)
    return _finish(fig, title)


def agency_dots(shares: pd.DataFrame, significant: pd.DataFrame, lang: str, title: str,
                width: float = WIDE) -> Figure:
    """Cross-agency comparison: one row per theme, one dot per agency (its share of participants). A dot with a
    black ring differs from the other agencies together beyond chance (Fisher's exact test, p < 0.05)."""
    use_style()
    themes = list(shares.columns)
    labels = [wrap(v, _label_chars(width)) for v in themes]
    y, rows_height = row_centres([lbl.count("\n") + 1 for lbl in labels], gap=DOT_ROW_GAP, least=DOT_LINES)
    fig, ax = plt.subplots(figsize=(width, LINE_INCH * rows_height + 2.2))
    markers = ["o", "s", "D", "^", "v", "P", "X", "h"]
    for k, agency in enumerate(shares.index):
        color = OKABE_ITO[k % len(OKABE_ITO)]
        marker = markers[k % len(markers)]
        ax.plot(shares.loc[agency].to_numpy(), y, marker=marker, linestyle="none", markersize=8, color=color,
                alpha=0.9, label=wrap(str(agency), LEGEND_CHARS))
        sig = significant.loc[agency].to_numpy()
        ax.plot(shares.loc[agency].to_numpy()[sig], [yy for yy, s in zip(y, sig, strict=True) if s],
                marker="o", markersize=15, markerfacecolor="none", markeredgecolor="black", markeredgewidth=1.5,
                linestyle="none")
    _share_rows_axis(ax, y, rows_height, labels, lang, margin=0.03)
    # agency names are long (a ministry's full name): wrapped, and one column on a phone, so the legend stays
    # inside the drawing (two columns of full names ran off its left edge at 390 px)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1 - 0.35 / fig.get_figheight()),
              bbox_transform=_figure_x_axes_y(fig, ax),
              ncol=min(len(shares.index), 3 if width >= 6 else 1), frameon=False)
    _title(fig, title)
    return _finish(fig, title)


def triangle_width(themes: int, width: float) -> float:
    """The co-occurrence triangle's drawing width (inches) for ``themes`` themes, asked for at ``width``: ~0.45 inch
    a column, at most 11 — with eight or more columns the same at every width asked for."""
    return min(11.0, max(width, 0.45 * (themes - 1) + 4.4))


def cooccurrence_chart(matrix: pd.DataFrame, title: str) -> Chart:
    """The triangle as a :class:`Chart`. When its phone drawing would be the wide one (enough themes that the
    triangle is wider than a phone at any width, and it scrolls), it is drawn once: the cross-agency report's
    costliest chart, drawn twice for the same bytes before."""
    n = len(matrix)
    same = triangle_width(n, NARROW) == triangle_width(n, WIDE)
    return Chart(title, lambda w: cooccurrence_triangle(matrix, title, width=w), WIDE if same else NARROW)


def cooccurrence_triangle(matrix: pd.DataFrame, title: str, label_width: int = 40, width: float = WIDE) -> Figure:
    """Theme pairs coded in the same segment: the lower triangle of a symmetric count matrix, diagonal left out.

    Why not the full square: each pair would appear twice and the diagonal (a theme's own segment count, much
    larger than any pair) would swallow the colour scale; the full 16 × 16 square also had to be ~21 inches wide
    to stay legible. Each theme's own count goes into its row label instead ("Barriers (75)"). The triangle needs
    ~0.4 inch per column, so on a phone it is drawn at that size and scrolls.
    """
    use_style()
    n = len(matrix)
    totals = [int(matrix.iat[i, i]) for i in range(n)]
    labels = [f"{name} ({total})" for name, total in zip(matrix.index, totals, strict=True)]
    pairs = matrix.iloc[1:, :-1].astype(float)
    hide = [[col > row for col in range(n - 1)] for row in range(n - 1)]  # cells above the diagonal
    fig, ax = plt.subplots(figsize=(triangle_width(n, width), min(11.0, 0.45 * (n - 1) + 3.2)))
    sns.heatmap(pairs, mask=pd.DataFrame(hide, index=pairs.index, columns=pairs.columns), annot=True, fmt=".0f",
                cmap="Blues", vmin=0, cbar=False, linewidths=0.5, linecolor="white", ax=ax,
                annot_kws={"fontsize": MIN_FONT_PT})
    ax.set_yticks([i + 0.5 for i in range(n - 1)], [wrap(v, 34) for v in labels[1:]], rotation=0,
                  fontsize=MIN_FONT_PT)
    ax.set_xticks([i + 0.5 for i in range(n - 1)], [wrap(v, label_width) for v in labels[:-1]], rotation=50,
                  ha="right", rotation_mode="anchor", fontsize=MIN_FONT_PT)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.grid(False)
    _title(fig, title)
    return _finish(fig, title)


def format_chart(format_counts: dict[str, int], lang: str, title: str, width: float = WIDE) -> Figure:
    """Participants preferring each training format."""
    use_style()
    keys = [k for k in ("in_person", "blended", "online") if k in format_counts] or ["in_person"]
    values = [format_counts.get(k, 0) for k in keys]
    fig, ax = plt.subplots(figsize=(min(width, 6.5), 0.55 * len(keys) + 1.6))
    ax.barh([t(k, lang) for k in keys][::-1], values[::-1], color=[FORMAT_COLORS[k] for k in keys][::-1])
    for i, v in enumerate(values[::-1]):
        ax.text(v + 0.05, i, str(v), va="center", fontsize=MIN_FONT_PT)
    ax.set_xlabel(t("participants", lang))
    ax.xaxis.get_major_locator().set_params(integer=True)
    _title(fig, title)
    ax.grid(axis="y", visible=False)
    return _finish(fig, title)


def duration_chart(preferences: pd.DataFrame, lang: str, title: str, by: str = "agency",
                   labels: dict[str, str] | None = None, width: float = WIDE) -> Figure:
    """Each participant's preferred duration (median of their mentions), one row per agency."""
    use_style()
    d = preferences[preferences["kind"] == "duration"].copy()
    d["participant_key"] = d["interview_id"] + ":" + d["speaker_id"]
    per = d.groupby([by, "participant_key"], as_index=False)["duration_hours"].median()
    per["group"] = per[by].map(lambda a: wrap((labels or {}).get(a, a), min(24, _label_chars(width))))
    fig, ax = plt.subplots(figsize=(width, 0.7 * max(per["group"].nunique(), 1) + 1.8))
    if not per.empty:
        order = list(dict.fromkeys(per["group"]))
        # matplotlib's own boxplot: seaborn's passes the ``vert`` argument Matplotlib 3.11 deprecates
        ax.boxplot([per.loc[per["group"] == g, "duration_hours"].to_numpy() for g in order],
                   positions=range(len(order)), tick_labels=order, orientation="horizontal", widths=0.5,
                   patch_artist=True, showfliers=False, boxprops={"facecolor": "#DDDDDD", "edgecolor": "#555555"},
                   medianprops={"color": "#555555"}, whiskerprops={"color": "#555555"},
                   capprops={"color": "#555555"})
        # swarm, not strip: strip jitter is random and would make reports differ between runs
        sns.swarmplot(data=per, x="duration_hours", y="group", order=order, color=OKABE_ITO[0], size=7, alpha=0.85,
                      ax=ax)
    ax.set_xlabel(t("hours", lang))
    ax.set_ylabel("")
    ax.set_xlim(left=0)
    _title(fig, title)
    return _finish(fig, title)


def _figure_x_axes_y(fig: Figure, ax) -> matplotlib.transforms.Transform:
    """x across the whole figure, y along the axes: a legend under the axes, centred on the drawing rather than
    on the axes (which sit right of the theme labels), so a wide legend does not run off the right edge."""
    return matplotlib.transforms.blended_transform_factory(fig.transFigure, ax.transAxes)


def _share_rows_axis(ax, y, rows_height: float, labels: list[str], lang: str, margin: float) -> None:
    """The shared frame of the dot charts of shares: one labelled row per theme (at ``y``, from
    :func:`row_centres`), a 0–100 % axis of participants (``margin`` leaves room for the markers at 0 and 100 %),
    no horizontal grid lines."""
    ax.set_yticks(y, labels)
    ax.set_ylim(rows_height, 0)  # first row at the top
    ax.set_xlim(-margin, 1 + margin)
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(t("share_participants", lang))
    ax.grid(axis="y", visible=False)
