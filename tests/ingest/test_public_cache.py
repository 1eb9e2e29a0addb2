"""The rules the build cache's public files share (``ingest/public_cache.py``): a file this process read or wrote
intact is not written again, a missing cache folder is created with its parents, an unwritable one is no error,
and files for other data are removed."""

from __future__ import annotations

from pathlib import Path

import pytest

from gtna_analysis.ingest.public_cache import PublicCacheFiles


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
