"""Durable and all-or-nothing publishing beyond a killed process:

- fsync: what a rename publishes is on disk before the rename, and the rename itself (the folder) after it, so
  a power loss cannot leave ``CURRENT`` (or a report) naming data that never reached the disk; no folder fsync
  where the platform has none (Windows);
- a report batch: every page is staged, journaled when complete, then moved in with the index last; a kill
  before the journal leaves the old batch untouched (the next run removes the stage), a kill after it is rolled
  forward by the next run. Kills are real (``os._exit`` in a child process) at chosen points.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gtna_analysis import atomic
from gtna_analysis.atomic import (
    BATCH_JOURNAL,
    POINTER,
    current_generation,
    publish_batch,
    publish_generation,
    recover_batches,
    write_text_atomic,
)

ROOT = Path(__file__).resolve().parents[1]


class Recorder:
    """Records fsync (by path) and replace calls in the order they happen."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.events: list[tuple[str, str]] = []
        self.paths: dict[int, str] = {}
        real_open, real_fsync, real_replace = os.open, os.fsync, os.replace

        def recording_open(path, flags, *args, **kwargs):
            fd = real_open(path, flags, *args, **kwargs)
            self.paths[fd] = str(path)
            return fd

        def recording_fsync(fd: int) -> None:
            self.events.append(("fsync", self.paths[fd]))
            real_fsync(fd)

        def recording_replace(source, target) -> None:
            self.events.append(("replace", f"{source} -> {target}"))
            real_replace(source, target)

        monkeypatch.setattr(atomic.os, "open", recording_open)
        monkeypatch.setattr(atomic.os, "fsync", recording_fsync)
        monkeypatch.setattr(atomic.os, "replace", recording_replace)

    def index(self, kind: str, predicate) -> int:
        return next(i for i, (k, what) in enumerate(self.events) if k == kind and predicate(what))


