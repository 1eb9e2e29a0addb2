"""Transcript readers: each turns one file format into a ``RawTranscript`` (header + numbered body lines).

Readers only decode and locate; they do not clean, parse speakers or pseudonymise. Keeping them thin means a new
format (say, a NVivo text export) needs one small module and nothing else changes.
"""

from __future__ import annotations

from pathlib import Path

from gtna_analysis.errors import GtnaError

from .base import BodyLine, RawTranscript
from .docx_reader import read_docx
from .limits import check_zip, size_warnings
from .odt_reader import read_odt
from .subtitles import read_subtitles
from .text import read_text

READERS = {
    ".txt": read_text,
    ".md": read_text,
    ".docx": read_docx,
    ".odt": read_odt,
    ".vtt": read_subtitles,
    ".srt": read_subtitles,
}
SUPPORTED_SUFFIXES = tuple(READERS)


def read_transcript(path: str | Path) -> RawTranscript:
    """Read any supported transcript file; unsupported or unreadable files raise a located GtnaError."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise GtnaError.at(path, 1, f"unsupported transcript format {path.suffix!r}",
                           f"use one of {', '.join(SUPPORTED_SUFFIXES)}")
    try:
        if path.stat().st_size == 0:
            raise GtnaError.at(path, 1, "empty file", "delete it or put the transcript in it")
        if path.suffix.lower() in (".docx", ".odt"):
            check_zip(path)  # a zip bomb is refused before python-docx / odfpy inflate it
        raw = reader(path)
        raw.warnings.extend(size_warnings(path))
    except OSError as exc:
        raise GtnaError.at(path, 1, f"cannot read file: {exc.strerror or exc}") from None
    if raw.header is None and not any(b.text.strip() for b in raw.body):
        raise GtnaError.at(path, 1, "file contains no text", "delete it or put the transcript in it")
    return raw


__all__ = ["SUPPORTED_SUFFIXES", "BodyLine", "RawTranscript", "read_transcript"]
