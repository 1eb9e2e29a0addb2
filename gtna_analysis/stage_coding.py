"""The coding stage of ``gtna build``: segments → codings (auto + imported human coding) → preferences."""

from __future__ import annotations

import pandas as pd

from .codebook import Codebook
from .coding import AutoCoder
from .preferences import extract_preferences
from .study import Study


def code_segments(study: Study, codebook: Codebook, segments: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Return the ``codings`` and ``preferences`` tables for the segments of a build."""
    coded = segments[segments["speaker_role"] != "interviewer"]
    codings = AutoCoder(codebook).code(coded)
    preferences = extract_preferences(segments, codings, {q.id: q.topic for q in study.questions})
    return {"codings": codings, "preferences": preferences}
