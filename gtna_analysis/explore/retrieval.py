"""Retrieval: the passages that match a set of filters, paged, with the coded words highlighted.

Why here and not in the widget: a researcher's question ("what did senior women in MoES say about budgeting,
where the auto-coder and a human agree?") is a filter over tables; tested once, it serves the notebook, the
standalone app and any script. Highlights use the codings' ``start_char``/``end_char`` — *character* offsets in
the interview text (a Mkhedruli letter is one character, three UTF-8 bytes) — and every piece of transcript text
is HTML-escaped: transcripts are untrusted input.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from .data import ExploreData

SOURCES = ("auto", "manual", "suggested")
PAGE_SIZE = 20


@dataclass(frozen=True)
class Filters:
    """What to retrieve. Empty fields do not filter. ``code`` includes its sub-codes; ``attributes`` maps a
    participant attribute (gender, level, role, mode, language) to the accepted values."""

    agency: str | None = None
    interview: str | None = None
    question: str | None = None
    theme: str | None = None
    code: str | None = None
    source: str | None = None
    polarity: str | None = None
    attributes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    segment_ids: tuple[str, ...] | None = None  # e.g. the passages of a matrix cell or of a text search
    coded_only: bool = True  # only segments with a coding that passes the code filters

    def __hash__(self) -> int:  # attributes is a dict: hash its items
        return hash((self.agency, self.interview, self.question, self.theme, self.code, self.source,
                     self.polarity, tuple(sorted(self.attributes.items())), self.segment_ids, self.coded_only))


@dataclass(frozen=True)
class Page:
    """One page of passages and where it sits in the whole result."""

    rows: pd.DataFrame
    number: int  # 1-based
    n_pages: int
    total: int
    size: int

    @property
    def first(self) -> int:
        """1-based position of the page's first passage (0 when there is none)."""
        return 0 if self.total == 0 else (self.number - 1) * self.size + 1

    @property
    def last(self) -> int:
        return min(self.number * self.size, self.total)


def filter_codings(data: ExploreData, filters: Filters) -> pd.DataFrame:
    """The codings (suggestions included) that pass the code, source and polarity filters."""
    c = data.codings
    if filters.theme:
        c = c[c["theme_id"] == filters.theme]
    if filters.code:
        c = c[c["code_id"].isin(data.descendants(filters.code))]
    if filters.source:
        if filters.source not in SOURCES:
            raise ValueError(f"source must be one of {', '.join(SOURCES)}")
        c = c[c["source"] == filters.source]
    else:
        c = c[c["source"] != "suggested"]  # suggestions are read only on request: they are not codings yet
    if filters.polarity:
        c = c[c["polarity"] == filters.polarity]
    return c


def filter_segments(data: ExploreData, filters: Filters) -> pd.DataFrame:
    """Participant segments passing the agency, interview, question and attribute filters."""
    s = data.segments[data.segments["speaker_role"] == "participant"]
    if filters.agency:
        s = s[s["agency"] == filters.agency]
    if filters.interview:
        s = s[s["interview_id"] == filters.interview]
    if filters.question:
        s = s[s["question_id"] == filters.question]
    for attribute, values in filters.attributes.items():
        if values:
            if attribute not in s:
                raise ValueError(f"unknown attribute {attribute!r}")
            s = s[s[attribute].astype(str).isin([str(v) for v in values])]
    if filters.segment_ids is not None:
        s = s[s["segment_id"].isin(filters.segment_ids)]
    return s


