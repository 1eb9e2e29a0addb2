"""Word documents (python-docx): the header may be leading ``---`` paragraphs, like a text file's front matter."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import GtnaError
from .base import BodyLine, RawTranscript, split_front_matter


def read_docx(path: Path) -> RawTranscript:
    import docx  # python-docx; imported lazily because it is slow to import
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise GtnaError.at(path, None, f"not a readable .docx file (truncated or corrupt: {exc})",
                           "open it in Word/LibreOffice and save it again") from None
    paragraphs = [p.text for p in document.paragraphs]
    header, body_start = split_front_matter(paragraphs, path)
    body = [BodyLine(i + 1, paragraphs[i]) for i in range(body_start, len(paragraphs))]
    return RawTranscript(path, header, body, "docx")
