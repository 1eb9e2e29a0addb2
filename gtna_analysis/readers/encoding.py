"""Decode transcript bytes: UTF-8 (with or without BOM) and UTF-16 are expected; anything else is detected.

Fieldwork files arrive from many machines. Old Windows exports are often UTF-16 or a legacy code page; we decode
what we can recognise with confidence, report what we guessed, and refuse binary data instead of guessing.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from charset_normalizer import from_bytes

from ..errors import GtnaError


def decode_bytes(data: bytes, path: Path) -> tuple[str, str, list[str]]:
    """Return (text, encoding name, warnings)."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", path), "utf-8-sig", []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", path), "utf-16", []
    if b"\x00" in data:
        raise GtnaError.at(path, None, "binary file, not a text transcript",
                           "save the transcript as UTF-8 text, .docx or .odt")
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise GtnaError.at(path, None, "cannot determine the text encoding", "re-save the file as UTF-8")
    warning = f"{path}: not UTF-8; decoded as {best.encoding} (detected) — please check the text"
    return str(best), best.encoding, [warning]


def _strict(data: bytes, encoding: str, path: Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1 if encoding == "utf-8" else None
        raise GtnaError.at(path, line, f"invalid {encoding} data ({exc.reason})") from None
