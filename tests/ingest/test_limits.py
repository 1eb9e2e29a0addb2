"""Resource limits on input files (ingest/readers/limits.py): zip members by declared and inflated size and by
count, transcript size and links, and the environment settings that move the limits."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from transcript_files import make_docx

from gtna_analysis.errors import GtnaError
from gtna_analysis.ingest.readers import read_transcript
from gtna_analysis.ingest.readers.limits import (
    MB,
    check_transcript_file,
    check_zip,
    limit,
    read_member,
    size_warnings,
)

HEADER = ["---", "interview_id: MOES-95", "agency: moes", "mode: individual", "language: en", "interviewer: INT1",
          "participants:", "  - {id: P1, name: Ana Test, role: analyst, gender: female, level: mid}", "---",
          "P1: Statistics by sex."]


def bomb(path: Path, inflated: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("content.xml", b"\0" * inflated)
    return path


def test_declared_size_above_limit_is_refused_before_inflating(tmp_path: Path, monkeypatch) -> None:
    path = bomb(tmp_path / "b.odt", 3 * MB)
    assert path.stat().st_size < 10_000  # a real bomb: tiny on disk
    monkeypatch.setenv("GTNA_MAX_UNZIPPED_MB", "2")
    with pytest.raises(GtnaError, match=r"b\.odt: member 'content\.xml' expands to 3\.0 MB, above the 2\.0 MB"):
        check_zip(path)
    monkeypatch.setenv("GTNA_MAX_UNZIPPED_MB", "4")
    check_zip(path)  # the same file under a higher limit is fine


def test_capped_stream_stops_at_the_limit_whatever_was_declared(tmp_path: Path, monkeypatch) -> None:
    path = bomb(tmp_path / "b.qdpx", 3 * MB)
    monkeypatch.setenv("GTNA_MAX_UNZIPPED_MB", "1")
    with zipfile.ZipFile(path) as zf, pytest.raises(GtnaError, match=r"expands to more than the 1\.0 MB limit"):
        read_member(zf, "content.xml", path)  # no check_zip first: the stream itself stops
    monkeypatch.setenv("GTNA_MAX_UNZIPPED_MB", "8")
    with zipfile.ZipFile(path) as zf:
        assert len(read_member(zf, "content.xml", path)) == 3 * MB


def test_member_lying_about_its_size_is_damaged_not_inflated(tmp_path: Path) -> None:
    path = bomb(tmp_path / "liar.qdpx", 2 * MB)
    data = bytearray(path.read_bytes())
    declared = (2 * MB).to_bytes(4, "little")
    small = (1000).to_bytes(4, "little")
    data = data.replace(declared, small)  # local header and central directory now claim 1000 bytes
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo("content.xml").file_size == 1000
        check_zip(path, zf)
        with pytest.raises(GtnaError, match=r"liar\.qdpx: member 'content\.xml' is damaged"):
            read_member(zf, "content.xml", path)


def test_too_many_members(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        for i in range(12):
            zf.writestr(f"m{i}", "x")
    monkeypatch.setenv("GTNA_MAX_ZIP_MEMBERS", "10")
    with pytest.raises(GtnaError, match=r"many\.xlsx: archive has 12 members, more than 10"):
        check_zip(path)


def test_docx_bomb_is_refused_by_read_transcript(tmp_path: Path, monkeypatch) -> None:
    path = make_docx(tmp_path / "MOES-95.docx", HEADER)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/media/filler.bin", b"\0" * (3 * MB))
    assert read_transcript(path).header["interview_id"] == "MOES-95"  # default limit: a big image is fine
    monkeypatch.setenv("GTNA_MAX_UNZIPPED_MB", "1")
    with pytest.raises(GtnaError, match=r"word/media/filler\.bin"):
        read_transcript(path)


def test_transcript_size_warning_and_maximum(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "study" / "t.md"
    path.parent.mkdir()
    path.write_text("\n".join(HEADER) + "\n" + "P1: word\n" * 30_000, encoding="utf-8")  # ~270 KB
    assert size_warnings(path) == []
    monkeypatch.setenv("GTNA_WARN_TRANSCRIPT_MB", "0.1")
    assert "unusually large transcript (0.3 MB)" in size_warnings(path)[0]
    assert any("unusually large" in w for w in read_transcript(path).warnings)
    check_transcript_file(path, path.parent)
    monkeypatch.setenv("GTNA_MAX_TRANSCRIPT_MB", "0.2")
    with pytest.raises(GtnaError, match=r"t\.md: file is 0\.3 MB, above the 0\.2 MB limit"):
        check_transcript_file(path, path.parent)


def test_links_inside_the_study_are_read_outside_refused(tmp_path: Path) -> None:
    study = tmp_path / "study"
    (study / "transcripts").mkdir(parents=True)
    inside = study / "originals" / "a.md"
    inside.parent.mkdir()
    inside.write_text("x", encoding="utf-8")
    outside = tmp_path / "home" / "b.md"
    outside.parent.mkdir()
    outside.write_text("x", encoding="utf-8")
    (study / "transcripts" / "in.md").symlink_to(inside)
    (study / "transcripts" / "out.md").symlink_to(outside)
    check_transcript_file(study / "transcripts" / "in.md", study)
    with pytest.raises(GtnaError, match=r"out\.md: is a link to .*home/b\.md, outside the study folder"):
        check_transcript_file(study / "transcripts" / "out.md", study)


@pytest.mark.parametrize("value", ["0", "-1", "many", "nan"])
def test_bad_limit_setting_names_the_variable(value: str, monkeypatch) -> None:
    monkeypatch.setenv("GTNA_MAX_UNZIPPED_MB", value)
    with pytest.raises(GtnaError, match="GTNA_MAX_UNZIPPED_MB: must be a positive number"):
        limit("GTNA_MAX_UNZIPPED_MB")


def test_defaults_are_generous_for_real_transcripts() -> None:
    assert limit("GTNA_MAX_UNZIPPED_MB") == 200 * MB
    assert limit("GTNA_MAX_TRANSCRIPT_MB") == 20 * MB
    assert limit("GTNA_MAX_ZIP_MEMBERS") == 10_000
