"""Plain text and Markdown transcripts with an optional YAML front-matter header."""

from __future__ import annotations

from pathlib import Path

from .base import BodyLine, RawTranscript, split_front_matter
from .encoding import decode_bytes


def read_text(path: Path) -> RawTranscript:
    text, encoding, warnings = decode_bytes(path.read_bytes(), path)
    lines = text.splitlines()
    header, body_start = split_front_matter(lines, path)
    body = [BodyLine(i + 1, lines[i]) for i in range(body_start, len(lines))]
    return RawTranscript(path, header, body, encoding, warnings)
