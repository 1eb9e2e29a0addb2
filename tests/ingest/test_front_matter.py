"""The YAML front-matter header every reader shares (``readers.base.split_front_matter``) and the plain-text reader
(``readers.text``): where a header starts and ends (blank lines first, ``---``, Word's dashes, ``...``), the
undelimited header of documents, the line numbers of the header's keys and of the body, and each error at the
line a researcher must look at."""

from __future__ import annotations

from pathlib import Path

import pytest

from gtna_analysis.errors import GtnaError
from gtna_analysis.ingest.readers.base import split_front_matter
from gtna_analysis.ingest.readers.text import read_text

P = Path("t.md")


def split(text: str, first_line_no: int = 1, undelimited: bool = False) -> tuple[dict | None, int, dict]:
    header, body_start = split_front_matter(text.split("\n"), P, first_line_no, undelimited)
    lines = {key: header.line_of(key) for key in header} if header is not None else {}
    return (dict(header) if header is not None else None), body_start, lines


def error(text: str, first_line_no: int = 1, undelimited: bool = False) -> list[str]:
    with pytest.raises(GtnaError) as info:
        split_front_matter(text.split("\n"), P, first_line_no, undelimited)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(("opener", "closer"), [
    ("---", "---"), ("-----", "---"), ("  ---  ", "...  "), ("—", "—"), ("–", "–––"), ("———", "---"), ("---", "—"),
])
def test_delimiters_word_may_have_rewritten(opener: str, closer: str) -> None:
    assert split(f"\n \n{opener}\ninterview_id: A\nagency: moes\n{closer}\nP1: hi") == (
        {"interview_id": "A", "agency": "moes"}, 6, {"interview_id": 4, "agency": 5})


@pytest.mark.parametrize("text", ["--", "----x", "————", "- - -", "==="])
def test_lines_that_open_no_header(text: str) -> None:
    assert split(f"{text}\ninterview_id: A\n---\nP1: hi") == (None, 0, {})


def test_no_header_and_nothing_at_all() -> None:
    assert split("P1: hi\n---\nx: y\n---") == (None, 0, {})
    assert split("") == (None, 0, {})
    assert split("\n  \n\t") == (None, 0, {})


def test_the_first_closer_ends_the_header() -> None:
    assert split("---\na: 1\n...\nb: 2\n---\nbody") == ({"a": 1}, 3, {"a": 2})


def test_line_numbers_count_from_the_given_first_line() -> None:
    """Documents number paragraphs from the top; a header may start lower (after blank paragraphs)."""
    assert split("\n---\ninterview_id: A\n---", first_line_no=5) == ({"interview_id": "A"}, 4, {"interview_id": 7})


def test_an_empty_header_is_an_empty_mapping_at_its_opening_line() -> None:
    header, body_start = split_front_matter(["", "---", "---", "P1: hi"], P, 3)
    assert (dict(header), header.line, body_start) == ({}, 4, 3)
    assert header.line_of("interview_id") == 4  # a missing field is reported at the header


def test_a_header_that_never_closes_is_an_error_at_its_opening_line() -> None:
    assert error("\n\n---\ninterview_id: A\nP1: hi", first_line_no=2) == [
        "t.md:4: front matter opened with '---' is never closed (hint: end the header with a line containing only "
        "---)"]


def test_a_header_that_is_not_a_mapping_is_an_error_at_its_first_line() -> None:
    assert error("---\n- a\n- b\n---") == ["t.md:1: front matter must be a YAML mapping of field: value (hint: e.g. "
                                           "interview_id: MOES-03)"]
    assert error("---\njust text\n---", first_line_no=4) == [
        "t.md:4: front matter must be a YAML mapping of field: value (hint: e.g. interview_id: MOES-03)"]
    assert error("---\njust text\n---", first_line_no=0)[0].startswith("t.md:1: front matter must be a YAML")


def test_an_undelimited_header_ends_at_the_first_blank_line_or_closer() -> None:
    text = "\ninterview_id: A\nagency: moes\n\nP1: hi"
    assert split(text, undelimited=True) == ({"interview_id": "A", "agency": "moes"}, 3, {"interview_id": 2,
                                                                                          "agency": 3})
    assert split(text) == (None, 0, {})  # only documents may leave out the dashes
    assert split("  interview_id : A\n  agency: moes\n...\nP1: hi", undelimited=True) == (
        {"interview_id": "A", "agency": "moes"}, 3, {"interview_id": 1, "agency": 2})
    assert split("interview_id: A\nagency: moes", first_line_no=3, undelimited=True) == (
        {"interview_id": "A", "agency": "moes"}, 2, {"interview_id": 3, "agency": 4})
    assert split("agency: moes\ninterview_id: A\n\nP1: hi", undelimited=True) == (None, 0, {})
    assert split("---\ninterview_id: A\n---\nP1", undelimited=True) == ({"interview_id": "A"}, 3,
                                                                          {"interview_id": 2})


def test_a_text_file_numbers_its_body_lines_from_the_top(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes("\ufeff---\ninterview_id: A\n---\r\n\r\nინტერვიუერი: კითხვა?\nP1: პასუხი.\n".encode())
    raw = read_text(path)
    assert (raw.path, raw.header, raw.encoding, raw.warnings) == (path, {"interview_id": "A"}, "utf-8-sig", [])
    assert [(b.line, b.text, b.t_start, b.speaker) for b in raw.body] == [
        (4, "", None, None), (5, "ინტერვიუერი: კითხვა?", None, None), (6, "P1: პასუხი.", None, None)]
    plain = tmp_path / "b.txt"
    plain.write_text("P1: a\nP2: b", encoding="utf-8")
    raw = read_text(plain)
    assert raw.header is None and [(b.line, b.text) for b in raw.body] == [(1, "P1: a"), (2, "P2: b")]


def test_an_undelimited_header_is_for_documents_only(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("interview_id: A\n\nP1: hi\n", encoding="utf-8")
    raw = read_text(path)
    assert raw.header is None and [b.text for b in raw.body] == ["interview_id: A", "", "P1: hi"]


def test_an_undelimited_header_that_is_not_a_mapping_names_the_file() -> None:
    assert error("\ninterview_id: [A\n\nP1", undelimited=True)[0].startswith("t.md:2: invalid YAML")
