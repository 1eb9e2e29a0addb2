"""The rules the build cache's public files share (``ingest/public_cache.py``): a file this process read or wrote
intact is not written again, a missing cache folder is created with its parents, an unwritable one is no error,
files for other data are removed, and a large (mapped) file is checked in full once per state."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gtna_analysis.ingest.public_cache import CHECKED, PublicCacheFiles


def _decode(raw: bytes) -> str:
    if not raw.startswith(b"ok:"):
        raise ValueError("damaged")
    return raw.decode()


def test_a_file_read_intact_is_not_written_again(tmp_path: Path) -> None:
    files = PublicCacheFiles()
    (tmp_path / "a.bin").write_bytes(b"ok:1")
    with files.reading_from(tmp_path):
        assert files.read("a.bin", _decode) == "ok:1"
    files.write(tmp_path, "a.bin", lambda: pytest.fail("an intact file was made again"))
    assert (tmp_path / "a.bin").read_bytes() == b"ok:1"


def test_a_damaged_file_is_written_again_once(tmp_path: Path) -> None:
    files = PublicCacheFiles()
    (tmp_path / "a.bin").write_bytes(b"bad")
    with files.reading_from(tmp_path):
        assert files.read("a.bin", _decode) is None
    made = []
    files.write(tmp_path, "a.bin", lambda: made.append(1) or b"ok:2")
    files.write(tmp_path, "a.bin", lambda: made.append(2) or b"ok:3")  # written by this process: intact
    assert made == [1] and (tmp_path / "a.bin").read_bytes() == b"ok:2"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_no_folder_or_no_name_reads_nothing(tmp_path: Path) -> None:
    files = PublicCacheFiles()
    (tmp_path / "a.bin").write_bytes(b"ok:1")
    assert files.read("a.bin", _decode) is None  # not reading from any folder
    with files.reading_from(tmp_path):
        assert files.read(None, _decode) is None
        assert files.read("missing.bin", _decode) is None
    assert files.directory is None


def test_the_cache_folder_is_created_with_its_parents_and_an_unwritable_one_is_no_error(tmp_path: Path) -> None:
    files = PublicCacheFiles()
    deep = tmp_path / "processed" / ".cache"
    files.write(deep, "a.bin", lambda: b"ok:1")
    assert (deep / "a.bin").read_bytes() == b"ok:1"
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    files.write(blocked / "sub", "a.bin", lambda: b"ok:1")  # mkdir fails: nothing written, nothing raised
    files.write(tmp_path, None, lambda: pytest.fail("no name: nothing to write"))


def test_files_for_other_data_are_removed(tmp_path: Path) -> None:
    for name in ("x-1.json", "x-2.json", "y-1.json"):
        (tmp_path / name).write_text("ok")
    PublicCacheFiles.remove_others(tmp_path, "x-*.json", ["x-2.json", None])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x-2.json", "y-1.json"]
    PublicCacheFiles.remove_others(tmp_path / "absent", "x-*.json", [])  # no folder: nothing to do


def _mapped_decode(calls: list[bool]):
    def decode(raw, checked: bool) -> str:
        calls.append(checked)
        if raw[:3] != b"ok:":
            raise ValueError("damaged")
        return raw[:].decode()
    return decode


def test_a_mapped_file_is_checked_in_full_once_per_state(tmp_path: Path) -> None:
    """The first process to meet a file checks all of it and records its state; a later one that finds the file
    in the same state skips the full check; any rewrite, even with the same bytes, means a full check again."""
    path = tmp_path / "a.lexicon"
    path.write_bytes(b"ok:1")
    calls: list[bool] = []
    for _process in range(2):
        files = PublicCacheFiles()
        with files.reading_from(tmp_path):
            assert files.read_mapped("a.lexicon", _mapped_decode(calls)) == "ok:1"
    assert calls == [False, True]
    path.write_bytes(b"ok:1")  # same bytes, new modification time
    files = PublicCacheFiles()
    with files.reading_from(tmp_path):
        assert files.read_mapped("a.lexicon", _mapped_decode(calls)) == "ok:1"
    assert calls == [False, True, False]
    record = json.loads((tmp_path / CHECKED).read_text(encoding="utf-8"))
    stat = path.stat()
    assert record == {"a.lexicon": [stat.st_size, stat.st_mtime_ns, stat.st_ino]}


def test_a_mapped_file_that_fails_its_check_is_not_recorded(tmp_path: Path) -> None:
    (tmp_path / "a.lexicon").write_bytes(b"bad")
    (tmp_path / "empty.lexicon").write_bytes(b"")  # cannot be mapped: read as absent
    calls: list[bool] = []
    files = PublicCacheFiles()
    with files.reading_from(tmp_path):
        assert files.read_mapped("a.lexicon", _mapped_decode(calls)) is None
        assert files.read_mapped("empty.lexicon", _mapped_decode(calls)) is None
        assert files.read_mapped("missing.lexicon", _mapped_decode(calls)) is None
        assert files.read_mapped(None, _mapped_decode(calls)) is None
    assert files.read_mapped("a.lexicon", _mapped_decode(calls)) is None  # not reading from any folder
    assert calls == [False] and not (tmp_path / CHECKED).exists()


def test_a_mapped_file_written_by_this_process_needs_no_check(tmp_path: Path) -> None:
    """``write(mapped=True)`` records the state of what it wrote; entries of files that are gone are dropped;
    a plain ``write`` records nothing."""
    (tmp_path / CHECKED).write_text(json.dumps({"gone.lexicon": [1, 2, 3]}), encoding="utf-8")
    PublicCacheFiles().write(tmp_path, "plain.json", lambda: b"ok:0")
    PublicCacheFiles().write(tmp_path, "a.lexicon", lambda: b"ok:1", mapped=True)
    assert sorted(json.loads((tmp_path / CHECKED).read_text(encoding="utf-8"))) == ["a.lexicon"]
    calls: list[bool] = []
    files = PublicCacheFiles()
    with files.reading_from(tmp_path):
        assert files.read_mapped("a.lexicon", _mapped_decode(calls)) == "ok:1"
    assert calls == [True]


def test_a_damaged_record_of_checks_means_full_checks(tmp_path: Path) -> None:
    (tmp_path / "a.lexicon").write_bytes(b"ok:1")
    calls: list[bool] = []
    for damaged in ("{not json", "[1, 2]"):
        (tmp_path / CHECKED).write_text(damaged, encoding="utf-8")
        files = PublicCacheFiles()
        with files.reading_from(tmp_path):
            assert files.read_mapped("a.lexicon", _mapped_decode(calls)) == "ok:1"
    assert calls == [False, False]
    assert list(json.loads((tmp_path / CHECKED).read_text(encoding="utf-8"))) == ["a.lexicon"]
