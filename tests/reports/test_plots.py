"""Charts: Georgian labels really render (no missing glyphs), one style, deterministic PNG bytes."""

from __future__ import annotations

import itertools
import warnings

import matplotlib.pyplot as plt
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


# Labels are text (issue 14): each of these would be parsed as mathtext, and the unbalanced ones would raise.
HOSTILE = ["Cost $5 and $x^2_{a}$", r"C:\new\table $\alpha$", "under_score^caret $", r"$\frac{1}{0}$ agency"]


def _hostile_charts(width: float) -> list:
    from gtna_analysis.reports import plots as p

    prev = pd.DataFrame({"label": HOSTILE, "color": ["#0072B2"] * 4, "share_interviews": [0.8, 0.4, 0.2, 0.1],
                         "interviews": [4, 2, 1, 1]})
    contrast = pd.DataFrame({"label": HOSTILE, "color": ["#0072B2"] * 4, "share": [0.8, 0.4, 0.2, 0.0],
                             "share_others": [0.1, 0.4, 0.3, 0.2], "ci_low": [0.4, 0.1, 0.0, 0.0],
                             "ci_high": [1.0, 0.8, 0.6, 0.5], "significant": [True, False, False, False]})
    shares = pd.DataFrame([[0.5, 0.2, 0.1, 0.0], [0.1, 0.2, 0.3, 0.4]], index=[HOSTILE[0], HOSTILE[1]],
                          columns=HOSTILE)
    square = pd.DataFrame([[3, 1, 0, 2], [1, 4, 1, 0], [0, 1, 2, 1], [2, 0, 1, 5]], index=HOSTILE, columns=HOSTILE)
    prefs = pd.DataFrame({"kind": ["duration"] * 2, "interview_id": ["A", "B"], "speaker_id": ["P1", "P1"],
                          "agency": ["a", "b"], "duration_hours": [16.0, 8.0]})
    return [p.prevalence_bars(prev, "en", HOSTILE[1], width=width),
            p.contrast_chart(contrast, "en", HOSTILE[2], HOSTILE[0], HOSTILE[3], width=width),
            p.agency_dots(shares, shares > 0.3, "en", HOSTILE[0], width=width),
            p.heatmap(shares.T, HOSTILE[3], width=width),
            p.cooccurrence_triangle(square, HOSTILE[1], width=width),
            p.format_chart({"blended": 2}, "en", HOSTILE[2], width=width),
            p.duration_chart(prefs, "en", HOSTILE[0], labels={"a": HOSTILE[1], "b": HOSTILE[2]}, width=width)]


def test_dollar_backslash_underscore_and_caret_are_drawn_literally_in_every_chart() -> None:
    from matplotlib.text import Text

    for fig in _hostile_charts(plots.WIDE):
        plots.svg_bytes(fig)  # would raise a mathtext ParseException for the unbalanced "$"
        texts = [t for t in fig.findobj(Text) if t.get_text()]
        assert texts and not any(t.get_parse_math() or t.get_usetex() for t in texts)
        shown = " ".join(t.get_text() for t in texts)
        assert any(h.split()[0] in shown for h in HOSTILE), shown  # the text itself is kept, "$" and all
        plt.close(fig)


def test_every_chart_keeps_its_text_at_least_10_points_and_at_10_px_when_shown() -> None:
    for width in (plots.WIDE, plots.NARROW):
        for fig in _hostile_charts(width):
            assert plots.smallest_font_pt(fig) >= plots.MIN_FONT_PT, fig.get_label()
            rendering = plots.render(fig)
            # displayed at its min-width, the smallest text is exactly 10 CSS px (1 pt = 4/3 px), never less
            assert rendering.min_font_pt * 4 / 3 * rendering.min_width_px / rendering.width_px >= plots.MIN_FONT_PX
            if width == plots.NARROW and "heatmap" not in str(fig):
                assert rendering.width_px <= 1100  # wide drawings stay printable; narrow ones fit a phone or scroll


def test_chart_html_offers_a_wide_and_a_narrow_svg_and_is_deterministic() -> None:
    import re

    chart = plots.Chart("A <title> & \"quotes\"", lambda w: plots.prevalence_bars(_prevalence(), "ka", "სათაური",
                                                                                   width=w))
    html = plots.chart_html(chart)
    assert html == plots.chart_html(chart)
    assert html.count("data:image/svg+xml;base64,") == 2
    assert 'class="gtna-chart-scroll gtna-chart-wide"' in html and "gtna-chart-narrow" in html
    assert 'alt="A &lt;title&gt; &amp; &quot;quotes&quot;"' in html
    widths = [int(w) for w in re.findall(r' width="(\d+)"', html)]
    assert widths[0] == round(plots.WIDE * 96) and widths[1] == round(plots.NARROW * 96)
    wide_min, narrow_min = (int(m) for m in re.findall(r"min-width:(\d+)px", html))
    assert narrow_min <= 358 < wide_min  # the narrow drawing fits a 390 px phone (16 px margins) without scrolling


