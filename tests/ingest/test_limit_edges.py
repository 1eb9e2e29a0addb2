"""Resource limits (``ingest.readers.limits``) at their edges: a file, member or member count exactly at a limit
is allowed, one byte or one member more is not; every refusal names the file and says what to do; a broken link
inside the study; an infinite setting; and a capped stream that never asks for more than one chunk at a time."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from gtna_analysis.errors import GtnaError
from gtna_analysis.ingest.readers.limits import (
    MB,
    check_transcript_file,
    check_zip,
    parse_positive,
    read_member,
    setting,
    size_warnings,
)

UNZIPPED_HINT = "if the file is genuine, raise max_unzipped_mb under limits: in study.yml (or GTNA_MAX_UNZIPPED_MB " \
                "for one run)"


def archive(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_infinity_is_no_limit_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert parse_positive("inf") is None and parse_positive(float("inf")) is None
    monkeypatch.setenv("GTNA_MAX_TRANSCRIPT_MB", "inf")
    with pytest.raises(GtnaError) as info:
        setting("max_transcript_mb")
    assert str(info.value) == "GTNA_MAX_TRANSCRIPT_MB: must be a positive number, got 'inf' (hint: default: 20)"


def test_a_transcript_exactly_at_the_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GTNA_MAX_TRANSCRIPT_MB", "1")
    monkeypatch.setenv("GTNA_WARN_TRANSCRIPT_MB", "1")
    path = tmp_path / "a.txt"
    path.write_bytes(b"a" * MB)
    check_transcript_file(path, tmp_path)
    assert size_warnings(path) == []
    path.write_bytes(b"a" * (MB + 1))
    assert size_warnings(path) == [f"{path}: unusually large transcript (1.0 MB); is it one interview? Builds will "
                                   "be slow"]
    with pytest.raises(GtnaError, match=r"above the 1\.0 MB limit for a transcript"):
        check_transcript_file(path, tmp_path)


def test_a_broken_link_inside_the_study(tmp_path: Path) -> None:
    link = tmp_path / "MOES-01.txt"
    link.symlink_to(tmp_path / "deleted.txt")
    with pytest.raises(GtnaError) as info:
        check_transcript_file(link, tmp_path)
    assert str(info.value) == f"{link}: is a broken link (hint: remove it or copy the transcript here)"


def test_a_link_outside_the_study_says_what_to_do(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("P1: ok", encoding="utf-8")
    (tmp_path / "study").mkdir()
    link = tmp_path / "study" / "MOES-01.txt"
    link.symlink_to(outside)
    with pytest.raises(GtnaError) as info:
        check_transcript_file(link, tmp_path / "study")
    assert str(info.value) == (f"{link}: is a link to {outside}, outside the study folder; not read (hint: copy the "
                               "transcript into the study folder instead of linking to it)")


def test_members_exactly_at_the_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GTNA_MAX_UNZIPPED_MB", "1")
    monkeypatch.setenv("GTNA_MAX_ZIP_MEMBERS", "3")
    path = archive(tmp_path / "a.docx", {"a": b"x" * MB, "b": b"", "c": b""})
    check_zip(path)
    with zipfile.ZipFile(path) as zf:
        assert len(read_member(zf, "a", path)) == MB
    more = archive(tmp_path / "b.docx", {"a": b"x" * (MB + 1), "b": b"", "c": b"", "d": b""})
    with pytest.raises(GtnaError) as info:
        check_zip(more)
    assert str(info.value) == (f"{more}: archive has 4 members, more than 3 (hint: not a document this tool reads; "
                               "if it is genuine, raise max_zip_members under limits: in study.yml (or "
                               "GTNA_MAX_ZIP_MEMBERS for one run))")
    monkeypatch.setenv("GTNA_MAX_ZIP_MEMBERS", "4")
    with pytest.raises(GtnaError) as info:
        check_zip(more)
    assert str(info.value) == (f"{more}: member 'a' expands to 1.0 MB, above the 1.0 MB limit (hint: "
                               f"{UNZIPPED_HINT})")


def test_the_capped_stream_message_and_its_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = archive(tmp_path / "a.qdpx", {"project.qde": b"x" * (3 * MB)})
    monkeypatch.setenv("GTNA_MAX_UNZIPPED_MB", "2")
    asked: list[int | None] = []

    class Recording:
        """The archive as read_member sees it, recording how much each read asks for."""

        def __init__(self, zf: zipfile.ZipFile):
            self.zf = zf

        def open(self, member: str):
            stream = self.zf.open(member)
            read = stream.read

            def recorded(n: int | None = -1) -> bytes:
                asked.append(n)
                return read(n)

            stream.read = recorded
            return stream

    with zipfile.ZipFile(path) as zf, pytest.raises(GtnaError) as info:
        read_member(Recording(zf), "project.qde", path)  # type: ignore[arg-type]
    assert str(info.value) == (f"{path}: member 'project.qde' expands to more than the 2.0 MB limit (hint: "
                               f"{UNZIPPED_HINT})")
    assert asked == [MB, MB, MB]  # one chunk at a time: refused after the third, never the whole member


def test_a_damaged_member_says_what_to_do(tmp_path: Path) -> None:
    path = archive(tmp_path / "a.odt", {"content.xml": b"<office:document/>" * 500})
    data = bytearray(path.read_bytes())
    start = data.index(b"content.xml") + len("content.xml")
    data[start + 2:start + 12] = b"\xff" * 10
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as zf, pytest.raises(GtnaError) as info:
        read_member(zf, "content.xml", path)
    message = str(info.value)
    assert message.startswith(f"{path}: member 'content.xml' is damaged (")
    assert message.endswith("(hint: open it in the program that wrote it and save it again)")
