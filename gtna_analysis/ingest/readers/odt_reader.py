"""OpenDocument text (odfpy): paragraphs and headings in document order; header as leading paragraphs.

Paragraphs are collected recursively (sections, lists and table cells nest them); a ``text:line-break`` splits a
paragraph into lines, as in the Word reader.
"""

from __future__ import annotations

from pathlib import Path

from gtna_analysis.errors import GtnaError

from .base import BodyLine, RawTranscript, split_front_matter

_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def read_odt(path: Path) -> RawTranscript:
    from odf import teletype
    from odf.opendocument import load

    try:
        document = load(str(path))
        body = document.text
    except Exception as exc:  # zip, XML and ODF errors all mean the same thing to the user
        raise GtnaError.at(path, 1, f"not a readable .odt file: truncated or corrupt ({type(exc).__name__})",
                           "open it in LibreOffice and save it again") from None
    lines: list[str] = []
    for element in _paragraphs(body):
        lines.extend(teletype.extractText(element).split("\n"))
    header, body_start = split_front_matter(lines, path, undelimited=True)
    return RawTranscript(path, header, [BodyLine(i + 1, lines[i]) for i in range(body_start, len(lines))], "odt")


def _paragraphs(node):
    """``text:p`` and ``text:h`` elements in document order, at any depth (not nested inside each other)."""
    for child in node.childNodes:
        qname = getattr(child, "qname", None)
        if qname is None:
            continue
        if qname[0] == _TEXT_NS and qname[1] in ("p", "h"):
            yield child
        else:
            yield from _paragraphs(child)
