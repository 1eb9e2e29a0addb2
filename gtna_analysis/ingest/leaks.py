"""Find participants' names in what a build and its reports produced: the check behind ``gtna privacy-check``.

The names are the study's header names, matched exactly as the pseudonymiser matches them (every Georgian case
form, every romanisation, NFKC-folded, hyphenated across lines), so a name the build should have masked and did
not is found, and a placeholder or an ordinary word is not. Every kind of output is opened the way a reader would
see it: processed tables cell by cell (parquet, CSV line by line), JSON and notebooks string by string (their
``\\u10d0`` escapes decoded), HTML with its entities decoded (``&#4310;`` is ზ), XLSX cell by cell, Word
copies of reports paragraph by paragraph, PDF copies page by page (their text layer, as a reader's search or
copy-paste gets it), and QDPX/zip archives member by member. The encrypted build cache is
skipped (it holds names by design and only someone with the raw transcript can read it).
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gtna_analysis.errors import GtnaError

from .pseudonymise import StudyNames
from .readers.limits import check_zip, read_member
from .romanise import fold

TEXT_SUFFIXES = frozenset((".html", ".htm", ".xml", ".qde", ".txt", ".md", ".csv", ".tsv", ".qdc", ".svg"))
JSON_SUFFIXES = frozenset((".json", ".ipynb"))
ARCHIVE_SUFFIXES = frozenset((".qdpx", ".zip"))
SKIPPED_FOLDERS = frozenset((".cache",))
# Embedded images (report plots) are base64: no names in them, and megabytes of pseudo-words to look up.
# A wrapped payload goes on after white space only in full-length base64 lines: a word after the URI ("… Revaz")
# is text a reader sees, not part of the image.
_DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+(?:\s+[A-Za-z0-9+/=]{40,})*")
_BASE64 = re.compile(r"[A-Za-z0-9+/=\n]{200,}")  # no spaces: prose always has some


@dataclass(frozen=True)
class Leak:
    """One name found: where (``file:line``, ``file: row 3, column text``, ``file!Sheet!B7``, ``file:member:line``)
    and the words as written."""

    file: str
    where: str
    found: str
    whose: str

    def __str__(self) -> str:
        return f"{self.where}: {self.found!r} ({self.whose})"


def _lines(text: str, where: str, decode_html: bool) -> Iterator[tuple[str, str]]:
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        # a name hyphenated across a line break is a leak too: look at the next line's first word with it
        joined = line + ("\n" + lines[number].lstrip()[:40] if number < len(lines) and line.endswith("-") else "")
        if "base64," in joined:
            joined = _DATA_URI.sub("", joined)
        yield f"{where}:{number}", html.unescape(joined) if decode_html else joined


def _json_strings(value: object, pointer: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        if not _BASE64.fullmatch(value):  # a notebook's image/png output
            yield pointer or "/", _DATA_URI.sub("", value) if "base64," in value else value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _json_strings(key, f"{pointer}/{key}")
            yield from _json_strings(item, f"{pointer}/{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _json_strings(item, f"{pointer}/{i}")


def _from_bytes(data: bytes, name: str, where: str) -> Iterator[tuple[str, str]]:
    """(location, text) pieces of one file's content, by its type; unknown binary types give nothing."""
    suffix = Path(name).suffix.lower()
    if suffix == ".parquet":
        import pandas as pd

        frame = pd.read_parquet(io.BytesIO(data))
        for column in frame.columns:
            if frame[column].dtype.kind in "OUS" or str(frame[column].dtype) in ("string", "str"):
                for row, value in enumerate(frame[column].tolist()):
                    if isinstance(value, str) and value:
                        yield f"{where}: row {row + 1}, column {column}", value
            yield f"{where}: column name", str(column)
    elif suffix in JSON_SUFFIXES:
        try:
            document = json.loads(data.decode("utf-8-sig", errors="replace"))
        except ValueError:
            yield from _lines(data.decode("utf-8", errors="replace"), where, False)
            return
        for pointer, text in _json_strings(document, ""):
            yield f"{where}:{pointer}", html.unescape(text) if suffix == ".ipynb" else text
    elif suffix == ".xlsx":
        from openpyxl import load_workbook

        _check_container(data, where)
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value:
                        yield f"{where}!{sheet.title}!{cell.coordinate}", cell.value
        book.close()
    elif suffix == ".docx":  # a report's Word copy: paragraphs and table cells as Word shows them
        from docx import Document

        _check_container(data, where)
        document = Document(io.BytesIO(data))
        for number, paragraph in enumerate(document.paragraphs, start=1):
            if paragraph.text:
                yield f"{where}: paragraph {number}", paragraph.text
        for t, table in enumerate(document.tables, start=1):
            for r, row in enumerate(table.rows, start=1):
                for c, cell in enumerate(row.cells, start=1):
                    if cell.text:
                        yield f"{where}: table {t}, row {r}, cell {c}", cell.text
    elif suffix == ".pdf":  # a report's PDF copy: the text layer Chromium wrote, page by page
        yield from _pdf_pages(data, where)
    elif suffix in ARCHIVE_SUFFIXES:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip(where, archive)  # a planted zip bomb must not take the checker down
            for member in archive.namelist():
                if not member.endswith("/"):
                    yield from _from_bytes(read_member(archive, member, where), member, f"{where}:{member}")
    elif suffix in TEXT_SUFFIXES:
        text = data.decode("utf-8-sig", errors="replace")
        yield from _lines(text, where, suffix in (".html", ".htm", ".xml", ".qde", ".svg", ".qdc"))


