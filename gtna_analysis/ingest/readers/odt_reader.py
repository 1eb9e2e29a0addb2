"""OpenDocument text (odfpy): paragraphs and headings in document order; header as leading paragraphs.

Files come from LibreOffice, Word, Google Docs and Pandoc, which write the same ODF very differently. Pandoc and
other generators pretty-print ``content.xml``: whitespace text nodes sit between elements, and a paragraph's text
is spread over nested ``text:span``/``text:a`` elements with indentation between them. So the reader does not
trust ``document.text`` (odfpy takes the *first child* of ``office:body``, which in a pretty-printed file is a
whitespace node — the reason Pandoc files used to read as empty) and applies ODF's white-space rules itself
(ODF 1.2 §6.1.2): runs of space, tab, CR and LF in the XML collapse to one space, ``text:s`` (with ``text:c``),
``text:tab`` and ``text:line-break`` are the only real spaces, tabs and line breaks, and a paragraph is trimmed.

Paragraphs are collected recursively (sections, lists, list items, table cells nest them); ``text:soft-page-break``
is layout and ignored; tracked deletions, notes and comments are not what was said and are skipped. A table row
becomes ``speaker: text`` like in the Word reader (shared in ``tables.py``, header rows included).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from gtna_analysis.errors import GtnaError

from .base import BodyLine, RawTranscript, split_front_matter
from .tables import table_lines

_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
# Content that is not the running text: deleted text kept for change tracking, footnotes/endnotes, comments.
_SKIPPED = {(_TEXT_NS, "tracked-changes"), (_TEXT_NS, "note"), (_OFFICE_NS, "annotation"),
            (_OFFICE_NS, "annotation-end"), (_TEXT_NS, "soft-page-break"), (_TEXT_NS, "bookmark-ref")}
_XML_SPACE = re.compile(r"[ \t\r\n]+")


def read_odt(path: Path) -> RawTranscript:
    from odf import office
    from odf.opendocument import load

    try:
        document = load(str(path))
        bodies = document.getElementsByType(office.Text)
    except Exception as exc:  # zip, XML and ODF errors all mean the same thing to the user
        raise GtnaError.at(path, 1, f"not a readable .odt file: truncated or corrupt ({type(exc).__name__})",
                           "open it in LibreOffice and save it again") from None
    if not bodies:
        raise GtnaError.at(path, 1, "not a text document: the .odt has no office:text body",
                           "save the transcript as a text document (.odt), not a spreadsheet or drawing")
    lines: list[str] = []
    for kind, element in _blocks(bodies[0]):
        if kind == "table":
            lines.extend(table_lines([[paragraph_text(p) for p in _cells(row)] for row in _rows(element)]))
        else:
            lines.extend(paragraph_text(element).split("\n"))
    header, body_start = split_front_matter(lines, path, undelimited=True)
    return RawTranscript(path, header, [BodyLine(i + 1, lines[i]) for i in range(body_start, len(lines))], "odt")


def _qname(node) -> tuple[str, str] | None:
    return getattr(node, "qname", None)


def _blocks(node) -> Iterator[tuple[str, object]]:
    """``text:p``/``text:h`` paragraphs and ``table:table`` tables in document order, at any depth."""
    for child in node.childNodes:
        qname = _qname(child)
        if qname is None or qname in _SKIPPED:
            continue
        if qname[0] == _TEXT_NS and qname[1] in ("p", "h"):
            yield "paragraph", child
        elif qname == (_TABLE_NS, "table"):
            yield "table", child
        else:
            yield from _blocks(child)


def _rows(table) -> Iterator[object]:
    """Rows of a table, also inside ``table:table-header-rows`` and row groups (Pandoc writes a header group)."""
    for child in table.childNodes:
        qname = _qname(child)
        if qname == (_TABLE_NS, "table-row"):
            yield child
        elif qname is not None and qname[0] == _TABLE_NS and qname[1] in ("table-header-rows", "table-rows",
                                                                           "table-row-group"):
            yield from _rows(child)


def _cells(row) -> Iterator[object]:
    """A row's cells; a cell's text is its paragraphs joined by spaces (a covered cell is empty)."""
    for child in row.childNodes:
        if _qname(child) == (_TABLE_NS, "table-cell"):
            yield child


def paragraph_text(element) -> str:
    """The text of a paragraph (or of every paragraph in a cell, joined by spaces) under ODF white-space rules."""
    qname = _qname(element)
    if qname == (_TABLE_NS, "table-cell"):
        return " ".join(filter(None, (paragraph_text(p) for kind, p in _blocks(element) if kind == "paragraph")))
    pieces: list[str] = []
    _collect(element, pieces)
    # Literal pieces are marked with \0 so that collapsing XML white space never touches text:s / tab / break.
    text = "".join(pieces)
    out = []
    for i, chunk in enumerate(text.split("\0")):
        out.append(chunk if i % 2 else _XML_SPACE.sub(" ", chunk))
    joined = "".join(out)
    return "\n".join(line.strip(" ") for line in joined.split("\n"))


def _collect(node, pieces: list[str]) -> None:
    for child in node.childNodes:
        if child.nodeType == child.TEXT_NODE:
            pieces.append(child.data.replace("\0", ""))
            continue
        qname = _qname(child)
        if qname is None or qname in _SKIPPED:
            continue
        if qname == (_TEXT_NS, "s"):
            count = child.getAttrNS(_TEXT_NS, "c")
            pieces.append("\0" + " " * (int(count) if count and count.isdigit() else 1) + "\0")
        elif qname == (_TEXT_NS, "tab"):
            pieces.append("\0\t\0")
        elif qname == (_TEXT_NS, "line-break"):
            pieces.append("\0\n\0")
        else:
            _collect(child, pieces)
