"""The coding stage of ``gtna build``: segments → codings (auto + imported human coding) → preferences.

Human coding lives in the study folder, ``<study>/codings/*.csv|tsv|xlsx|qdpx``: it is input like the
transcripts, validated against this build's segments and codebook (an unknown segment or code stops the build
with ``file:line``), and merged with the auto-codings keeping ``source`` (auto | manual) and ``coder``.
"""

from __future__ import annotations

import pandas as pd

from .codebook import Codebook
from .coding import AutoCoder
from .errors import GtnaError, ProblemLog
from .manual import HumanCoding, discover_coding_files, load_coding_file, merge_codings
from .preferences import extract_preferences
from .study import Study

CODINGS_FOLDER = "codings"


def load_study_codings(study: Study, codebook: Codebook, segments: pd.DataFrame) -> list[HumanCoding]:
    """Every coding file of the study, validated; all problems of all files are reported together."""
    log = ProblemLog()
    out: list[HumanCoding] = []
    for path in discover_coding_files(study.root / CODINGS_FOLDER):
        try:
            out.append(load_coding_file(path, segments, codebook))
        except GtnaError as exc:
            log.extend(exc)
    log.raise_if_any()
    return out


def code_segments(study: Study, codebook: Codebook, segments: pd.DataFrame,
                  unit: str = "segment") -> dict[str, pd.DataFrame]:
    """Return the ``codings`` and ``preferences`` tables for the segments of a build."""
    coded = segments[segments["speaker_role"] != "interviewer"]
    auto = AutoCoder(codebook).code(coded, unit=unit)
    codings = merge_codings(auto, load_study_codings(study, codebook, segments))
    preferences = extract_preferences(segments, codings, {q.id: q.topic for q in study.questions})
    return {"codings": codings, "preferences": preferences}
