"""What the workbench reads, loaded once: the study folder (for memos, coding files, the questionnaire and the
codebook), its processed tables, and the optional suggestions table written by ``gtna suggest``.

Why one object: every view (passages, matrix, text, memos, coding) needs the same joins — a segment with its
speaker's attributes and the question it answers — and computing them once keeps the widgets responsive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from gtna_analysis.coding.codebook import Codebook, load_codebook
from gtna_analysis.schema import REJECTION_COLUMNS
from gtna_analysis.study import Study, load_study
from gtna_analysis.tables import Tables, read_table, table_path

# Participant and interview attributes a passage can be filtered or cross-tabulated by ("agency" and
# "interview_id" are attributes too: a matrix can be codes × agencies).
ATTRIBUTES = ("agency", "interview_id", "gender", "level", "role", "mode", "language")


def question_order(qid: str) -> tuple[int, str]:
    """Q2 < Q10 < Q10a: numeric part first, then the id (questions sort as the interviewer asked them)."""
    import re

    match = re.match(r"Q(\d+)", str(qid))
    return (int(match.group(1)) if match else 10**6, str(qid))


@dataclass
class ExploreData:
    """A built study ready to explore. ``study`` may be None (only processed tables at hand): memos and coding
    in place then have nowhere to write and say so."""

    tables: Tables
    lang: str = "en"
    study: Study | None = None
    codebook: Codebook | None = None
    suggestions: pd.DataFrame = field(default_factory=pd.DataFrame)
    rejections: pd.DataFrame = field(default_factory=pd.DataFrame)  # auto codings researchers rejected

    @classmethod
    def load(cls, study: str | Path | None, processed: str | Path | None = None,
             lang: str | None = None) -> ExploreData:
        """Load ``processed`` (default ``<study>/processed``); ``lang`` defaults to the study's default language."""
        loaded = load_study(study) if study else None
        if processed is None:
            if loaded is None:
                raise ValueError("give the study folder or the processed folder")
            processed = loaded.root / "processed"
        tables = Tables.load(processed)
        codebook = load_codebook(loaded.codebook_path) if loaded else None
        suggestions = (read_table(processed, "suggestions") if table_path(processed, "suggestions").exists()
                       else pd.DataFrame(columns=["segment_id", "code_id", "probability"]))
        rejections = (read_table(processed, "rejections") if table_path(processed, "rejections").exists()
                      else pd.DataFrame(columns=REJECTION_COLUMNS))
        lang = lang or (loaded.default_language if loaded else "en")
        return cls(tables, lang, loaded, codebook, suggestions, rejections)

    @property
    def root(self) -> Path | None:
        return self.study.root if self.study else None

    @cached_property
    def segments(self) -> pd.DataFrame:
        """Every segment with its speaker's attributes, the interview's mode and the interviewer's question.

        ``asked``: the text of the last interviewer segment before this one in the same interview — the question
        as it was really put, shown above an answer.
        """
        seg = self.tables.segments.copy()
        people = self.tables.participants.rename(columns={"participant_id": "speaker_id", "mode": "p_mode"})
        cols = [c for c in ("interview_id", "speaker_id", "gender", "level", "role", "p_mode") if c in people]
        seg = seg.merge(people[cols], on=["interview_id", "speaker_id"], how="left")
        modes = self.tables.interviews.set_index("interview_id")["mode"]
        seg["mode"] = seg["interview_id"].map(modes)
        seg = seg.drop(columns=["p_mode"], errors="ignore")
        seg = seg.sort_values(["interview_id", "start_char"], kind="stable").reset_index(drop=True)
        asked = seg["text"].where(seg["speaker_role"] == "interviewer")
        seg["asked"] = asked.groupby(seg["interview_id"]).ffill()
        seg["asked"] = seg["asked"].where(seg["speaker_role"] != "interviewer")
        seg["asked"] = seg["asked"].fillna("")
        return seg

    @cached_property
    def codings(self) -> pd.DataFrame:
        """Codings (every polarity) plus the suggestions as ``source == 'suggested'`` rows covering their
        segment, so one filter reads all three sources."""
        codings = self.tables.codings.copy()
        if len(self.suggestions):
            seg = self.tables.segments.set_index("segment_id")
            sug = self.suggestions[self.suggestions["segment_id"].isin(seg.index)]
            extra = pd.DataFrame({
                "segment_id": sug["segment_id"].to_numpy(),
                "interview_id": sug["segment_id"].map(seg["interview_id"]).to_numpy(),
                "agency": sug["segment_id"].map(seg["agency"]).to_numpy(),
                "code_id": sug["code_id"].to_numpy(),
                "theme_id": sug["code_id"].map(self.theme_of).to_numpy(),
                "start_char": sug["segment_id"].map(seg["start_char"]).to_numpy(),
                "end_char": sug["segment_id"].map(seg["end_char"]).to_numpy(),
                "matched_text": "", "n_matches": 1, "source": "suggested",
                "coder": "suggest", "polarity": "stated",
                "probability": sug["probability"].to_numpy(),
            })
            codings = pd.concat([codings, extra], ignore_index=True)
        return codings

    @cached_property
    def theme_of(self) -> dict[str, str]:
        return dict(zip(self.tables.codes["code_id"], self.tables.codes["theme_id"], strict=True))

    @cached_property
    def _labels(self) -> tuple[dict[str, str], dict[str, str]]:
        """Code and theme labels in the workbench language, looked up once (a page of passages asks hundreds
        of times: a table filter per lookup cost seconds when the workbench opened)."""
        codes = self.tables.codes
        by_code = dict(zip(codes["code_id"].astype(str), codes[f"code_label_{self.lang}"].astype(str), strict=True))
        first = codes.drop_duplicates("theme_id")
        by_theme = dict(zip(first["theme_id"].astype(str), first[f"theme_label_{self.lang}"].astype(str),
                            strict=True))
        return by_code, by_theme

    def code_label(self, code_id: str) -> str:
        return self._labels[0].get(code_id, code_id)

    def theme_label(self, theme_id: str) -> str:
        return self._labels[1].get(theme_id, theme_id)

    def descendants(self, code_id: str) -> set[str]:
        """A code and all its sub-codes (``parent_id`` chains in the codes table)."""
        parents = dict(zip(self.tables.codes["code_id"], self.tables.codes.get("parent_id", ""), strict=True))
        out = {code_id}
        grew = True
        while grew:
            more = {c for c, p in parents.items() if p in out and c not in out}
            out |= more
            grew = bool(more)
        return out

    def question_text(self, question_id: str) -> str:
        """The questionnaire's wording in the workbench language ("" when unknown)."""
        if self.study is None or not question_id:
            return ""
        q = self.study.question(str(question_id))
        return (q.text.get(self.lang) or q.text.get("en") or "") if q else ""

    @property
    def questions(self) -> list[str]:
        return sorted(self.tables.segments["question_id"].dropna().unique(), key=question_order)

    def attribute_values(self, attribute: str) -> list[str]:
        if attribute not in self.segments:
            raise ValueError(f"unknown attribute {attribute!r} (use one of {', '.join(ATTRIBUTES)})")
        values = self.segments.loc[self.segments["speaker_role"] == "participant", attribute].dropna()
        return sorted({str(v) for v in values if str(v)})
