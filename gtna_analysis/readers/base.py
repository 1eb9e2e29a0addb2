"""The common output of every reader."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import GtnaError
from ..yamlio import LineDict, load_yaml_text


@dataclass
class BodyLine:
    """One line (txt/md), paragraph (docx/odt) or cue (vtt/srt) of a transcript body.

    ``line`` is where a researcher finds it: the 1-based line in a text file, the paragraph number in a
    document, the line of the cue's timing in a subtitle file.
    """

    line: int
    text: str
    t_start: float | None = None
    t_end: float | None = None
    speaker: str | None = None


@dataclass
class RawTranscript:
    path: Path
    header: LineDict | None
    body: list[BodyLine]
    encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)


def split_front_matter(lines: list[str], path: Path, first_line_no: int = 1
                       ) -> tuple[LineDict | None, int]:
    """Parse a ``---``-delimited YAML header at the top of ``lines``.

    Returns the header (or None when there is none) and the index of the first body line. A header that opens
    but never closes, or that is not a mapping, is an error at its opening line.
    """
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start >= len(lines) or lines[start].strip() != "---":
        return None, 0
    for end in range(start + 1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            text = "\n".join(lines[start + 1:end])
            header = load_yaml_text(text, path, line_offset=first_line_no + start)
            if header is None:
                header = LineDict()
                header.key_lines = {}
                header.line = first_line_no + start
            if not isinstance(header, LineDict):
                raise GtnaError.at(path, first_line_no + start, "front matter must be a YAML mapping")
            return header, end + 1
    raise GtnaError.at(path, first_line_no + start, "front matter opened with '---' is never closed",
                       "end the header with a line containing only ---")
