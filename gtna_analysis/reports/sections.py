"""Report building blocks called by the notebooks: each function returns escaped HTML or a figure.

The notebooks stay thin — parameters, then one call per section — so the logic is here, tested, and every
report (agency or cross-agency, Georgian or English) is assembled from the same pieces.
"""

from __future__ import annotations

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
from .i18n import CHART_TITLES, GROUP_LABELS, REPORT_TITLES, TITLES
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

    @classmethod
    def load(cls, processed: str | Path, agency: str | None, lang: str, study: str | Path | None = None
             ) -> ReportContext:
        tables = Tables.load(processed)
        if agency is not None and agency not in tables.agencies:
            known = ", ".join(tables.agencies)
            raise ValueError(f"agency {agency!r} has no interviews in {processed} (known: {known})")
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
        return cls(tables, agency, lang, questions, stamp, topics, Path(study) if study else None)

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
                  study_title=ctx.tables.manifest.get("study_title", {}).get(ctx.lang, ""),
                  fictional=ctx.tables.manifest.get("fictional", False))


def profile(ctx: ReportContext) -> Markup:
    prof = analysis.sample_profile(ctx.tables, ctx.agency)
    per_agency = []
    if ctx.agency is None:
        for a in ctx.tables.agencies:
            p = analysis.sample_profile(ctx.tables, a)
            per_agency.append((ctx.tables.agency_name(a, ctx.lang, short=True), p))
    return ctx.heading("profile") + render("report/profile.html.j2", ctx=ctx, prof=prof, per_agency=per_agency,
                                           thin=prof["interviews"]["total"] < analysis.THIN_INTERVIEWS)


def priorities_text(ctx: ReportContext) -> Markup:
    prev = ctx.priorities
    n = len(ctx.scoped.interviews)
    asked = ", ".join(ctx.priority_questions or [])
    question = (ctx.questions.get(ctx.priority_questions[0], {}).get(ctx.lang, "")
                if ctx.priority_questions else "")
    return ctx.heading("priorities") + render("report/priorities.html.j2", ctx=ctx, prev=prev.head(5), n=n,
                                              thin=n < analysis.THIN_INTERVIEWS, asked=asked, question=question)


TRAINING_THEMES = ("training_objectives", "training_format", "training_duration", "training_content", "participants",
                   "barriers")


def priorities_chart(ctx: ReportContext):
    prev = ctx.priorities
    if ctx.priority_questions:
        title = CHART_TITLES["priorities_asked"][ctx.lang].format(questions=", ".join(ctx.priority_questions))
    else:
        title = CHART_TITLES["priorities_all"][ctx.lang]
    return plots.prevalence_bars(prev, ctx.lang, title)


def position_text(ctx: ReportContext) -> Markup:
    matrix = analysis.agency_theme_matrix(ctx.tables, ctx.lang)
    matrix = matrix[[c for c in matrix.columns if c not in _training_labels(ctx)]]
    distinctive = []
    if ctx.agency is not None and len(matrix) > 1:
        me = ctx.tables.agency_name(ctx.agency, ctx.lang, short=True)
        others = matrix.drop(index=me).mean()
        diff = (matrix.loc[me] - others).sort_values(ascending=False)
        distinctive = [(label, matrix.loc[me, label], others[label]) for label, d in diff.items() if d >= 0.2][:3]
    return ctx.heading("position") + render("report/position.html.j2", ctx=ctx, distinctive=distinctive,
                                            n_agencies=len(matrix))


def position_chart(ctx: ReportContext):
    matrix = analysis.agency_theme_matrix(ctx.tables, ctx.lang)
    matrix = matrix[[c for c in matrix.columns if c not in _training_labels(ctx)]]
    title = CHART_TITLES["position"][ctx.lang]
    return plots.heatmap(matrix.T, title)  # themes as rows: long Georgian labels read better than as columns


def _training_labels(ctx: ReportContext) -> set[str]:
    codes = ctx.tables.codes
    return set(codes[codes["theme_id"].isin(TRAINING_THEMES)][f"theme_label_{ctx.lang}"])