def _check_container(data: bytes, where: str) -> None:
    """XLSX and DOCX are zip containers: bounded like a transcript's before their reader inflates them."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return  # not a zip at all: the format's reader says so in its own words
    with archive:
        check_zip(where, archive)


def _pdf_pages(data: bytes, where: str) -> Iterator[tuple[str, str]]:
    """Each page's text layer, line by line: what a reader's search or copy-and-paste finds in the PDF."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    for number, page in enumerate(reader.pages, start=1):
        yield from _lines(page.extract_text() or "", f"{where}: page {number}", False)


def files_under(path: Path) -> list[Path]:
    """The files to check: ``path`` itself, or every file under it except the encrypted cache."""
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.is_file()
                  and not SKIPPED_FOLDERS.intersection(part for part in p.relative_to(path).parts[:-1]))


def scan_text(text: str, names: StudyNames) -> list[tuple[str, str]]:
    """(words as written, whose name) of every participant name in ``text``."""
    folded = fold(text)
    out = []
    for mention in names.mentions(folded.text):
        start, end = folded.span(mention.start, mention.end)
        whose = ", ".join(sorted({f"{p.interview_id}:{p.participant_id}" for p in mention.people}))
        out.append((text[start:end], whose))
    return out


def scan_file(path: Path, names: StudyNames, shown_as: str | None = None) -> list[Leak]:
    """Every participant name in one file (of any supported type), with its location."""
    leaks: list[Leak] = []
    for where, text in _from_bytes(path.read_bytes(), path.name, shown_as or str(path)):
        leaks += [Leak(str(path), where, found, whose) for found, whose in scan_text(text, names)]
    return leaks


@dataclass
class Scan:
    """What a privacy check found: the names, how many files it read, and the files it could not read.

    An unreadable file is not a clean one: a damaged workbook, a truncated PDF or an archive over the size limits
    is listed, never skipped in silence, so the check cannot vouch for a file it did not look into."""

    leaks: list[Leak]
    files: int
    unreadable: list[str]


def scan_leaks(paths: list[Path], names: StudyNames) -> Scan:
    """Leaks in every file under ``paths``, the number of files looked at, and those that could not be read."""
    scan = Scan([], 0, [])
    for root in paths:
        for path in files_under(root):
            scan.files += 1
            try:
                scan.leaks += scan_file(path, names)
            except GtnaError as exc:  # over a size limit: the message already names the file and the limit
                scan.unreadable.append(str(exc))
            except Exception as exc:  # every reader (pyarrow, openpyxl, pypdf, zipfile…) fails its own way
                scan.unreadable.append(f"{path}: cannot be read as {path.suffix or 'text'} ({type(exc).__name__}: "
                                       f"{exc}); not checked")
    return scan