def test_generation_files_are_synced_before_the_rename_and_the_pointer_after(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rec = Recorder(monkeypatch)
    with publish_generation(tmp_path) as stage:
        (stage / "segments.csv").write_text("a\n", encoding="utf-8")
        (stage / "documents").mkdir()
        (stage / "documents" / "x.txt").write_text("b\n", encoding="utf-8")
    final = current_generation(tmp_path)
    rename = rec.index("replace", lambda w: w.endswith(f"-> {final}"))
    for name in ("segments.csv", "documents/x.txt"):
        assert rec.index("fsync", lambda w, n=name: w == str(stage / n)) < rename
    assert rec.index("fsync", lambda w: w == str(stage / "documents")) < rename
    assert rec.index("fsync", lambda w: w == str(stage)) < rename
    pointer = rec.index("replace", lambda w: w.endswith(f"-> {tmp_path / POINTER}"))
    folder_synced = [i for i, e in enumerate(rec.events) if e == ("fsync", str(tmp_path))]
    assert any(rename < i < pointer for i in folder_synced)  # the generation's name is on disk before the pointer
    pointer_tmp = rec.events[pointer][1].split(" -> ")[0]
    assert rec.index("fsync", lambda w: w == pointer_tmp) < pointer  # the pointer's content before its name
    assert any(i > pointer for i in folder_synced)  # and the pointer's new name after


def test_atomic_write_syncs_data_then_renames_then_syncs_the_folder(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    rec = Recorder(monkeypatch)
    write_text_atomic(tmp_path / "index.html", "<p>x</p>")
    kinds = [(k, Path(w.split(" -> ")[-1]).name if k == "replace" else Path(w).name) for k, w in rec.events]
    assert kinds[-3][0] == "fsync" and kinds[-3][1].startswith(".index.html.")
    assert kinds[-2:] == [("replace", "index.html"), ("fsync", tmp_path.name)]


def test_no_folder_fsync_where_the_platform_has_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(atomic, "DIRECTORY_FSYNC", False)  # as on Windows
    rec = Recorder(monkeypatch)
    with publish_generation(tmp_path) as stage:
        (stage / "a.csv").write_text("a\n", encoding="utf-8")
    synced = [Path(w) for k, w in rec.events if k == "fsync"]
    assert synced and all(not p.is_dir() for p in synced if p.exists())
    assert str(tmp_path) not in map(str, synced)
    assert (current_generation(tmp_path) / "a.csv").read_text(encoding="utf-8") == "a\n"


def old_batch(reports: Path) -> None:
    for rel in ("index.html", "moes/en.html", "moes/ka.html", "cross_agency/en.html"):
        (reports / rel).parent.mkdir(parents=True, exist_ok=True)
        (reports / rel).write_text(f"old {rel}", encoding="utf-8")


def versions(reports: Path) -> dict[str, str]:
    """What a reader of the reports folder sees (page → old/new); staging folders are not visible pages."""
    return {p.relative_to(reports).as_posix(): p.read_text(encoding="utf-8").split()[0]
            for p in sorted(reports.rglob("*")) if p.is_file()
            and not p.relative_to(reports).parts[0].startswith(".batch-")}


KILLER = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from gtna_analysis import atomic
    reports, point = Path(sys.argv[1]), sys.argv[2]
    pages = ["moes/en.html", "moes/ka.html", "cross_agency/en.html", "molhsa/en.html"]
    real_replace = os.replace
    moves = []
    def replace(source, target):
        if ".batch-" in str(source) and not str(source).endswith(".tmp") and point == "mid-move":
            moves.append(target)
            if len(moves) == 2:
                os._exit(9)
        real_replace(source, target)
    atomic.os.replace = replace
    if point == "after-journal":
        atomic.roll_forward = lambda stage, folder: os._exit(9)
    with atomic.publish_batch(reports) as stage:
        for i, rel in enumerate(pages):
            (stage / rel).parent.mkdir(parents=True, exist_ok=True)
            (stage / rel).write_text(f"new {rel}", encoding="utf-8")
            (stage / rel).with_name(f".{Path(rel).stem}.42.tmp.ipynb").write_text("half", encoding="utf-8")
            if point == "rendering" and i == 2:
                os._exit(9)
        (stage / "index.html").write_text("new index", encoding="utf-8")
""")


def kill_batch(reports: Path, point: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", KILLER, str(reports), point], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == (9 if point != "none" else 0), done.stderr


def stages(reports: Path) -> list[Path]:
    return [p for p in reports.iterdir() if p.name.startswith(".batch-")]


def test_kill_while_rendering_keeps_the_old_batch_and_the_next_run_removes_the_stage(tmp_path: Path) -> None:
    old_batch(tmp_path)
    kill_batch(tmp_path, "rendering")
    assert set(versions(tmp_path).values()) == {"old"}  # nothing new is visible
    (stage,) = stages(tmp_path)
    assert not (stage / BATCH_JOURNAL).exists()
    assert recover_batches(tmp_path) == {"rolled_forward": [], "removed": [stage]}
    assert not stages(tmp_path) and set(versions(tmp_path).values()) == {"old"}


@pytest.mark.parametrize("point", ["after-journal", "mid-move"])
def test_kill_after_the_journal_is_rolled_forward_by_the_next_run(tmp_path: Path, point: str) -> None:
    old_batch(tmp_path)
    kill_batch(tmp_path, point)
    (stage,) = stages(tmp_path)
    assert (stage / BATCH_JOURNAL).read_text(encoding="utf-8").splitlines()[-1] == "index.html"  # index last
    assert versions(tmp_path)["index.html"] == "old"  # the index has not moved yet: it still links the old set
    with publish_batch(tmp_path) as next_stage:  # the next batch first finishes the interrupted one
        assert not (tmp_path / stage.name).exists()
        assert versions(tmp_path) == {"cross_agency/en.html": "new", "index.html": "new", "moes/en.html": "new",
                                      "moes/ka.html": "new", "molhsa/en.html": "new"}  # no litter moved in
        (next_stage / "index.html").write_text("newer index", encoding="utf-8")
    assert versions(tmp_path)["index.html"] == "newer" and not stages(tmp_path)


def test_a_completed_batch_leaves_no_stage_and_no_litter(tmp_path: Path) -> None:
    old_batch(tmp_path)
    kill_batch(tmp_path, "none")
    assert not stages(tmp_path)
    assert set(versions(tmp_path).values()) == {"new"} and len(versions(tmp_path)) == 5


def test_an_error_in_the_batch_publishes_nothing(tmp_path: Path) -> None:
    old_batch(tmp_path)
    with pytest.raises(KeyboardInterrupt), publish_batch(tmp_path) as stage:
        (stage / "moes").mkdir()
        (stage / "moes" / "en.html").write_text("new", encoding="utf-8")
        raise KeyboardInterrupt
    assert set(versions(tmp_path).values()) == {"old"} and not stages(tmp_path)


def test_report_batch_interrupted_after_a_page_publishes_nothing(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import make_study

    from gtna_analysis.cli import main
    from gtna_analysis.console import Output
    from gtna_analysis.reports import batch

    fixtures = ROOT / "tests" / "fixtures" / "ingest"
    study = make_study(tmp_path / "study", {"transcripts/moes/MOES-90.md": (fixtures / "good_ka.md").read_text(
        encoding="utf-8"), "transcripts/moes/MOES-89.md": (fixtures / "good_en.md").read_text(encoding="utf-8")})
    processed, reports = tmp_path / "processed", tmp_path / "reports"
    assert main(["build", "--study", str(study), "--out", str(processed), "-q"]) == 0
    written: list[Path] = []

    def fake_run(job: batch.Job, kernel_name: str, warm: bool = True) -> batch.JobResult:  # no kernel
        if version == "v2" and written:
            raise KeyboardInterrupt  # Ctrl-C (or a kill) after the first page of the second batch
        batch.write_text_atomic(job.html_path, f"{version} {job.label}")
        written.append(job.html_path)
        return batch.JobResult(job, True, 0.0)

    monkeypatch.setattr(batch, "run_job", fake_run)
    render = dict(agencies=["moes"], languages=["en", "ka"], include_cross=True, output=Output(verbosity=0))
    version = "v1"
    summary = batch.render_reports(processed, reports, **render)
    assert summary.ok and summary.index == reports / "index.html"
    assert all(".batch-" in str(p) for p in written)  # rendered in the staging folder …
    assert all(r.job.html_path.parent.parent == reports for r in summary.results)  # … reported where published
    first = versions(reports)
    assert {"moes/en.html", "moes/ka.html", "cross_agency/en.html", "cross_agency/ka.html", "index.html"} <= set(first)
    assert "moes/en.html" in (reports / "index.html").read_text(encoding="utf-8")
    version, written = "v2", []
    with pytest.raises(KeyboardInterrupt):
        batch.render_reports(processed, reports, **render)
    assert versions(reports) == first and not stages(reports)  # the old batch, whole; no stage, no litter