def retrieve(data: ExploreData, filters: Filters) -> pd.DataFrame:
    """One row per matching passage, in interview order: the segment's columns plus ``codes`` (sorted ids),
    ``sources`` and ``spans`` (the codings' (start_char, end_char, matched_text) triples, for highlighting)."""
    segments = filter_segments(data, filters)
    codings = filter_codings(data, filters)
    codings = codings[codings["segment_id"].isin(segments["segment_id"])]
    code_filtered = any((filters.theme, filters.code, filters.source, filters.polarity))
    if filters.coded_only or code_filtered:
        segments = segments[segments["segment_id"].isin(codings["segment_id"])]
    # one pass over plain lists (a pandas groupby-apply per segment took over a second on the sample)
    codes: dict[str, set[str]] = {}
    sources: dict[str, set[str]] = {}
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for sid, code, source, start, end, matched in zip(
            codings["segment_id"].tolist(), codings["code_id"].tolist(), codings["source"].tolist(),
            codings["start_char"].astype(int).tolist(), codings["end_char"].astype(int).tolist(),
            codings["matched_text"].fillna("").astype(str).tolist(), strict=True):
        codes.setdefault(sid, set()).add(code)
        sources.setdefault(sid, set()).add(source)
        spans.setdefault(sid, []).append((start, end, matched))
    out = segments.copy()
    ids = out["segment_id"].tolist()
    out["codes"] = [tuple(sorted(codes.get(i, ()))) for i in ids]
    out["sources"] = [tuple(sorted(sources.get(i, ()))) for i in ids]
    out["spans"] = [tuple(spans.get(i, ())) for i in ids]
    order = {a: i for i, a in enumerate(data.tables.agencies)}
    out = out.assign(_agency=out["agency"].map(order)).sort_values(["_agency", "interview_id", "start_char"],
                                                                   kind="stable")
    return out.drop(columns="_agency").reset_index(drop=True)


def describe_filters(data: ExploreData, filters: Filters, labels: dict[str, str], query: str = "") -> str:
    """The active filters in words ("Agency: MoES · Gender: female"), shown above a matrix so a researcher
    knows which passages it counts; "" when nothing filters."""
    t = data.tables
    named = {
        "agency": t.agency_name(filters.agency, data.lang, short=True) if filters.agency else "",
        "interview": filters.interview or "", "question": filters.question or "",
        "theme": data.theme_label(filters.theme) if filters.theme else "",
        "code": data.code_label(filters.code) if filters.code else "",
        "source": labels.get(filters.source, filters.source) if filters.source else "",
        "polarity": labels.get(filters.polarity, filters.polarity) if filters.polarity else "",
    }
    parts = [f"{labels.get(k, k)}: {v}" for k, v in named.items() if v]
    parts += [f"{labels.get(a, a)}: {', '.join(map(str, vs))}" for a, vs in filters.attributes.items() if vs]
    if query:
        parts.append(f"{labels.get('search', 'Search')}: {query}")
    return " · ".join(parts)


def counts(passages: pd.DataFrame) -> dict[str, int]:
    """How many passages, interviews and participants a result holds (shown above it, never a silent cap)."""
    return {"passages": len(passages), "interviews": int(passages["interview_id"].nunique()),
            "participants": int((passages["interview_id"] + ":" + passages["speaker_id"].astype(str)).nunique())}


def page(passages: pd.DataFrame, number: int = 1, size: int = PAGE_SIZE) -> Page:
    """Page ``number`` (clamped to the pages there are) of ``size`` passages."""
    if size < 1:
        raise ValueError("page size must be at least 1")
    n_pages = max(1, math.ceil(len(passages) / size))
    number = min(max(1, number), n_pages)
    rows = passages.iloc[(number - 1) * size:number * size]
    return Page(rows, number, n_pages, len(passages), size)


