"""Report building blocks called by the notebooks: each function returns escaped HTML or a figure.

The notebooks stay thin — parameters, then one call per section — so the logic is here, tested, and every
report (agency or cross-agency, Georgian or English) is assembled from the same pieces.
"""

from __future__ import annotations

import base64
import datetime as _dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from gtna_analysis import __version__
from gtna_analysis.schema import LANGUAGES
from gtna_analysis.tables import Tables

from . import analysis, plots
from . import translations as translations_
from .excerpts import excerpt
from .i18n import CHART_TITLES, CHART_WORDS, GROUP_LABELS, REPORT_TITLES, TITLES
from .narrative import render

SECTIONS = {
    "agency": ["profile", "priorities", "position", "training", "quotes", "questions", "method"],
    "cross": ["profile", "priorities", "position", "breakdown", "training", "cooccurrence", "method"],
}


@dataclass
class ReportContext:
    tables: Tables
    agency: str | None
    lang: str
    questions: dict[str, dict[str, str]]
    generated_at: str
    topics: dict[str, str] | None = None
    study: Path | None = None  # the study folder, where agency memos live (memos/agency/<id>.md)
    translations: translations_.Translations = translations_.EMPTY

    @classmethod
    def load(cls, processed: str | Path, agency: str | None, lang: str, study: str | Path | None = None
             ) -> ReportContext:
        tables = Tables.load(processed)
        if agency is not None and agency not in tables.agencies:
            known = ", ".join(tables.agencies)
            raise ValueError(f"agency {agency!r} has no interviews in {processed} (known: {known})")
        return cls.from_tables(tables, agency, lang, study)

    @classmethod
    def from_tables(cls, tables: Tables, agency: str | None, lang: str, study: str | Path | None = None
                    ) -> ReportContext:
        """A context over tables already loaded (the translations export builds one per report)."""
        if lang not in LANGUAGES:
            raise ValueError("lang must be 'ka' or 'en'")
        questions: dict[str, dict[str, str]] = {}
        topics: dict[str, str] = {}
        if study is not None and (Path(study) / "study.yml").exists():
            from gtna_analysis.study import load_study

            loaded = load_study(study).questions
            questions = {q.id: q.text for q in loaded}
            topics = {q.id: q.topic for q in loaded}
        stamp = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        return cls(tables, agency, lang, questions, stamp, topics, Path(study) if study else None,
                   translations_.load(study))

    @cached_property
    def recommendation(self) -> analysis.Recommendation:
        """Computed once per report: the training section's text and charts both use it."""
        return analysis.training_recommendation(self.tables, self.agency, self.lang)

    @cached_property
    def priorities(self) -> pd.DataFrame:
        """Theme prevalence in answers to the priorities question(s), training themes left out."""
        prev = analysis.prevalence(self.tables, "theme", self.lang, self.agency, questions=self.priority_questions)
        return prev[~prev["id"].isin(TRAINING_THEMES)]

    @cached_property
    def contrast(self) -> pd.DataFrame:
        """This agency against all the others, theme by theme (priorities answers; Fisher's exact test)."""
        return analysis.agency_contrast(self.tables, self.agency, self.lang, self.priority_questions,
                                        TRAINING_THEMES)

    @cached_property
    def comparison(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        return analysis.agency_comparison(self.tables, self.lang, self.priority_questions, TRAINING_THEMES)

    @property
    def thin(self) -> bool:
        return analysis.is_thin(len(self.scoped.interviews), len(self.scoped.participants))

    @cached_property
    def cooccurrence(self) -> pd.DataFrame:
        return analysis.cooccurrence(self.tables, "theme", self.lang, self.agency)

    @property
    def priority_questions(self) -> list[str] | None:
        """Questionnaire items about priorities (topic 'priorities'); None when unknown → count all answers."""
        ids = [q for q, topic in (self.topics or {}).items() if topic == "priorities"]
        return ids or None

    @property
    def kind(self) -> str:
        return "cross" if self.agency is None else "agency"

    @property
    def scoped(self) -> Tables:
        return self.tables.scope(self.agency)

    def title(self) -> str:
        if self.agency is None:
            return REPORT_TITLES["cross"][self.lang]
        return self.tables.agency_name(self.agency, self.lang)

    def heading(self, section: str) -> Markup:
        number = SECTIONS[self.kind].index(section) + 1
        return render("report/heading.html.j2", id=section, number=number, text=TITLES[section][self.lang])


def header(ctx: ReportContext) -> Markup:
    """Title block, fictional-data notice and table of contents."""
    toc = [(s, TITLES[s][ctx.lang]) for s in SECTIONS[ctx.kind]]
    return render("report/header.html.j2", ctx=ctx, title=ctx.title(), toc=toc,
                  running_title=Markup(css_string(f"GTNA · {ctx.title()}")),
                  study_title=ctx.tables.manifest.get("study_title", {}).get(ctx.lang, ""),
                  fictional=ctx.tables.manifest.get("fictional", False))


def css_string(text: str) -> str:
    """Text safe inside a double-quoted CSS string in a <style> element: every character that could end the
    string, the rule or the element (quote, backslash, angle brackets, newlines) as a CSS hex escape."""
    return "".join(f"\\{ord(ch):x} " if ch in '"\\<>&\n\r\'' or ord(ch) < 32 else ch for ch in text)


def profile(ctx: ReportContext) -> Markup:
    prof = analysis.sample_profile(ctx.tables, ctx.agency)
    per_agency = []
    if ctx.agency is None:
        for a in ctx.tables.agencies:
            p = analysis.sample_profile(ctx.tables, a)
            per_agency.append((ctx.tables.agency_name(a, ctx.lang, short=True), p))
    return ctx.heading("profile") + render("report/profile.html.j2", ctx=ctx, prof=prof, per_agency=per_agency,
                                           thin=ctx.thin)


def priorities_text(ctx: ReportContext) -> Markup:
    prev = ctx.priorities
    n = len(ctx.scoped.interviews)
    asked = ", ".join(ctx.priority_questions or [])
    question = (ctx.questions.get(ctx.priority_questions[0], {}).get(ctx.lang, "")
                if ctx.priority_questions else "")
    return ctx.heading("priorities") + render("report/priorities.html.j2", ctx=ctx, prev=prev.head(5), n=n,
                                              thin=ctx.thin, asked=asked, question=question)


TRAINING_THEMES = ("training_objectives", "training_format", "training_duration", "training_content", "participants",
                   "barriers")


def priorities_chart(ctx: ReportContext) -> plots.Chart:
    prev, lang = ctx.priorities, ctx.lang
    if ctx.priority_questions:
        title = CHART_TITLES["priorities_asked"][lang].format(questions=", ".join(ctx.priority_questions))
    else:
        title = CHART_TITLES["priorities_all"][lang]
    return plots.Chart(title, lambda w: plots.prevalence_bars(prev, lang, title, width=w))


def position_text(ctx: ReportContext) -> Markup:
    n_agencies = len(ctx.tables.agencies)
    more, less, marked = [], [], 0
    if ctx.agency is not None and n_agencies > 1:
        contrast = ctx.contrast
        more = contrast[contrast["significant"] & (contrast["difference"] > 0)].to_dict("records")
        less = contrast[contrast["significant"] & (contrast["difference"] < 0)].to_dict("records")
    elif ctx.agency is None:
        marked = int(ctx.comparison[1].to_numpy().sum()) if not ctx.comparison[1].empty else 0
    return ctx.heading("position") + render("report/position.html.j2", ctx=ctx, more=more, less=less,
                                            marked=marked, n_agencies=n_agencies,
                                            asked=", ".join(ctx.priority_questions or []))


def position_chart(ctx: ReportContext) -> list:
    """This agency against the others (agency report) or every agency side by side (cross-agency report), in
    shares of participants naming each theme as a priority, differences beyond chance marked."""
    if len(ctx.tables.agencies) < 2:
        return []
    lang = ctx.lang
    if ctx.agency is None:
        shares, marks = ctx.comparison
        if shares.empty:
            return []
        title = CHART_TITLES["comparison"][lang]
        return [plots.Chart(title, lambda w: plots.agency_dots(shares, marks, lang, title, width=w))]
    contrast = ctx.contrast
    if contrast.empty:
        return []
    me = ctx.tables.agency_name(ctx.agency, lang, short=True)
    title = CHART_TITLES["contrast"][lang].format(agency=me)
    others = CHART_WORDS["others"][lang]
    return [plots.Chart(title, lambda w: plots.contrast_chart(contrast, lang, title, me, others, width=w))]


def _training_labels(ctx: ReportContext) -> set[str]:
    codes = ctx.tables.codes
    return set(codes[codes["theme_id"].isin(TRAINING_THEMES)][f"theme_label_{ctx.lang}"])


def training_evidence(ctx: ReportContext) -> tuple[list[dict], dict[str, list[int]]]:
    """The quotes behind the recommendation (annotated with their translations) and each element's quote
    numbers."""
    rec = ctx.recommendation
    if rec.from_designs:
        evidence, refs = _numbered_evidence(ctx, _element_segments(ctx, rec), limit=8)
    else:
        evidence, refs = _evidence_quotes(ctx, _format_evidence(ctx, rec), limit=4), {}
    return [translations_.annotate(q, ctx.lang, ctx.translations) for q in evidence], refs


def training_text(ctx: ReportContext) -> Markup:
    rec = ctx.recommendation
    plan = analysis.programme(ctx.tables, ctx.lang) if ctx.agency is None and rec.from_designs else None
    evidence, refs = training_evidence(ctx)
    return ctx.heading("training") + render("report/training.html.j2", ctx=ctx, rec=rec, evidence=evidence,
                                            programme=plan, refs=refs)


def _element_segments(ctx: ReportContext, rec: analysis.Recommendation) -> dict[str, list[str]]:
    """For each element of the recommendation, the answers it rests on (a few each): format, duration, every
    group tier and the most requested topics — so a reader can check each claim against people's words."""
    designs = ctx.scoped.designs
    own = designs[designs["scope"] == "self"].drop_duplicates("participant_key")
    out: dict[str, list[str]] = {"format": _spread(own[own["format_primary"] == rec.format], 2)}
    with_hours = own.dropna(subset=["total_hours"])
    if rec.duration_hours_median is not None and len(with_hours):
        closest = with_hours.assign(d=(with_hours["total_hours"] - rec.duration_hours_median).abs())
        out["duration"] = _spread(closest.sort_values("d", kind="stable"), 2)
    for tier in rec.tiers:
        out[f"tier:{tier['scope']}"] = _spread(designs[designs["scope"] == tier["scope"]], 1)
    coded = analysis.participant_codings(ctx.scoped)
    coded = coded[(coded["theme_id"] == "training_content") & (coded["polarity"] == "stated")] \
        if "polarity" in coded else coded[coded["theme_id"] == "training_content"]
    asked = {q for q, topic in (ctx.topics or {}).items() if topic == "training_content"}
    coded = coded.assign(direct=~coded["question_id"].isin(asked)).sort_values("direct", kind="stable")
    labels = ctx.tables.codes.set_index("code_id")[f"code_label_{ctx.lang}"]  # answers to the content question first
    for _, group_labels in rec.content_groups[:2]:
        for label in group_labels:
            ids = [c for c, lbl in labels.items() if str(lbl).startswith(label)]
            out[f"topic:{label}"] = _spread(coded[coded["code_id"].isin(ids)], 1)
    return out


def _spread(rows: pd.DataFrame, n: int) -> list[str]:
    """Up to ``n`` segment ids from different interviews, in the rows' order."""
    picked: list[str] = []
    seen: set[str] = set()
    for sid, interview in zip(rows["segment_id"], rows["interview_id"], strict=True):
        if interview not in seen and isinstance(sid, str) and sid:
            picked.append(sid)
            seen.add(interview)
        if len(picked) >= n:
            break
    return picked


def _numbered_evidence(ctx: ReportContext, elements: dict[str, list[str]], limit: int
                       ) -> tuple[list[dict], dict[str, list[int]]]:
    """The quotes behind the elements, numbered once each, and each element's quote numbers (for links)."""
    seg = ctx.scoped.segments.set_index("segment_id")
    numbers: dict[str, int] = {}
    quotes: list[dict] = []
    refs: dict[str, list[int]] = {}
    for element, segment_ids in elements.items():
        for sid in segment_ids:
            if sid not in seg.index:
                continue
            if sid not in numbers:
                if len(quotes) >= limit:
                    continue
                row = seg.loc[sid]
                numbers[sid] = len(quotes) + 1
                quotes.append({"n": numbers[sid], **_segment_quote(sid, row, ctx.lang)})
            refs.setdefault(element, []).append(numbers[sid])
    return quotes, refs


def _segment_quote(segment_id: str, row: pd.Series, report_lang: str) -> dict:
    """A whole answer as evidence: its first sentences (up to the excerpt limit), in its own language."""
    text = str(row["text"])
    lang = str(row.get("language") or report_lang)
    return {"segment_id": segment_id, "quote": excerpt(text, 0, len(text), lang), "language": lang,
            "speaker": f"{row['interview_id']}, {row['speaker_id']}", "question_id": row["question_id"]}


def training_charts(ctx: ReportContext) -> list[plots.Chart]:
    rec, lang = ctx.recommendation, ctx.lang
    charts = []
    if rec.format_counts:
        title = CHART_TITLES["format"][lang]
        counts = rec.format_counts
        charts.append(plots.Chart(title, lambda w: plots.format_chart(counts, lang, title, width=w)))
    prefs = _duration_points(ctx.tables) if rec.from_designs else ctx.tables.preferences
    if (prefs["kind"] == "duration").any():
        labels = {a: ctx.tables.agency_name(a, lang, short=True) for a in ctx.tables.agencies}
        title_d = CHART_TITLES["duration"][lang]
        charts.append(plots.Chart(title_d, lambda w: plots.duration_chart(prefs, lang, title_d, labels=labels,
                                                                          width=w)))
    return charts


def _duration_points(tables: Tables) -> pd.DataFrame:
    """Each participant's summed design (own scope) in the shape the duration chart reads."""
    own = tables.designs[tables.designs["scope"] == "self"].drop_duplicates("participant_key")
    own = own.dropna(subset=["total_hours"])
    return pd.DataFrame({"interview_id": own["interview_id"], "agency": own["agency"],
                         "speaker_id": own["speaker_id"], "kind": "duration", "duration_hours": own["total_hours"]})


def _format_evidence(ctx: ReportContext, rec: analysis.Recommendation) -> list[str]:
    """Answers stating the recommended format first, taking agencies and interviews in turn, then the rest."""
    if rec.from_designs:
        own = ctx.scoped.designs[ctx.scoped.designs["scope"] == "self"].drop_duplicates("participant_key")
        formats = own.assign(format=own["format_primary"])
    else:
        prefs = ctx.scoped.preferences
        formats = prefs[prefs["kind"] == "format"]
    first = formats[formats["format"] == rec.format].drop_duplicates("segment_id").copy()
    first["turn"] = first.groupby("agency").cumcount()
    ordered = first.sort_values(["turn", "agency", "segment_id"], kind="stable")["segment_id"].tolist()
    return ordered + [s for s in rec.evidence_segments if s not in set(ordered)]


def _evidence_quotes(ctx: ReportContext, segment_ids: list[str], limit: int) -> list[dict]:
    seg = ctx.scoped.segments.set_index("segment_id")
    out = []
    seen_interviews: set[str] = set()
    for sid in segment_ids:
        if sid not in seg.index:
            continue
        row = seg.loc[sid]
        if row["interview_id"] in seen_interviews:
            continue
        seen_interviews.add(row["interview_id"])
        out.append(_segment_quote(sid, row, ctx.lang))
        if len(out) >= limit:
            break
    return out


def quote_blocks(ctx: ReportContext, themes: int = 5, per_theme: int = 2) -> list[dict]:
    """The most frequent themes, each with its representative quotes (annotated with translations)."""
    prev = analysis.prevalence(ctx.tables, "theme", ctx.lang, ctx.agency)
    prev = prev[(~prev["id"].isin(TRAINING_THEMES)) & (prev["interviews"] > 0)].head(themes)
    blocks = []
    for row in prev.itertuples():
        q = analysis.representative_quotes(ctx.tables, row.id, ctx.agency, per_theme, ctx.lang)
        blocks.append({"label": row.label, "color": row.color,
                       "quotes": [translations_.annotate(r, ctx.lang, ctx.translations)
                                  for r in q.to_dict("records")]})
    return blocks


def quotes(ctx: ReportContext) -> Markup:
    blocks = quote_blocks(ctx)
    return ctx.heading("quotes") + render("report/quotes.html.j2", ctx=ctx, blocks=blocks)


def questions(ctx: ReportContext) -> Markup:
    summary = analysis.question_summary(ctx.tables, ctx.questions, ctx.lang, ctx.agency)
    return ctx.heading("questions") + render("report/questions.html.j2", ctx=ctx,
                                             rows=summary.to_dict("records") if not summary.empty else [])


def breakdown_text(ctx: ReportContext) -> Markup:
    sizes = {a: ctx.scoped.participants[a].value_counts().to_dict() for a in ("mode", "level", "gender")}
    smallest = min((n for group in sizes.values() for n in group.values()), default=0)
    return ctx.heading("breakdown") + render("report/breakdown.html.j2", ctx=ctx, smallest=smallest)


def breakdown_chart(ctx: ReportContext):
    """Share of participants in each mode / seniority / gender group raising each theme, side by side."""
    labels = GROUP_LABELS.get(ctx.lang, {})
    parts = [analysis.breakdown(ctx.tables, attribute, ctx.lang, ctx.agency, labels)
             for attribute in ("mode", "level", "gender")]
    matrix = pd.concat(parts, axis=1)
    matrix = matrix.loc[[r for r in matrix.index if r not in _training_labels(ctx)]]
    title = CHART_TITLES["breakdown"][ctx.lang]
    return plots.Chart(title, lambda w: plots.heatmap(matrix, title, label_width=12, width=w))


def cooccurrence_chart(ctx: ReportContext):
    matrix = ctx.cooccurrence
    if len(matrix) < 2:
        return []  # nothing coded yet (the section text says so), or a single theme, which has no pairs
    title = CHART_TITLES["cooccurrence"][ctx.lang]
    return plots.cooccurrence_chart(matrix, title)


def cooccurrence_text(ctx: ReportContext) -> Markup:
    empty = ctx.cooccurrence.empty
    return ctx.heading("cooccurrence") + render("report/cooccurrence.html.j2", ctx=ctx, empty=empty)


def method(ctx: ReportContext) -> Markup:
    m = ctx.tables.manifest
    coded = ctx.scoped.codings
    sources = coded["source"].value_counts().to_dict() if len(coded) else {}
    return ctx.heading("method") + render("report/method.html.j2", ctx=ctx, m=m, version=__version__,
                                          sources=sources, n_codes=len(ctx.tables.codes),
                                          n_segments=int((ctx.scoped.segments["speaker_role"] == "participant").sum()))


def analysts_note(ctx: ReportContext) -> Markup:
    """The agency memo (``<study>/memos/agency/<id>.md``, written in the explore workbench) as a delimited
    "Analyst's note"; nothing when there is none. The memo is pseudonymised like the transcripts (see notes.py),
    then rendered as Markdown with raw HTML escaped."""
    from .notes import report_memo

    memo = report_memo(ctx.study, ctx.agency)
    if memo is None:
        return Markup("")
    title = Markup("<h3>{}</h3>").format(TITLES["analysts_note"][ctx.lang] + (f": {memo.title}" if memo.title else ""))
    return Markup('<aside class="analysts-note" role="note" style="border:1px solid #999;border-left:4px solid '
                  '#0072B2;padding:.5em 1em;margin:1em 0">{}{}</aside>').format(title, memo.html())


def show(*items: object, word_copy: bool = False) -> None:
    """Display report pieces in a notebook: HTML fragments as HTML, charts as wide and narrow SVG, figures as
    inline PNG (then closed).

    ``word_copy``: store a 2× PNG of each chart with it, for the Word (.docx) copy (Word cannot show the SVG).
    Only a batch asked for Word copies needs it, and it costs a third drawing-and-saving of every chart, so it is
    off otherwise; the page looks the same either way (the HTML shows the SVG)."""
    import matplotlib.pyplot as plt
    from IPython.display import HTML, Image, display
    from matplotlib.figure import Figure

    for item in items:
        if isinstance(item, list | tuple):
            show(*item, word_copy=word_copy)
        elif isinstance(item, plots.Chart):
            fig = item.figure()
            data = {}
            if word_copy:  # the PNG from the drawing the wide SVG is then saved from
                data["image/png"] = base64.b64encode(plots.png_bytes(fig)).decode("ascii")
            html = plots.chart_html(item, wide=fig)  # wide SVG from that drawing (closes it), then the narrow one
            display({"text/html": html, **data}, raw=True,
                    metadata={"image/png": {"alt": item.title}} if word_copy else {})
        elif isinstance(item, Figure):
            display(Image(data=plots.png_bytes(item), format="png", metadata={"alt": item.get_label()}))
            plt.close(item)
        elif isinstance(item, Markup):
            display(HTML(str(item)))
        else:
            display(item)


# What each section shows, in order: its text, then its charts. The notebooks render SECTIONS[kind] through
# show_report, so the section list and numbering live here only.
SECTION_PARTS: dict[str, tuple] = {
    "profile": (profile, analysts_note),
    "priorities": (priorities_text, priorities_chart),
    "position": (position_text, position_chart),
    "breakdown": (breakdown_text, breakdown_chart),
    "training": (training_text, training_charts),
    "cooccurrence": (cooccurrence_text, cooccurrence_chart),
    "quotes": (quotes,),
    "questions": (questions,),
    "method": (method,),
}


def section(ctx: ReportContext, name: str) -> list:
    """The pieces (HTML fragments and figures) of one section of this report."""
    if name not in SECTIONS[ctx.kind]:
        raise ValueError(f"{ctx.kind} reports have no section {name!r} (sections: {', '.join(SECTIONS[ctx.kind])})")
    return [part(ctx) for part in SECTION_PARTS[name]]


def show_report(ctx: ReportContext, only: list[str] | None = None, word_copy: bool = False) -> None:
    """Display the whole report (title block, then every section of its kind in order), or ``only`` some
    sections — e.g. ``show_report(ctx, only=["training"])`` while working on the recommendation. ``word_copy``:
    see :func:`show` (``gtna report --format docx`` sets it through the notebook's parameter)."""
    names = SECTIONS[ctx.kind] if only is None else only
    if only is None:
        show(header(ctx), word_copy=word_copy)
    for name in names:
        show(section(ctx, name), word_copy=word_copy)
