"""Decode transcript bytes: UTF-8 (with or without BOM) and UTF-16 are expected; anything else is detected.

Fieldwork files arrive from many machines. Old Windows exports are often UTF-16 (sometimes without a BOM) or a
legacy code page; we decode what we can recognise, report what we guessed (a warning naming the encoding, so a
researcher can check the text), and refuse binary data instead of turning it into a "transcript" of garbage.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from charset_normalizer import from_bytes

from gtna_analysis.errors import GtnaError

# Share of control characters above which decoded "text" is really binary data.
_MAX_CONTROL_SHARE = 0.01
_ALLOWED_CONTROLS = frozenset("\n\r\t\f")


def decode_bytes(data: bytes, path: Path) -> tuple[str, str, list[str]]:
    """Return (text, encoding name, warnings); raise a located GtnaError for binary or undecodable data."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", path), "utf-8-sig", []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _checked(_strict(data, "utf-16", path), path), "utf-16", []
    if b"\x00" in data:
        guessed = _utf16_without_bom(data)
        if guessed is None:
            raise _binary(path)
        text, encoding = guessed
        return _checked(text, path), encoding, [f"{path}:1: no byte-order mark; decoded as {encoding} — please check"]
    try:
        return _checked(data.decode("utf-8"), path), "utf-8", []
    except UnicodeDecodeError:
        pass
    controls = sum(data.count(bytes([b])) for b in range(32) if chr(b) not in _ALLOWED_CONTROLS)
    if controls > _MAX_CONTROL_SHARE * len(data):
        raise _binary(path)
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise GtnaError.at(path, 1, "cannot determine the text encoding", "re-save the file as UTF-8")
    text = _checked(str(best), path)
    return text, best.encoding, [f"{path}:1: not UTF-8; decoded as {best.encoding} (detected) — please check the text"]


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without BOM: NUL bytes sit in the high half of ASCII characters (spaces, newlines, digits)."""
    if len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if odd > 4 * even and odd >= len(data) // 20:
        encoding = "utf-16-le"
    elif even > 4 * odd and even >= len(data) // 20:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError:
        return None


def _checked(text: str, path: Path) -> str:
    """Reject decoded text that is mostly control characters (a binary file that happened to decode)."""
    controls = sum(1 for ch in text if ch < " " and ch not in _ALLOWED_CONTROLS)
    if text and (controls > _MAX_CONTROL_SHARE * len(text) or "\x00" in text):
        raise _binary(path)
    return text


def _binary(path: Path) -> GtnaError:
    return GtnaError.at(path, 1, "binary file, not a text transcript",
                        "save the transcript as UTF-8 text, .docx or .odt")


def _strict(data: bytes, encoding: str, path: Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1 if encoding == "utf-8" else 1
        raise GtnaError.at(path, line, f"invalid {encoding} data ({exc.reason})") from None
