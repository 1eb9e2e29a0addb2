"""The translation queue: which quotes the reports show in another language than their own.

Kept apart from :mod:`.translations` (reading and writing translation files), because it has to build every
report's quotes through :mod:`.sections`, which itself reads translations.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import sections
from .translations import COLUMNS, key


def report_quotes(ctx) -> list[dict]:
    """Every quote the report of ``ctx`` shows (quotes section and training evidence), annotated."""
    quotes: list[dict] = []
    if "quotes" in sections.SECTIONS[ctx.kind]:
        for block in sections.quote_blocks(ctx):
            quotes.extend(block["quotes"])
    quotes.extend(sections.training_evidence(ctx)[0])
    return quotes


def needed(processed: str | Path, study: str | Path | None, languages: list[str] | None = None,
           agencies: list[str] | None = None, include_cross: bool = True) -> pd.DataFrame:
    """One row per distinct (target language, excerpt) that some report shows in another language, with
    context and any translation already made; ``reports`` names the reports that show it."""
    from gtna_analysis.tables import Tables

    tables = Tables.load(processed)
    languages = languages or list(tables.manifest.get("languages", ["ka", "en"]))
    scopes: list[str | None] = list(agencies or tables.agencies) + ([None] if include_cross else [])
    questions: dict[str, dict[str, str]] = {}
    rows: dict[tuple[str, str], dict] = {}
    for lang in languages:
        for agency in scopes:
            ctx = sections.ReportContext.from_tables(tables, agency, lang, study)
            questions = ctx.questions
            segments = ctx.scoped.segments.set_index("segment_id")
            for q in report_quotes(ctx):
                if not q["foreign"]:
                    continue
                k = (lang, key(q["quote"]))
                row = rows.get(k)
                if row is None:
                    seg = segments.loc[q["segment_id"]] if q.get("segment_id") in segments.index else None
                    qid = q.get("question_id") or ""
                    row = rows[k] = {
                        "target_language": lang, "translation": q["translation"] or "", "original": q["quote"],
                        "source_language": q["language"], "segment_id": q.get("segment_id", ""),
                        "interview_id": seg["interview_id"] if seg is not None else "", "question_id": qid,
                        "question": questions.get(qid, {}).get(q["language"], ""),
                        "answer": str(seg["text"]) if seg is not None else "", "reports": []}
                name = f"{agency or 'cross_agency'}/{lang}"
                if name not in row["reports"]:
                    row["reports"].append(name)
    frame = pd.DataFrame(list(rows.values()), columns=COLUMNS)
    frame["reports"] = frame["reports"].map(lambda r: ", ".join(r) if isinstance(r, list) else r)
    return frame.sort_values(["target_language", "segment_id", "original"], kind="stable").reset_index(drop=True)


def pending_count(frame: pd.DataFrame) -> int:
    """Quotes still without a translation."""
    return int((frame["translation"].fillna("") == "").sum()) if len(frame) else 0
