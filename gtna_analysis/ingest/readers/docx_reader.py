"""Word documents (python-docx): paragraphs and table rows in document order; header as leading paragraphs.

Transcribers sometimes lay a transcript out as a two-column table (speaker | text), often under a header row; a
row becomes ``speaker: text`` so the turn parser sees the same thing as in a text file (``tables.py``). Manual
line breaks inside a paragraph split it into lines, because transcribers use Shift+Enter between speakers too.
"""

from __future__ import annotations

from pathlib import Path

from gtna_analysis.errors import GtnaError

from .base import BodyLine, RawTranscript, split_front_matter
from .tables import table_lines


def read_docx(path: Path) -> RawTranscript:
    import docx  # python-docx; imported lazily because it is slow to import
    from docx.table import Table

    try:
        document = docx.Document(str(path))
        blocks = list(document.iter_inner_content())
    except Exception as exc:  # zip, XML and package errors all mean the same thing to the user
        raise GtnaError.at(path, 1, f"not a readable .docx file: truncated or corrupt ({type(exc).__name__})",
                           "open it in Word or LibreOffice and save it again") from None
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Table):
            lines.extend(_table_lines(block))
        else:
            lines.extend(block.text.split("\n"))
    header, body_start = split_front_matter(lines, path, undelimited=True)
    body = [BodyLine(i + 1, lines[i]) for i in range(body_start, len(lines))]
    return RawTranscript(path, header, body, "docx")


def _table_lines(table) -> list[str]:
    """The table's rows as cell texts (a merged cell counted once), read by ``tables.table_lines``."""
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(cell.text)
        rows.append(cells)
    return table_lines(rows)