def _merge(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(r for r in ranges if r[1] > r[0]):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def highlight_ranges(text: str, seg_start: int, spans: Iterable[tuple[int, int, str]],
                     extra: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Ranges of ``text`` (offsets within the segment) to mark.

    A coding narrower than its segment marks its span; a whole-segment coding marks the words that matched
    (``matched_text``, ``;``-separated, found case-insensitively) — marking the whole passage would say nothing.
    ``extra``: absolute ranges, e.g. text-search hits.
    """
    seg_end = seg_start + len(text)
    lowered = text.lower()
    ranges: list[tuple[int, int]] = []
    for start, end, matched in spans:
        if (start, end) != (seg_start, seg_end) and seg_start <= start < end <= seg_end:
            ranges.append((start - seg_start, end - seg_start))
            continue
        for word in filter(None, (w.strip().lower() for w in str(matched).split(";"))):
            at = lowered.find(word)
            while at >= 0:
                ranges.append((at, at + len(word)))
                at = lowered.find(word, at + len(word))
    for start, end in extra:
        if start < seg_end and end > seg_start:
            ranges.append((max(start, seg_start) - seg_start, min(end, seg_end) - seg_start))
    return _merge(ranges)


def highlight(text: str, ranges: Iterable[tuple[int, int]]) -> str:
    """``text`` as escaped HTML with ``<mark>`` around the ranges (character offsets within ``text``)."""
    out, at = [], 0
    for start, end in _merge(ranges):
        out.append(html.escape(text[at:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out)


def passage_html(data: ExploreData, row: pd.Series, labels: dict[str, str],
                 hits: Iterable[tuple[int, int]] = ()) -> str:
    """One passage: the interviewer's question above it, the answer with marks, and its provenance."""
    ranges = highlight_ranges(str(row["text"]), int(row["start_char"]), row.get("spans", ()), hits)
    question = data.question_text(row.get("question_id") or "")
    asked = str(row.get("asked") or "")
    head = ""
    if asked or question:
        qid = html.escape(str(row.get("question_id") or ""))
        shown = html.escape(asked or question)
        head = f'<div class="gtna-asked"><b>{qid}</b> {shown}</div>'
    codes = ", ".join(html.escape(data.code_label(c)) for c in row.get("codes", ()))
    person = " · ".join(html.escape(str(row[a])) for a in ("gender", "level") if a in row and pd.notna(row[a])
                        and str(row[a]))
    return (f'<div class="gtna-passage" id="p-{html.escape(str(row["segment_id"]))}">{head}'
            f'<blockquote>{highlight(str(row["text"]), ranges)}</blockquote>'
            f'<div class="gtna-meta">{html.escape(str(row["segment_id"]))} · {html.escape(str(row["speaker_id"]))}'
            f'{" (" + person + ")" if person else ""} · {html.escape(labels.get("codes", "codes"))}: {codes}'
            f"</div></div>")


STYLE = ("<style>.gtna-passage{border-left:3px solid #0072B2;margin:.6em 0;padding:.2em .8em}"
         ".gtna-passage blockquote{margin:.3em 0}.gtna-asked{color:#555;font-style:italic}"
         ".gtna-meta{color:#666;font-size:85%}.gtna-turn{margin:.3em 0}.gtna-turn.focus{background:#fff6d5}"
         ".gtna-turn .who{font-weight:bold;margin-right:.4em}mark{background:#ffe27a}</style>")


def page_html(data: ExploreData, shown: Page, labels: dict[str, str],
              hits: dict[str, list[tuple[int, int]]] | None = None) -> str:
    """A page of passages with the counts line above it."""
    summary = html.escape(labels["showing"].format(first=shown.first, last=shown.last, total=shown.total,
                                                   page=shown.number, pages=shown.n_pages))
    body = "".join(passage_html(data, row, labels, (hits or {}).get(row["segment_id"], ()))
                   for _, row in shown.rows.iterrows())
    return f'{STYLE}<p class="gtna-count">{summary}</p>{body}'


def interview_html(data: ExploreData, interview_id: str, focus: str | None = None,
                   labels: dict[str, str] | None = None) -> str:
    """The whole interview turn by turn (interviewer's questions included), the focused passage marked and its
    coded words highlighted — the context a passage needs before it is quoted."""
    seg = data.segments[data.segments["interview_id"] == interview_id]
    if seg.empty:
        raise ValueError(f"unknown interview {interview_id!r}")
    codings = data.codings[(data.codings["interview_id"] == interview_id) & (data.codings["source"] != "suggested")]
    by_segment = {k: tuple(zip(g["start_char"].astype(int), g["end_char"].astype(int),
                               g["matched_text"].fillna("").astype(str), strict=True))
                  for k, g in codings.groupby("segment_id")}
    parts = []
    for _, row in seg.iterrows():
        ranges = highlight_ranges(str(row["text"]), int(row["start_char"]), by_segment.get(row["segment_id"], ()))
        css = "gtna-turn focus" if row["segment_id"] == focus else "gtna-turn"
        qid = f' <span class="gtna-meta">[{html.escape(str(row["question_id"]))}]</span>' if (
            row["speaker_role"] == "interviewer" and row["question_id"]) else ""
        parts.append(f'<div class="{css}" id="t-{html.escape(str(row["segment_id"]))}"><span class="who">'
                     f'{html.escape(str(row["speaker_id"]))}:</span>{highlight(str(row["text"]), ranges)}{qid}</div>')
    title = html.escape(interview_id)
    return f"{STYLE}<h4>{title}</h4>" + "".join(parts)
