"""Charts for the reports: one style, a colour-blind-safe palette, Georgian labels that render and wrap.

DejaVu Sans ships with matplotlib and covers Mkhedruli, so Georgian never falls back to empty boxes; long
Georgian labels (ministry names are long) are wrapped rather than shrunk.
"""

from __future__ import annotations

import textwrap

import matplotlib

matplotlib.use("Agg") if matplotlib.get_backend().lower() not in ("agg", "module://matplotlib_inline.backend_inline") \
    else None
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from .i18n import CHART_WORDS  # noqa: E402

FONT = "DejaVu Sans"
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
SEQUENTIAL = "cividis"  # perceptually uniform and colour-blind safe
FORMAT_COLORS = {"in_person": "#0072B2", "online": "#E69F00", "blended": "#009E73"}


def _title(fig: Figure, title: str) -> None:
    """A figure-wide, left-aligned title wrapped to the figure's width (axes can be narrow next to long labels)."""
    fig.suptitle(wrap(title, int(fig.get_figwidth() * 9)), x=0.01, ha="left", fontweight="bold", fontsize=13)


def _finish(fig: Figure, title: str) -> Figure:
    """Tight layout, and the title kept as the figure label: it becomes the image's alt text in reports."""
    fig.tight_layout()
    fig.set_label(title)
    return fig


def png_bytes(fig: Figure) -> bytes:
    """PNG without a timestamp or software stamp, so the same chart always gives the same bytes."""
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
    return buffer.getvalue()


def t(key: str, lang: str) -> str:
    return CHART_WORDS.get(key, {}).get(lang, key)


def use_style() -> None:
    """Apply the report style (idempotent): white grid, DejaVu Sans, readable sizes, Okabe–Ito colours."""
    sns.set_theme(style="whitegrid", context="notebook", palette=OKABE_ITO,
                  rc={"font.family": FONT, "font.sans-serif": [FONT], "axes.titleweight": "bold",
                      "axes.titlesize": 13, "axes.labelsize": 11, "figure.dpi": 100, "savefig.dpi": 110,
                      "svg.fonttype": "path", "axes.spines.top": False, "axes.spines.right": False})


def wrap(label: str, width: int = 28) -> str:
    return "\n".join(textwrap.wrap(str(label), width=width, break_long_words=False)) or str(label)


def prevalence_bars(prev: pd.DataFrame, lang: str, title: str, measure: str = "share_interviews",
                    top: int | None = None) -> Figure:
    """Horizontal bars of a prevalence table (largest at the top), bars in the theme colours, % labels."""
    use_style()
    data = prev.head(top) if top else prev
    fig, ax = plt.subplots(figsize=(8.5, 0.45 * len(data) + 1.4))
    y = range(len(data))[::-1]
    ax.barh(list(y), data[measure], color=data["color"].tolist(), edgecolor="white")
    ax.set_yticks(list(y), [wrap(v) for v in data["label"]])
    ax.set_xlim(0, 1.08)
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    count_col = "interviews" if measure == "share_interviews" else "participants"
    for yi, (share, count) in zip(y, zip(data[measure], data[count_col], strict=True), strict=True):
        ax.text(share + 0.01, yi, f"{share:.0%} ({count})", va="center", fontsize=9)
    ax.set_xlabel(t(measure, lang))
    _title(fig, title)
    ax.grid(axis="y", visible=False)
    return _finish(fig, title)


