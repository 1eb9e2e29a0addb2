"""Interactive exploration for JupyterLab: pick agency / theme / question and read the coded passages.

``coded_passages`` is the tested core; ``explorer`` wraps it in ipywidgets for ``notebooks/explore.ipynb``.
Passages are pseudonymised segment texts; HTML output escapes them.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from gtna_analysis.reports.analysis import participant_codings
from gtna_analysis.tables import Tables

ALL = "__all__"


def question_order(qid: str) -> tuple[int, str]:
    """Q2 < Q10 < Q10a: numeric part first, then the id."""
    match = re.match(r"Q(\d+)", qid)
    return (int(match.group(1)) if match else 10**6, qid)


def coded_passages(tables: Tables, agency: str | None = None, theme: str | None = None,
                   question: str | None = None, code: str | None = None, limit: int | None = None) -> pd.DataFrame:
    """Participant segments coded with the theme/code, optionally for one agency and question."""
    coded = participant_codings(tables.scope(agency))
    if theme:
        coded = coded[coded["theme_id"] == theme]
    if code:
        coded = coded[coded["code_id"] == code]
    if question:
        coded = coded[coded["question_id"] == question]
    by_segment = coded.groupby("segment_id").agg(codes=("code_id", lambda s: ", ".join(sorted(set(s)))),
                                                 matched=("matched_text", lambda s: "; ".join(dict.fromkeys(s))))
    segments = tables.segments.set_index("segment_id")
    out = by_segment.join(segments[["interview_id", "agency", "speaker_id", "question_id", "text"]], how="left")
    out = out.reset_index().sort_values(["agency", "interview_id", "segment_id"], kind="stable")
    return out.head(limit) if limit else out.reset_index(drop=True)


def passages_html(passages: pd.DataFrame) -> str:
    """Escaped HTML list of passages with their provenance."""
    items = [
        f"<blockquote><p>{html.escape(str(r.text))}</p><footer>{html.escape(str(r.interview_id))}, "
        f"{html.escape(str(r.speaker_id))} · {html.escape(str(r.question_id))} · <code>{html.escape(r.codes)}</code>"
        f"</footer></blockquote>"
        for r in passages.itertuples()
    ]
    return f"<p>{len(passages)} passage(s)</p>" + "".join(items)


def explorer(tables: Tables, lang: str = "en"):
    """Dropdowns for agency, theme and question; the passages update as you choose."""
    import ipywidgets as widgets
    from IPython.display import HTML, display

    themes = tables.codes.drop_duplicates("theme_id")
    agency = widgets.Dropdown(options=[("all", ALL)] + [(tables.agency_name(a, lang, short=True), a)
                                                       for a in tables.agencies], description="Agency")
    theme = widgets.Dropdown(options=[(r[f"theme_label_{lang}"], r["theme_id"]) for _, r in themes.iterrows()],
                             description="Theme")
    questions = sorted(tables.segments["question_id"].dropna().unique(), key=question_order)
    question = widgets.Dropdown(options=[("all", ALL)] + [(q, q) for q in questions], description="Question")
    out = widgets.Output()

    def refresh(*_: object) -> None:
        passages = coded_passages(tables, None if agency.value == ALL else agency.value, theme.value,
                                  None if question.value == ALL else question.value, limit=50)
        out.clear_output()
        with out:
            display(HTML(passages_html(passages)))

    for w in (agency, theme, question):
        w.observe(refresh, names="value")
    refresh()
    return widgets.VBox([widgets.HBox([agency, theme, question]), out])
