"""Fixtures shared by the ingest tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from gtna_analysis.ingest import transcripts as transcripts_module
from gtna_analysis.ingest.readers import RawTranscript, read_transcript


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the transcript files a build reads, in order (``read_transcript`` is wrapped): how the cache tests
    tell a transcript served from the cache from one parsed again."""
    seen: list[str] = []

    def counting(path: str | Path) -> RawTranscript:
        seen.append(Path(path).name)
        return read_transcript(path)

    monkeypatch.setattr(transcripts_module, "read_transcript", counting)
    return seen
