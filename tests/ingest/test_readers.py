"""Readers: every transcript format and encoding becomes the same RawTranscript (header + numbered lines)."""

from __future__ import annotations

import codecs
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from transcript_files import make_docx, make_odt

from gtna_analysis.errors import GtnaError
from gtna_analysis.ingest.readers import read_transcript

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
HEADER = """---
interview_id: MOES-70
agency: moes
mode: individual
language: ka
participants:
  - {id: P1, name: ლია ხელაძე}
---
"""
BODY = "ინტერვიუერი: [Q1] რა არის თქვენი უწყების პრიორიტეტები?\nP1: ძალადობის პრევენცია და სტატისტიკა.\n"
TEXT = HEADER + BODY


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def body_texts(path: Path) -> list[str]:
    return [b.text for b in read_transcript(path).body if b.text.strip()]


def error_of(path: Path) -> str:
    with pytest.raises(GtnaError) as info:
        read_transcript(path)
    assert len(info.value.problems) == 1
    return str(info.value.problems[0])


# --- txt / md and encodings ---------------------------------------------------------------------------------

def test_markdown_front_matter_and_line_numbers(tmp_path: Path) -> None:
    raw = read_transcript(write(tmp_path, "a.md", TEXT))
    assert raw.header["interview_id"] == "MOES-70"
    assert raw.header.line_of("agency") == 3
    assert raw.body[0].line == 9 and raw.body[0].text.startswith("ინტერვიუერი:")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_unicode_encodings_decode_to_the_same_text(tmp_path: Path, encoding: str) -> None:
    data = TEXT.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):  # with an explicit byte-order mark
        data = (codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE) + data
    raw = read_transcript(write(tmp_path, "a.txt", data))
    assert raw.header["interview_id"] == "MOES-70"
    assert [b.text for b in raw.body] == BODY.splitlines()
    assert not raw.warnings


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_decoded_with_a_warning(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path, "a.txt", TEXT.encode(encoding))
    raw = read_transcript(path)
    assert raw.header["agency"] == "moes" and raw.encoding == encoding
    assert raw.warnings and raw.warnings[0].startswith(f"{path}:1: ")


def test_legacy_code_page_is_detected_and_reported(tmp_path: Path) -> None:
    text = ("---\ninterview_id: MOES-71\nagency: moes\nmode: individual\nlanguage: en\nparticipants:\n"
            "  - {id: P1, name: Olga Petrova}\n---\n"
            "Interviewer: What did the seminar cover?\n"
            "P1: Мы обсуждали гендерное равенство, статистику и бюджетирование. Семинар был полезным, "
            "но слишком коротким для всех сотрудников министерства.\n")
    path = write(tmp_path, "a.txt", text.encode("cp1251"))
    raw = read_transcript(path)
    assert "гендерное равенство" in raw.body[1].text
    assert raw.encoding.replace("_", "").lower() in ("cp1251", "windows1251")
    assert "decoded as" in raw.warnings[0] and raw.warnings[0].startswith(f"{path}:1:")


def test_invalid_utf8_after_bom_points_at_the_line(tmp_path: Path) -> None:
    data = codecs.BOM_UTF8 + TEXT.encode() + b"P1: broken \xff byte\n"
    assert error_of(write(tmp_path, "a.md", data)).startswith(f"{tmp_path / 'a.md'}:11: invalid utf-8")


# --- bad files ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "line", "message"), [
    ("empty.md", 1, "empty file"),
    ("binary.md", 1, "binary file"),
    ("truncated.docx", 1, "not a readable .docx file"),
    ("malformed_front_matter.md", 6, "invalid YAML"),
    ("unclosed_front_matter.md", 1, "front matter opened with '---' is never closed"),
])
def test_bad_files_are_located_errors(tmp_path: Path, name: str, line: int, message: str) -> None:
    path = Path(shutil.copy(FIXTURES / "bad" / name, tmp_path / name))
    assert error_of(path).startswith(f"{path}:{line}: {message}")


def test_front_matter_that_is_not_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", "---\n- just\n- a list\n---\nP1: hi\n")
    assert error_of(path).startswith(f"{path}:1: front matter must be a YAML mapping")


def test_whitespace_only_file(tmp_path: Path) -> None:
    assert "file contains no text" in error_of(write(tmp_path, "a.txt", "\n  \n\t\n"))


def test_random_bytes_without_nul_are_not_a_transcript(tmp_path: Path) -> None:
    data = bytes((i * 7 + 3) % 256 for i in range(2048)).replace(b"\x00", b"\x01")
    assert "binary file" in error_of(write(tmp_path, "a.txt", data))


def test_unsupported_suffix(tmp_path: Path) -> None:
    assert "unsupported transcript format '.pdf'" in error_of(write(tmp_path, "a.pdf", b"%PDF-1.4"))


# --- docx / odt ---------------------------------------------------------------------------------------------

def test_docx_header_paragraphs_table_rows_and_line_breaks(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "a.docx", HEADER.splitlines() + BODY.splitlines(),
                     table=[["P1", "ცხრილის პასუხი"], ["ინტერვიუერი", "[Q2] შემდეგი კითხვა"]],
                     soft_break=("P1: პირველი ხაზი", "ინტერვიუერი: მეორე ხაზი"))
    raw = read_transcript(path)
    assert raw.header["participants"][0]["name"] == "ლია ხელაძე"
    assert [b.text for b in raw.body] == [*BODY.splitlines(), "P1: პირველი ხაზი", "ინტერვიუერი: მეორე ხაზი",
                                          "P1: ცხრილის პასუხი", "ინტერვიუერი: [Q2] შემდეგი კითხვა"]
    assert [b.line for b in raw.body] == [9, 10, 11, 12, 13, 14]


