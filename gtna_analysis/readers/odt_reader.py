"""OpenDocument text (odfpy): paragraphs and headings in document order; header as leading ``---`` paragraphs."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.parsers.expat import ExpatError

from ..errors import GtnaError
from .base import BodyLine, RawTranscript, split_front_matter


def read_odt(path: Path) -> RawTranscript:
    from odf import teletype, text
    from odf.opendocument import load

    try:
        document = load(str(path))
    except (zipfile.BadZipFile, KeyError, ExpatError, ValueError) as exc:
        raise GtnaError.at(path, None, f"not a readable .odt file (truncated or corrupt: {exc})",
                           "open it in LibreOffice and save it again") from None
    paragraphs: list[str] = []
    for element in document.text.childNodes:
        if element.qname[1] in ("p", "h"):
            paragraphs.append(teletype.extractText(element))
        elif element.qname[1] == "list":
            paragraphs.extend(teletype.extractText(p) for p in element.getElementsByType(text.P))
    header, body_start = split_front_matter(paragraphs, path)
    body = [BodyLine(i + 1, paragraphs[i]) for i in range(body_start, len(paragraphs))]
    return RawTranscript(path, header, body, "odt")
