"""Rebuilds are byte-identical whatever the transcript files are called and in whatever order they are found.

The sample names every file after its interview id, so sorted file names and sorted ids coincide and a build that
forgot to sort by interview id would pass every other test (issue 14 planted exactly that). Here the same
transcripts get names whose order is unrelated to their ids, and the file system is made to list them in yet
another order.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from conftest import MINI_CODEBOOK, copy_sample_study

from gtna_analysis.atomic import current_generation
from gtna_analysis.cli import main
from gtna_analysis.tables import read_table

TABLES = ("interviews", "participants", "segments", "codings", "preferences", "designs", "documents")


def scramble(study: Path) -> dict[str, str]:
    """Rename every transcript to a name unrelated to its id (reverse order, other words); new → old name."""
    files = sorted((study / "transcripts").rglob("*.md"))
    renamed = {}
    for index, path in enumerate(files):
        new = path.with_name(f"{len(files) - index:02d}_ინტერვიუ_{hashlib.sha256(path.name.encode()).hexdigest()[:6]}"
                             ".md")
        path.rename(new)
        renamed[new.name] = path.name
    return renamed


def build(study: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert main(["build", "--study", str(study), "--out", str(out)]) == 0, capsys.readouterr().err
    return out


def csv_bytes(out: Path, name: str) -> bytes:
    return read_table(out, name).to_csv(index=False, lineterminator="\n").encode()


def test_file_names_and_listing_order_do_not_change_the_output(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    named = copy_sample_study(tmp_path / "named", codebook=MINI_CODEBOOK)
    other = copy_sample_study(tmp_path / "other", codebook=MINI_CODEBOOK)
    renamed = scramble(other)
    assert sorted(renamed) != [renamed[k] for k in sorted(renamed)]  # name order is not id order
    a = build(named, tmp_path / "a", capsys)

    real_scandir, real_listdir = os.scandir, os.listdir

    def reversed_listdir(path: str | os.PathLike = ".") -> list[str]:
        return sorted(real_listdir(path), reverse=True)

    class ReversedScandir:
        """``os.scandir`` listing names in reverse order (it is used as an iterator and as a context manager)."""

        def __init__(self, path: str | os.PathLike = ".") -> None:
            with real_scandir(path) as entries:
                self.entries = iter(sorted(entries, key=lambda e: e.name, reverse=True))

        def __iter__(self) -> ReversedScandir:
            return self

        def __next__(self) -> os.DirEntry:
            return next(self.entries)

        def __enter__(self) -> ReversedScandir:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

    monkeypatch.setattr(os, "listdir", reversed_listdir)
    monkeypatch.setattr(os, "scandir", ReversedScandir)
    b = build(other, tmp_path / "b", capsys)
    monkeypatch.undo()

    for name in TABLES:
        assert csv_bytes(a, name) == csv_bytes(b, name), f"{name} differs when only the file names differ"
        assert ((current_generation(a) / f"{name}.parquet").read_bytes()
                == (current_generation(b) / f"{name}.parquet").read_bytes()), name
    interviews_b = read_table(b, "interviews")
    assert interviews_b["interview_id"].tolist() == sorted(interviews_b["interview_id"])
    # no file name is written (it may carry a participant's name); each row still identifies its own file
    hashes = {hashlib.sha256(p.read_bytes()).hexdigest() for p in (other / "transcripts").rglob("*.md")}
    assert set(interviews_b["source_sha256"]) == hashes and len(hashes) == len(renamed)


def test_the_same_study_in_another_folder_builds_the_same_bytes(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    first = copy_sample_study(tmp_path / "first", codebook=MINI_CODEBOOK)
    scramble(first)
    second = tmp_path / "elsewhere" / "second"
    shutil.copytree(first, second)
    a, b = build(first, tmp_path / "a", capsys), build(second, tmp_path / "b", capsys)
    for name in (*TABLES, "interviews"):
        assert ((current_generation(a) / f"{name}.parquet").read_bytes()
                == (current_generation(b) / f"{name}.parquet").read_bytes()), name