def heatmap(matrix: pd.DataFrame, title: str, label_width: int = 18) -> Figure:
    """Annotated heatmap of shares (agency × theme, or a breakdown × theme), 0–100 %."""
    use_style()
    rows, cols = matrix.shape
    fig, ax = plt.subplots(figsize=(max(6.0, 1.1 * cols + 3.5), max(2.6, 0.5 * rows + 1.6)))
    sns.heatmap(matrix, annot=True, fmt=".0%", cmap=SEQUENTIAL, vmin=0, vmax=1, cbar=False, linewidths=0.5,
                linecolor="white", ax=ax, annot_kws={"fontsize": 9})
    ax.set_xticklabels([wrap(c, label_width) for c in matrix.columns], rotation=0, fontsize=8)
    ax.set_yticklabels([wrap(r, 34) for r in matrix.index], rotation=0, fontsize=9)
    ax.set_xlabel("")
    ax.set_ylabel("")
    _title(fig, title)
    return _finish(fig, title)


def cooccurrence_triangle(matrix: pd.DataFrame, title: str, label_width: int = 40) -> Figure:
    """Theme pairs coded in the same segment: the lower triangle of a symmetric count matrix, diagonal left out.

    Why not the full square: each pair would appear twice and the diagonal (a theme's own segment count, much
    larger than any pair) would swallow the colour scale; the full 16 × 16 square also had to be ~21 inches wide
    to stay legible. Each theme's own count goes into its row label instead ("Barriers (75)").
    """
    use_style()
    n = len(matrix)
    totals = [int(matrix.iat[i, i]) for i in range(n)]
    labels = [f"{name} ({total})" for name, total in zip(matrix.index, totals, strict=True)]
    pairs = matrix.iloc[1:, :-1].astype(float)
    hide = [[col > row for col in range(n - 1)] for row in range(n - 1)]  # cells above the diagonal
    fig, ax = plt.subplots(figsize=(min(11.0, 0.5 * (n - 1) + 4.2), min(10.0, 0.42 * (n - 1) + 2.4)))
    sns.heatmap(pairs, mask=pd.DataFrame(hide, index=pairs.index, columns=pairs.columns), annot=True, fmt=".0f",
                cmap="Blues", vmin=0, cbar=False, linewidths=0.5, linecolor="white", ax=ax,
                annot_kws={"fontsize": 8})
    ax.set_yticks([i + 0.5 for i in range(n - 1)], [wrap(v, 34) for v in labels[1:]], rotation=0, fontsize=8.5)
    ax.set_xticks([i + 0.5 for i in range(n - 1)], [wrap(v, label_width) for v in labels[:-1]], rotation=50,
                  ha="right", rotation_mode="anchor", fontsize=8)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.grid(False)
    _title(fig, title)
    return _finish(fig, title)


def format_chart(format_counts: dict[str, int], lang: str, title: str) -> Figure:
    """Participants preferring each training format."""
    use_style()
    keys = [k for k in ("in_person", "blended", "online") if k in format_counts] or ["in_person"]
    values = [format_counts.get(k, 0) for k in keys]
    fig, ax = plt.subplots(figsize=(6.5, 0.55 * len(keys) + 1.4))
    ax.barh([t(k, lang) for k in keys][::-1], values[::-1], color=[FORMAT_COLORS[k] for k in keys][::-1])
    for i, v in enumerate(values[::-1]):
        ax.text(v + 0.05, i, str(v), va="center", fontsize=10)
    ax.set_xlabel(t("participants", lang))
    ax.xaxis.get_major_locator().set_params(integer=True)
    _title(fig, title)
    ax.grid(axis="y", visible=False)
    return _finish(fig, title)


def duration_chart(preferences: pd.DataFrame, lang: str, title: str, by: str = "agency",
                   labels: dict[str, str] | None = None) -> Figure:
    """Each participant's preferred duration (median of their mentions), one row per agency."""
    use_style()
    d = preferences[preferences["kind"] == "duration"].copy()
    d["participant_key"] = d["interview_id"] + ":" + d["speaker_id"]
    per = d.groupby([by, "participant_key"], as_index=False)["duration_hours"].median()
    per["group"] = per[by].map(lambda a: wrap((labels or {}).get(a, a), 24))
    fig, ax = plt.subplots(figsize=(8.0, 0.7 * max(per["group"].nunique(), 1) + 1.6))
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
