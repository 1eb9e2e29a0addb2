"""Transcript tables (Word, OpenDocument): rows of cell texts → ``speaker: text`` lines for the turn parser.

Transcribers lay interviews out as a table — ``speaker | text``, often under a header row ("Speaker | Text",
"მოსაუბრე | ტექსტი", sometimes with a time or number column). A header row is recognised when every filled cell
is a known column name and there is a speaker and a text column; its rows are then read by column, so the header
itself never becomes a turn and a time column becomes the ``[hh:mm:ss]`` prefix the turn parser knows. A table
without such a header keeps the simple rule: first cell (short, no colon) is the speaker, the rest is the text.
"""

from __future__ import annotations

import re

_SPEAKER = {"speaker", "speakers", "name", "who", "person", "speaker name", "participant", "role",
            "მოსაუბრე", "სპიკერი", "ვინ", "სახელი", "მონაწილე", "პირი", "ვინ საუბრობს"}
_TEXT = {"text", "utterance", "transcript", "transcription", "speech", "content", "statement", "what was said",
         "turn", "ტექსტი", "ნათქვამი", "შინაარსი", "რეპლიკა", "ტრანსკრიპტი", "ტრანსკრიფცია", "საუბარი"}
_TIME = {"time", "timestamp", "time code", "timecode", "start", "start time", "დრო", "დროის ნიშნული",
         "დასაწყისი", "დრო (წთ)"}
_NUMBER = {"#", "no", "no.", "nr", "n", "№", "line", "ხაზი", "#."}
_TIMESTAMP = re.compile(r"^\[?(\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)\]?$")


def _header_key(cell: str) -> str:
    return " ".join(cell.casefold().strip().rstrip(":").split())


def header_columns(row: list[str]) -> dict[str, int] | None:
    """Column roles (``speaker``, ``text``, ``time``) when ``row`` is a header row, else None."""
    roles: dict[str, int] = {}
    for index, cell in enumerate(row):
        key = _header_key(cell)
        if not key:
            continue
        for role, words in (("speaker", _SPEAKER), ("text", _TEXT), ("time", _TIME), ("number", _NUMBER)):
            if key in words and role not in roles:
                roles[role] = index
                break
        else:
            return None  # a cell that is no column name: this row is content
    return roles if "speaker" in roles and "text" in roles else None


def table_lines(rows: list[list[str]]) -> list[str]:
    """One line per row; see the module docstring for the header rule."""
    rows = [[" ".join(cell.split()) for cell in row] for row in rows]
    columns = header_columns(rows[0]) if rows else None
    if columns is None:
        return [_plain_row(row) for row in rows]
    out: list[str] = []
    for row in rows[1:]:
        def cell(role: str, row: list[str] = row) -> str:
            index = columns.get(role)
            return row[index] if index is not None and index < len(row) else ""
        speaker, text = cell("speaker").rstrip(":").strip(), cell("text")
        stamp = _TIMESTAMP.match(cell("time"))
        prefix = f"[{stamp.group(1)}] " if stamp else ""
        if speaker:
            out.append(f"{prefix}{speaker}: {text}")
        else:
            out.append(f"{prefix}{text}")  # an empty speaker cell: the previous speaker goes on
    return out


def _plain_row(cells: list[str]) -> str:
    cells = [c for c in cells if c]
    if len(cells) >= 2 and len(cells[0]) <= 40 and not cells[0].endswith(":"):
        return f"{cells[0]}: {' '.join(cells[1:])}"
    return " ".join(cells)