def training_text(ctx: ReportContext) -> Markup:
    rec = ctx.recommendation
    plan = analysis.programme(ctx.tables, ctx.lang) if ctx.agency is None and rec.from_designs else None
    if rec.from_designs:
        evidence, refs = _numbered_evidence(ctx, _element_segments(ctx, rec), limit=8)
    else:
        evidence, refs = _evidence_quotes(ctx, _format_evidence(ctx, rec), limit=4), {}
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
                words = str(row["text"]).split()
                numbers[sid] = len(quotes) + 1
                quotes.append({"n": numbers[sid], "quote": " ".join(words[:60]) + (" …" if len(words) > 60 else ""),
                               "speaker": f"{row['interview_id']}, {row['speaker_id']}",
                               "question_id": row["question_id"]})
            refs.setdefault(element, []).append(numbers[sid])
    return quotes, refs


def training_charts(ctx: ReportContext) -> list:
    rec = ctx.recommendation
    figs = []
    if rec.format_counts:
        figs.append(plots.format_chart(rec.format_counts, ctx.lang,
                                       CHART_TITLES["format"][ctx.lang]))
    prefs = _duration_points(ctx.tables) if rec.from_designs else ctx.tables.preferences
    if (prefs["kind"] == "duration").any():
        labels = {a: ctx.tables.agency_name(a, ctx.lang, short=True) for a in ctx.tables.agencies}
        figs.append(plots.duration_chart(prefs, ctx.lang,
                                         CHART_TITLES["duration"][ctx.lang],
                                         labels=labels))
    return figs


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
        words = str(row["text"]).split()
        text = " ".join(words[:60]) + (" …" if len(words) > 60 else "")
        out.append({"quote": text, "speaker": f"{row['interview_id']}, {row['speaker_id']}",
                    "question_id": row["question_id"]})
        if len(out) >= limit:
            break
    return out


def quotes(ctx: ReportContext, themes: int = 5, per_theme: int = 2) -> Markup:
    prev = analysis.prevalence(ctx.tables, "theme", ctx.lang, ctx.agency)
    prev = prev[(~prev["id"].isin(TRAINING_THEMES)) & (prev["interviews"] > 0)].head(themes)
    blocks = []
    for row in prev.itertuples():
        q = analysis.representative_quotes(ctx.tables, row.id, ctx.agency, per_theme)
        blocks.append({"label": row.label, "color": row.color, "quotes": q.to_dict("records")})
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
    return plots.heatmap(matrix, title, label_width=12)


def cooccurrence_chart(ctx: ReportContext):
    matrix = ctx.cooccurrence
    if len(matrix) < 2:
        return []  # nothing coded yet (the section text says so), or a single theme, which has no pairs
    title = CHART_TITLES["cooccurrence"][ctx.lang]
    return plots.cooccurrence_triangle(matrix, title)


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
    "Analyst's note"; nothing when there is none. The memo is Markdown with raw HTML escaped."""
    from gtna_analysis.explore.memos import report_note

    memo = report_note(ctx.study, ctx.agency)
    if memo is None:
        return Markup("")
    title = Markup("<h3>{}</h3>").format(TITLES["analysts_note"][ctx.lang] + (f": {memo.title}" if memo.title else ""))
    return Markup('<aside class="analysts-note" role="note" style="border:1px solid #999;border-left:4px solid '
                  '#0072B2;padding:.5em 1em;margin:1em 0">{}{}</aside>').format(title, memo.html())


def show(*items: object) -> None:
    """Display report pieces in a notebook: HTML fragments as HTML, figures as inline PNG (then closed)."""
    import matplotlib.pyplot as plt
    from IPython.display import HTML, Image, display
    from matplotlib.figure import Figure

    for item in items:
        if isinstance(item, list | tuple):
            show(*item)
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


def show_report(ctx: ReportContext, only: list[str] | None = None) -> None:
    """Display the whole report (title block, then every section of its kind in order), or ``only`` some
    sections — e.g. ``show_report(ctx, only=["training"])`` while working on the recommendation."""
    names = SECTIONS[ctx.kind] if only is None else only
    if only is None:
        show(header(ctx))
    for name in names:
        show(section(ctx, name))