LONG_AND_SHORT = ["შრომის, ჯანმრთელობისა და სოციალური დაცვის სექტორის საკითხები და ინსტიტუციური მექანიზმები",
                  "სტატისტიკა", "ოჯახში ძალადობის პრევენცია და მსხვერპლთა დაცვის სისტემის გაძლიერება", "ბიუჯეტი",
                  "ცოდნა"]
MINISTRIES = ["შრომის, ჯანმრთელობისა და სოციალური დაცვის სამინისტრო", "განათლებისა და მეცნიერების სამინისტრო",
              "საქსტატი"]


def _row_charts(width: float) -> list:
    """The three charts with one row per theme, with labels of one to four lines next to each other."""
    n = len(LONG_AND_SHORT)
    prev = pd.DataFrame({"label": LONG_AND_SHORT, "color": ["#0072B2"] * n,
                         "share_interviews": [1.0, 0.8, 0.6, 0.4, 0.0], "interviews": [12, 10, 7, 5, 0]})
    contrast = pd.DataFrame({"label": LONG_AND_SHORT, "color": ["#0072B2"] * n, "share": [1.0, 0.4, 0.2, 0.0, 0.5],
                             "share_others": [0.1, 0.4, 0.3, 0.2, 0.5], "ci_low": [0.6, 0.1, 0.0, 0.0, 0.2],
                             "ci_high": [1.0, 0.8, 0.6, 0.5, 0.8], "significant": [True, False, False, False, False]})
    shares = pd.DataFrame([[0.5, 0.2, 0.1, 0.0, 1.0], [0.1, 0.2, 0.3, 0.4, 0.0], [0.9, 0.0, 0.5, 0.2, 0.1]],
                          index=MINISTRIES, columns=LONG_AND_SHORT)
    return [plots.prevalence_bars(prev, "ka", "პრიორიტეტები", width=width),
            plots.contrast_chart(contrast, "ka", "შედარება", MINISTRIES[0], "დანარჩენი უწყებები", width=width),
            plots.agency_dots(shares, shares > 0.8, "ka", "უწყებები", width=width)]


def test_row_labels_of_different_lengths_never_overlap_and_all_text_stays_inside_the_drawing() -> None:
    """At 390 px the theme labels wrap onto three or four lines; evenly spaced rows let them run into their
    neighbours, and a legend of two columns of ministry names ran off the drawing's left edge."""
    for width in (plots.WIDE, plots.NARROW):
        for fig in _row_charts(width):
            assert max(t.get_text().count("\n") for t in fig.axes[0].get_yticklabels()) >= 2  # really wrapped
            fig.canvas.draw()
            renderer = fig.canvas.get_renderer()
            boxes = sorted((t.get_window_extent(renderer) for t in fig.axes[0].get_yticklabels() if t.get_text()),
                           key=lambda b: b.y0)
            for lower, upper in itertools.pairwise(boxes):
                assert lower.y1 <= upper.y0, f"{fig.get_label()} at {width} in: row labels overlap"
            drawn = fig.get_tightbbox(renderer)  # inches: every text and mark that is drawn
            assert drawn.x0 >= -0.01 and drawn.x1 <= width + 0.01, \
                f"{fig.get_label()} at {width} in: text runs off the drawing ({drawn.x0:.2f}–{drawn.x1:.2f} in)"
            plt.close(fig)


def test_a_chart_whose_phone_drawing_is_its_wide_one_is_drawn_once() -> None:
    """The co-occurrence triangle of eight or more themes has the same width whatever width is asked for (it
    scrolls on a phone): one drawing serves both variants, the bytes those two drawings had."""
    import re

    for themes, drawings in ((12, 1), (4, 2)):
        names = [f"თემა {i}" for i in range(themes)]
        matrix = pd.DataFrame([[(i * j) % 5 + (i == j) * 9 for j in range(themes)] for i in range(themes)],
                              index=names, columns=names)
        chart = plots.cooccurrence_chart(matrix, "ერთად")
        calls: list[float] = []
        counted = plots.Chart(chart.title, lambda w, c=chart, seen=calls: seen.append(w) or c.draw(w),
                              chart.narrow_width)
        html = plots.chart_html(counted)
        assert len(calls) == drawings, themes
        wide, narrow = re.findall(r'src="([^"]+)"', html)
        separate = [plots.render(chart.draw(w)).svg for w in (plots.WIDE, plots.NARROW)]
        assert (wide == narrow) == (separate[0] == separate[1]) == (drawings == 1)
