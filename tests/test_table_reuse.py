"""A rebuild takes over the table files of the generation it replaces when their tables came out the same
(gtna_analysis/table_reuse.py) — and only then: a file changed since it was published, a record of another folder
or generation, or a damaged record makes the build write the file again. Either way the published files are the
bytes a build without any cache writes."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pandas as pd
import pytest
from conftest import MINI_CODEBOOK, copy_sample_study
from test_build_cache import snapshot

from gtna_analysis import table_reuse
from gtna_analysis.atomic import current_generation
from gtna_analysis.build import build, write_outputs
from gtna_analysis.table_reuse import RECORD, PreviousTables, frame_digest

# what ``edit_transcript`` leaves unchanged in the mini-codebook study: a new segment that no code, design or
# preference reads (an answer about training would change the edited interview's rows in those tables)
UNCHANGED = {"codes", "participants", "rejections", "codings", "designs", "preferences"}
CHANGED = {"interviews", "segments", "documents"}


@pytest.fixture
def study(tmp_path: Path) -> Path:
    return copy_sample_study(tmp_path / "raw", codebook=MINI_CODEBOOK)


def rebuild(study: Path, out: Path) -> list[str]:
    """Build with ``out``'s cache and publish; the tables whose files are the previous generation's own files
    (the same inodes: taken over by a hard link, not written)."""
    before = {p.name: p.stat().st_ino for p in current_generation(out).iterdir()} if out.is_dir() else {}
    write_outputs(build(study, cache_dir=out / ".cache"), out)
    published = current_generation(out)
    return sorted({p.name.split(".")[0] for p in published.iterdir() if before.get(p.name) == p.stat().st_ino})


def fresh(study: Path, folder: Path) -> dict[str, str]:
    write_outputs(build(study), folder)
    return snapshot(folder)


def edit_transcript(study: Path) -> None:
    """A sentence about nothing the mini codebook or the training questions care about."""
    path = study / "transcripts" / "molhsa" / "MOLHSA-02.md"
    path.write_text(path.read_text(encoding="utf-8") + "P1: ეს წინადადება ტესტისთვის დაემატა.\n", encoding="utf-8")


def test_a_rebuild_after_a_transcript_edit_takes_over_the_unchanged_tables(study: Path, tmp_path: Path) -> None:
    out = tmp_path / "p"
    assert rebuild(study, out) == []  # first build: nothing to take over
    first = current_generation(out)
    record = json.loads((out / ".cache" / RECORD).read_text(encoding="utf-8"))
    assert record["generation"] == first.name and set(record["tables"]) == UNCHANGED | CHANGED
    edit_transcript(study)
    assert rebuild(study, out) == sorted(UNCHANGED)
    second = current_generation(out)
    assert second != first and not first.exists()
    assert snapshot(out) == fresh(study, tmp_path / "fresh")
    assert rebuild(study, out) == sorted(UNCHANGED | CHANGED)  # nothing changed: every table taken over
    assert snapshot(out) == fresh(study, tmp_path / "fresh2")


def test_a_file_changed_since_it_was_published_is_written_again(study: Path, tmp_path: Path) -> None:
    out = tmp_path / "p"
    rebuild(study, out)
    published = current_generation(out)
    codes = published / "codes.csv"
    original = codes.read_bytes()
    codes.write_bytes(original.replace(b"\n", b"\r\n"))  # a researcher saved it from a spreadsheet program
    os.utime(published / "participants.parquet", ns=(1, 1))  # same bytes, but not the file that was recorded
    assert rebuild(study, out) == sorted((UNCHANGED | CHANGED) - {"codes", "participants"})
    assert (current_generation(out) / "codes.csv").read_bytes() == original
    assert snapshot(out) == fresh(study, tmp_path / "fresh")


@pytest.mark.parametrize("record", ["missing", "damaged", "another generation", "another folder", "no tables"])
def test_without_a_valid_record_every_table_is_written(study: Path, tmp_path: Path, record: str) -> None:
    out = tmp_path / "p"
    rebuild(study, out)
    path = out / ".cache" / RECORD
    data = json.loads(path.read_text(encoding="utf-8"))
    if record == "missing":
        path.unlink()
    elif record == "damaged":
        path.write_text(path.read_text(encoding="utf-8")[:40], encoding="utf-8")
    elif record == "another generation":
        path.write_text(json.dumps({**data, "generation": "gen-000099"}), encoding="utf-8")
    elif record == "another folder":  # the same cache serving another processed folder through the library
        other = tmp_path / "other"
        write_outputs(build(study, cache_dir=out / ".cache"), other)
        assert json.loads(path.read_text(encoding="utf-8"))["generation"] == current_generation(out).name
    else:
        path.write_text(json.dumps({**data, "tables": ["codes"]}), encoding="utf-8")
    assert rebuild(study, out) == []
    assert snapshot(out) == fresh(study, tmp_path / "fresh")


def test_without_hard_links_the_files_are_copied(study: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                 ) -> None:
    out = tmp_path / "p"
    rebuild(study, out)

    copied: list[str] = []
    copy = table_reuse.shutil.copyfile

    def no_links(*_args, **_kwargs):
        raise OSError("hard links not supported")

    def counted_copy(source: Path, target: Path):
        copied.append(Path(target).name)
        return copy(source, target)

    monkeypatch.setattr(table_reuse.os, "link", no_links)
    monkeypatch.setattr(table_reuse.shutil, "copyfile", counted_copy)
    assert rebuild(study, out) == []  # copies: new files
    assert len(copied) == 2 * len(UNCHANGED | CHANGED) - 1  # every table's files (documents has no CSV twin)
    assert all(p.stat().st_nlink == 1 for p in current_generation(out).iterdir())
    assert snapshot(out) == fresh(study, tmp_path / "fresh")


def test_a_build_without_a_cache_records_nothing_and_takes_nothing(study: Path, tmp_path: Path) -> None:
    out = tmp_path / "p"
    write_outputs(build(study), out)
    assert not (out / ".cache").exists()
    assert PreviousTables.of(out, None).generation is None


def test_a_file_that_vanishes_while_taken_over_leaves_nothing_half_taken(study: Path, tmp_path: Path) -> None:
    out = tmp_path / "p"
    rebuild(study, out)
    previous = PreviousTables.of(out, out / ".cache")
    (previous.generation / "codes.csv").unlink()
    stage = tmp_path / "stage"
    stage.mkdir()
    digest = previous.tables["codes"]["digest"]
    assert not previous.take("codes", digest, ["codes.parquet", "codes.csv"], stage)
    assert list(stage.iterdir()) == [] and previous.reused == []
    assert not previous.take("participants", "another digest", ["participants.parquet", "participants.csv"], stage)
    assert not previous.take("participants", previous.tables["participants"]["digest"], ["participants.parquet"],
                             stage)  # not the files that were recorded
    assert previous.take("participants", previous.tables["participants"]["digest"],
                         ["participants.parquet", "participants.csv"], stage)
    assert sorted(p.name for p in stage.iterdir()) == ["participants.csv", "participants.parquet"]


@pytest.mark.parametrize("a, b", [
    ({"x": [1]}, {"x": ["1"]}),  # the same CSV text, another parquet type
    ({"x": [None]}, {"x": ["None"]}),
    ({"x": [0.0]}, {"x": [-0.0]}),  # CSV writes "-0.0"
    ({"x": [1.0, float("nan")]}, {"x": [1.0, 2.0]}),
    ({"x": ["a"]}, {"y": ["a"]}),
    ({"x": [1, 2]}, {"x": [2, 1]}),
])
def test_frames_that_differ_in_any_way_have_different_digests(a: dict, b: dict) -> None:
    assert frame_digest(pd.DataFrame(a), "sw") != frame_digest(pd.DataFrame(b), "sw")


def test_equal_frames_have_equal_digests_under_the_same_software_only() -> None:
    one = pd.DataFrame({"x": ["ა", "b"], "n": [1, 2]})
    same = pd.DataFrame({"x": ["ა", "b"], "n": [1, 2]}, index=[5, 6])  # the index is not written
    assert frame_digest(one, "sw") == frame_digest(same, "sw")
    assert frame_digest(one, "sw") != frame_digest(one, "another version of the code")


def test_digests_follow_the_values_not_how_memory_holds_them() -> None:
    """A table joined from cached pieces holds its strings in several Arrow chunks or as slices of a larger
    buffer, and a nullable integer keeps arbitrary numbers under its missing values: none of that is content."""
    frame = pd.DataFrame({"text": ["ა", None, "c", "დდ", "e", "f"], "n": pd.array([1, None, 3, 4, None, 6], "Int64"),
                          "flag": pd.array([True, None, False, True, True, False], "boolean"),
                          "x": [0.5, 1.5, float("nan"), 2.0, 3.0, 4.0], "o": [None] * 6})
    frame = frame.astype({"text": "str", "o": object})
    joined = pd.concat([frame.iloc[:2], pickle.loads(pickle.dumps(frame.iloc[2:5])), frame.iloc[5:]],
                       ignore_index=True)
    assert joined.equals(frame) and joined["text"].array.__arrow_array__().num_chunks > 1
    hidden = frame.copy()
    data = hidden["n"].array._data.copy()  # the numbers under the missing values
    data[[1, 4]] = 99
    hidden["n"] = pd.arrays.IntegerArray(data, hidden["n"].isna().to_numpy())
    assert hidden.equals(frame)
    assert frame_digest(frame, "sw") == frame_digest(joined, "sw") == frame_digest(hidden, "sw")
    filled = frame.copy()
    filled["n"] = filled["n"].fillna(0)  # a missing value that becomes 0 is a change
    assert frame_digest(filled, "sw") != frame_digest(frame, "sw")
