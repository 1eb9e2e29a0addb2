"""Charts: Georgian labels really render (no missing glyphs), one style, deterministic PNG bytes."""

from __future__ import annotations

import warnings

import pandas as pd
from matplotlib import font_manager

from gtna_analysis.reports import plots

GEORGIAN = "გენდერული თანასწორობა და ოჯახში ძალადობის პრევენცია"


def _prevalence() -> pd.DataFrame:
    return pd.DataFrame({"label": [GEORGIAN, "სქესის მიხედვით დაყოფილი მონაცემები"], "color": ["#0072B2", "#E69F00"],
                         "share_interviews": [0.8, 0.4], "interviews": [4, 2]})


def test_georgian_labels_render_without_missing_glyphs() -> None:
    plots.use_style()
    path = font_manager.findfont(font_manager.FontProperties(family=plots.FONT), fallback_to_default=False)
    assert "DejaVuSans" in path
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = plots.prevalence_bars(_prevalence(), "ka", "პრიორიტეტები")
        plots.png_bytes(fig)
    assert not [w for w in caught if "missing from font" in str(w.message)]
    font = font_manager.get_font(path)
    assert all(font.get_char_index(ord(ch)) for ch in GEORGIAN if not ch.isspace())


def test_long_labels_are_wrapped() -> None:
    assert "\n" in plots.wrap("შრომის, ჯანმრთელობისა და სოციალური დაცვის სამინისტრო", 28)


def test_png_is_deterministic_and_alt_text_is_the_title() -> None:
    a = plots.png_bytes(plots.prevalence_bars(_prevalence(), "ka", "სათაური"))
    fig = plots.prevalence_bars(_prevalence(), "ka", "სათაური")
    assert plots.png_bytes(fig) == a
    assert fig.get_label() == "სათაური"


def test_heatmap_and_preference_charts_build() -> None:
    matrix = pd.DataFrame([[0.5, 1.0], [0.0, 0.25]], index=[GEORGIAN, "B"], columns=["MoES", "MoLHSA"])
    assert plots.heatmap(matrix, "სათაური").axes
    assert plots.format_chart({"blended": 3, "online": 1}, "ka", "ფორმატი").axes
    prefs = pd.DataFrame({"kind": ["duration"] * 3, "interview_id": ["A", "A", "B"], "speaker_id": ["P1", "P2", "P1"],
                          "agency": ["moes", "moes", "geostat"], "duration_hours": [16.0, 8.0, 4.0]})
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)  # no deprecated Matplotlib arguments (seaborn's boxplot)
        fig = plots.duration_chart(prefs, "ka", "ხანგრძლივობა", labels={"moes": "განათლება"})
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["geostat", "განათლება"]


def test_cooccurrence_chart_shows_each_pair_once_and_theme_totals_in_labels() -> None:
    names = [GEORGIAN, "სტერეოტიპები", "ბარიერები", "ტრენინგის ფორმატი"]
    counts = [[9, 2, 3, 0], [2, 7, 4, 1], [3, 4, 8, 5], [0, 1, 5, 6]]
    fig = plots.cooccurrence_triangle(pd.DataFrame(counts, index=names, columns=names), "ერთად")
    ax = fig.axes[0]
    cells = sorted(int(t.get_text()) for t in ax.texts)
    assert cells == sorted([2, 3, 0, 4, 1, 5])  # the 6 pairs below the diagonal, each once; no diagonal
    rows = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    cols = [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()]
    assert rows == ["სტერეოტიპები (7)", "ბარიერები (8)", "ტრენინგის ფორმატი (6)"]
    assert cols[0] == f"{GEORGIAN} (9)" and len(cols) == 3
    assert fig.get_figwidth() <= 11  # fits a printed page
