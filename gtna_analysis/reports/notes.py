"""The analyst's note a report prints, pseudonymised like the transcripts.

A memo is written by an analyst who knows the participants and may name them ("ეკატერინეს აზრით …", "as Ekaterine
said"), a colleague, or an e-mail address. The build never lets a name out of the transcripts; a memo printed in
a report must not be the way round that. So before a note is rendered, its title and text go through the same
pseudonymiser the build applies to transcripts: every participant of the study (from the transcript headers, all
Georgian case forms and romanisations) becomes ``[MOES-01:P1]``, a third party ``[PERSON]``, identifiers
``[EMAIL]`` / ``[PERSONAL-NO]`` / ``[PHONE]``; names on the study's ``keep_names:`` stay.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # explore imports reports: the memo functions are imported where used
    from gtna_analysis.explore.memos import Memo


@lru_cache(maxsize=4)
def _study_names(study_root: str, stamp: tuple):
    """Every participant name of the study, as the build's pseudonymiser compiles them (read once per study
    state: ``stamp`` changes when a transcript or interviews.csv changes)."""
    from gtna_analysis.errors import ProblemLog
    from gtna_analysis.ingest.pseudonymise import StudyNames
    from gtna_analysis.ingest.transcripts import collect_sources, read_all
    from gtna_analysis.study import load_study

    study = load_study(Path(study_root))
    log = ProblemLog()  # a transcript the build refuses has no place in a report either; its names are skipped
    items = read_all(study, collect_sources(study, log), log)
    return StudyNames([item.meta for item in items], study.keep_names)


def _stamp(study_root: Path) -> tuple:
    files = sorted(p for p in study_root.rglob("*") if p.is_file() and (
        p.name in ("study.yml", "interviews.csv") or "transcripts" in p.relative_to(study_root).parts))
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)


def pseudonymise_note(study_root: str | Path, memo: Memo) -> Memo:
    """The memo with participants' names, third parties and identifiers replaced, title and text alike."""
    from gtna_analysis.ingest.pseudonymise import Pseudonymiser

    root = Path(study_root).resolve()
    pseudonymiser = Pseudonymiser(_study_names(str(root), _stamp(root)), interview_id="")
    return replace(memo, title=pseudonymiser.apply(memo.title) if memo.title else "",
                   body=pseudonymiser.apply(memo.body))


def report_memo(study_root: str | Path | None, agency: str | None) -> Memo | None:
    """The agency memo a report prints as its "Analyst's note", pseudonymised (None when there is none)."""
    from gtna_analysis.explore.memos import report_note

    memo = report_note(study_root, agency)
    return None if memo is None else pseudonymise_note(study_root, memo)
