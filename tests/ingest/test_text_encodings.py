"""Decoding transcript bytes (``ingest.readers.encoding``) at its edges: the encoding name a build reports, a short
answer in UTF-16 without a byte-order mark, a stray control character that does not make a file binary, NUL
characters that do, undecodable data after a byte-order mark, and the exact messages (file, line, hint)."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from gtna_analysis.errors import GtnaError
from gtna_analysis.ingest.readers.encoding import decode_bytes

PATH = Path("interviews/MOES-01.txt")
BINARY = f"{PATH}:1: binary file, not a text transcript (hint: save the transcript as UTF-8 text, .docx or .odt)"
ANSWER = "P1: ტრენინგი საჭიროა"


def error(data: bytes) -> str:
    with pytest.raises(GtnaError) as info:
        decode_bytes(data, PATH)
    return str(info.value)


@pytest.mark.parametrize(("data", "encoding"), [
    (ANSWER.encode(), "utf-8"),
    (codecs.BOM_UTF8 + ANSWER.encode(), "utf-8-sig"),
    (ANSWER.encode("utf-16"), "utf-16"),
])
def test_the_encoding_name_reported(data: bytes, encoding: str) -> None:
    assert decode_bytes(data, PATH) == (ANSWER, encoding, [])


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_a_short_answer_in_utf16_without_a_byte_order_mark(encoding: str) -> None:
    """Fourteen Georgian letters and one space: the space's NUL byte is the only sign (1 of 30 bytes)."""
    text = "ტრენინგი საჭირო"
    assert decode_bytes(text.encode(encoding), PATH) == (
        text, encoding, [f"{PATH}:1: no byte-order mark; decoded as {encoding} — please check"])


def test_a_stray_control_character_is_not_binary() -> None:
    text = "\x01" + "ა" * 99  # 1 % control characters: still text
    assert decode_bytes(text.encode(), PATH)[0] == text
    legacy = ("Семинар был полезным" * 5)[:-1].encode("cp1251") + b"\x01"  # 1 control byte in 100
    assert "был полезным" in decode_bytes(legacy, PATH)[0]


def test_more_control_characters_or_a_nul_are_binary() -> None:
    assert error(("\x01\x02" + "ა" * 98).encode()) == BINARY
    assert error(codecs.BOM_UTF16_LE + ("ტრენინგი\x00" * 20).encode("utf-16-le")) == BINARY
    assert error(("ab\x01\x02" * 20).encode("utf-16-le")) == BINARY  # no byte-order mark, then binary
    assert error(codecs.BOM_UTF16_LE + ("ტრენინგი " * 25 + "\x00").encode("utf-16-le")) == BINARY  # one NUL


def test_invalid_utf16_after_a_byte_order_mark_names_the_file() -> None:
    assert error(codecs.BOM_UTF16_LE + "ab".encode("utf-16-le") + b"\x00\xd8").startswith(
        f"{PATH}:1: invalid utf-16 data (")


def test_an_encoding_that_cannot_be_determined() -> None:
    assert error(bytes(range(128, 256))) == (f"{PATH}:1: cannot determine the text encoding "
                                             "(hint: re-save the file as UTF-8)")