def test_docx_header_survives_word_autocorrect(tmp_path: Path) -> None:
    """Word turns '---' into an em dash, or swallows it: both still give a header."""
    lines = HEADER.splitlines()
    dashed = make_docx(tmp_path / "dash.docx", ["—", *lines[1:-1], "—", *BODY.splitlines()])
    assert read_transcript(dashed).header["interview_id"] == "MOES-70"
    bare = make_docx(tmp_path / "bare.docx", [*lines[1:-1], "", *BODY.splitlines()])
    raw = read_transcript(bare)
    assert raw.header["interview_id"] == "MOES-70" and raw.body[-1].text.startswith("P1:")


def test_docx_without_header_has_none(tmp_path: Path) -> None:
    raw = read_transcript(make_docx(tmp_path / "a.docx", BODY.splitlines()))
    assert raw.header is None and len(raw.body) == 2


def test_truncated_docx_at_any_length(tmp_path: Path) -> None:
    data = make_docx(tmp_path / "full.docx", TEXT.splitlines()).read_bytes()
    for size in (10, 500, len(data) // 2, len(data) - 30):
        path = write(tmp_path, f"cut{size}.docx", data[:size])
        assert error_of(path).startswith(f"{path}:1: not a readable .docx file")


def test_odt_header_nested_paragraphs_and_line_breaks(tmp_path: Path) -> None:
    path = make_odt(tmp_path / "a.odt", HEADER.splitlines() + BODY.splitlines(),
                    line_break=("P1: პირველი", "ინტერვიუერი: მეორე"))
    raw = read_transcript(path)
    assert raw.header["interview_id"] == "MOES-70"
    assert [b.text for b in raw.body] == [*BODY.splitlines(), "P1: პირველი", "ინტერვიუერი: მეორე"]


def test_truncated_odt(tmp_path: Path) -> None:
    data = make_odt(tmp_path / "full.odt", TEXT.splitlines()).read_bytes()
    path = write(tmp_path, "cut.odt", data[: len(data) // 2])
    assert error_of(path).startswith(f"{path}:1: not a readable .odt file")


# --- subtitles ----------------------------------------------------------------------------------------------

def test_vtt_note_header_voices_prefixes_and_times() -> None:
    raw = read_transcript(FIXTURES / "formats" / "MOES-91.vtt")
    assert raw.header["interview_id"] == "MOES-91" and raw.header.line_of("agency") == 6
    first = raw.body[0]
    assert (first.speaker, first.t_start, first.t_end) == ("Interviewer", 1.0, 5.5)
    assert first.text == "[Q1] What are your agency's priorities in the field of gender equality?"
    assert [b.speaker for b in raw.body[1:3]] == ["Nino Beridze", "Nino Beridze"]
    assert [b.text for b in raw.body[3:]] == ["P2: I agree with Nino. [inaudible] Online courses would help.",
                                              "Interviewer: Thank you."]
    assert raw.body[3].t_end == 19.25


def test_srt_cues_and_front_matter(tmp_path: Path) -> None:
    srt = (FIXTURES / "formats" / "MOLHSA-92.srt").read_text(encoding="utf-8")
    raw = read_transcript(FIXTURES / "formats" / "MOLHSA-92.srt")
    assert raw.header is None and len(raw.body) == 4 and raw.body[1].t_start == 4.5
    assert raw.body[0].line == 3
    with_header = write(tmp_path, "a.srt", HEADER + "\n" + srt)
    raw = read_transcript(with_header)
    assert raw.header["interview_id"] == "MOES-70"
    assert raw.body[0].line == 3 + len(HEADER.splitlines()) + 1


def test_malformed_subtitles(tmp_path: Path) -> None:
    path = write(tmp_path, "a.vtt", "WEBVTT\n\nthis is not a cue\n")
    assert error_of(path).startswith(f"{path}:1: ")
    path = write(tmp_path, "b.vtt", "not a vtt file at all\n")
    assert error_of(path).startswith(f"{path}:1: malformed VTT file")


def test_readers_never_modify_their_input(tmp_path: Path) -> None:
    files = [write(tmp_path, "a.md", TEXT), make_docx(tmp_path / "a.docx", TEXT.splitlines()),
             make_odt(tmp_path / "a.odt", TEXT.splitlines()),
             Path(shutil.copy(FIXTURES / "formats" / "MOES-91.vtt", tmp_path / "a.vtt"))]
    before = {f: (f.read_bytes(), f.stat().st_mtime_ns) for f in files}
    for f in files:
        read_transcript(f)
    assert before == {f: (f.read_bytes(), f.stat().st_mtime_ns) for f in files}


def test_docx_from_memory_roundtrip_is_stable(tmp_path: Path) -> None:
    """The same document read twice gives identical bodies (no hidden state in the reader)."""
    path = make_docx(tmp_path / "a.docx", TEXT.splitlines())
    first, second = read_transcript(path), read_transcript(path)
    assert [(b.line, b.text) for b in first.body] == [(b.line, b.text) for b in second.body]


# --- arbitrary input ----------------------------------------------------------------------------------------

@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=400), st.text(max_size=300).map(str.encode),
                      st.text(max_size=200).map(lambda t: ("---\n" + t).encode("utf-16"))),
       suffix=st.sampled_from([".md", ".txt", ".vtt", ".srt", ".docx", ".odt"]))
def test_arbitrary_bytes_give_a_transcript_or_a_located_error(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = write(tmp_path, f"x{suffix}", data)
    try:
        raw = read_transcript(path)
    except GtnaError as exc:
        assert all(p.path == str(path) and p.line for p in exc.problems)
    else:
        assert all(isinstance(b.text, str) and b.line >= 1 for b in raw.body)
