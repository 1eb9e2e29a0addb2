"""The common output of every reader, and the YAML front-matter header they all share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from gtna_analysis.errors import GtnaError
from gtna_analysis.yamlio import LineDict, load_yaml_text

# "---" opens and closes the header. Word's autocorrect may turn it into an em or en dash, so those count too.
_DELIMITER = re.compile(r"^\s*(?:-{3,}|[—–]{1,3})\s*$")
_CLOSER = re.compile(r"^\s*(?:-{3,}|[—–]{1,3}|\.\.\.)\s*$")
_FIRST_HEADER_KEY = re.compile(r"^\s*interview_id\s*:")


@dataclass(slots=True)  # slots: a large transcript has hundreds of thousands of lines
class BodyLine:
    """One line of a transcript body.

    ``line`` is where a researcher finds it: the 1-based line in a text file; in a document, the paragraph
    count from the top (a manual line break or a table row counts as a line of its own); in a subtitle file, the
    line of the cue's text.
    """

    line: int
    text: str
    t_start: float | None = None
    t_end: float | None = None
    speaker: str | None = None


@dataclass
class RawTranscript:
    """A decoded transcript: its header (None when it has none) and its numbered body lines, still uncleaned."""

    path: Path
    header: LineDict | None
    body: list[BodyLine]
    encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)


def split_front_matter(lines: list[str], path: Path, first_line_no: int = 1, undelimited: bool = False
                       ) -> tuple[LineDict | None, int]:
    """Parse a ``---``-delimited YAML header at the top of ``lines``.

    Returns the header (or None when there is none) and the index of the first body line. A header that opens
    but never closes, or that is not a mapping, is an error at its opening line. With ``undelimited`` (documents,
    where Word may swallow a "---" paragraph) a block starting with ``interview_id:`` and ending at the first
    empty line is accepted as the header too.
    """
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start >= len(lines):
        return None, 0
    if undelimited and _FIRST_HEADER_KEY.match(lines[start]):
        end = next((i for i in range(start, len(lines)) if not lines[i].strip() or _CLOSER.match(lines[i])),
                   len(lines))
        header = _parse_header(lines[start:end], path, first_line_no + start - 1)
        skip = 1 if end < len(lines) and _CLOSER.match(lines[end]) else 0
        return header, end + skip
    if not _DELIMITER.match(lines[start]):
        return None, 0
    for end in range(start + 1, len(lines)):
        if _CLOSER.match(lines[end]):
            return _parse_header(lines[start + 1:end], path, first_line_no + start), end + 1
    raise GtnaError.at(path, first_line_no + start, "front matter opened with '---' is never closed",
                       "end the header with a line containing only ---")


def _parse_header(lines: list[str], path: Path, line_offset: int) -> LineDict:
    """YAML-parse header lines; ``line_offset`` is the file line just before the first of them."""
    header = load_yaml_text("\n".join(lines), path, line_offset=line_offset)
    if header is None:
        header = LineDict()
        header.key_lines = {}
        header.line = line_offset
    if not isinstance(header, LineDict):
        raise GtnaError.at(path, max(line_offset, 1), "front matter must be a YAML mapping of field: value",
                           "e.g. interview_id: MOES-03")
    return header
