"""All-or-nothing publishing: a build becomes visible in one step (generation folder + CURRENT pointer), a killed
writer leaves the previous generation readable and complete, and its litter is cleaned by the next run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import make_study

from gtna_analysis import atomic
from gtna_analysis.atomic import POINTER, clean_litter, current_generation, publish_generation
from gtna_analysis.cli import main
from gtna_analysis.errors import GtnaError
from gtna_analysis.tables import Tables, read_manifest, read_table

ROOT = Path(__file__).resolve().parents[1]

FIXTURES = ROOT / "tests" / "fixtures" / "ingest"
GOOD = {"transcripts/moes/MOES-90.md": (FIXTURES / "good_ka.md").read_text(encoding="utf-8"),
        "transcripts/moes/MOES-89.md": (FIXTURES / "good_en.md").read_text(encoding="utf-8")}


def write_files(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def test_publish_switches_pointer_and_prunes_older_generations(tmp_path: Path) -> None:
    for round_no in range(3):
        with publish_generation(tmp_path) as stage:
            assert stage.name.startswith(".gen-") and stage.parent == tmp_path
            write_files(stage, {"a.txt": f"a{round_no}", "b.txt": f"b{round_no}"})
            assert current_generation(tmp_path).name != stage.name  # invisible until complete
    current = current_generation(tmp_path)
    assert current.name == "gen-000003" and (tmp_path / POINTER).read_text(encoding="utf-8") == "gen-000003\n"
    assert (current / "a.txt").read_text(encoding="utf-8") == "a2"
    assert sorted(p.name for p in tmp_path.iterdir()) == [POINTER, "gen-000003"]


def test_failure_midway_keeps_previous_generation_and_leaves_no_stage(tmp_path: Path) -> None:
    with publish_generation(tmp_path) as stage:
        write_files(stage, {"a.txt": "old", "b.txt": "old"})
    with pytest.raises(OSError, match="No space"), publish_generation(tmp_path) as stage:
        write_files(stage, {"a.txt": "new"})
        raise OSError(28, "No space left on device")
    current = current_generation(tmp_path)
    assert {p.name: p.read_text(encoding="utf-8") for p in current.iterdir()} == {"a.txt": "old", "b.txt": "old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [POINTER, "gen-000001"]


def test_kill_between_rename_and_pointer_switch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The new generation is complete on disk but unpublished: readers keep the old one; the next run removes it."""
    with publish_generation(tmp_path) as stage:
        write_files(stage, {"a.txt": "old"})

    def killed(*_args: object) -> None:
        raise KeyboardInterrupt  # stands in for the process dying right here

    monkeypatch.setattr(atomic, "write_text_atomic", killed)
    with pytest.raises(KeyboardInterrupt), publish_generation(tmp_path) as stage:
        write_files(stage, {"a.txt": "new"})
    monkeypatch.undo()
    assert (current_generation(tmp_path) / "a.txt").read_text(encoding="utf-8") == "old"
    assert (tmp_path / "gen-000002").is_dir()  # orphan
    removed = clean_litter(tmp_path)
    assert [p.name for p in removed] == ["gen-000002"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [POINTER, "gen-000001"]


def test_litter_cleaned_but_foreign_files_kept(tmp_path: Path) -> None:
    with publish_generation(tmp_path) as stage:
        write_files(stage, {"a.txt": "x"})
    litter = [tmp_path / ".gen-000007.tmp", tmp_path / ".staging-abc", tmp_path / "gen-000004"]
    for folder in litter:
        folder.mkdir()
        (folder / "half.parquet").write_bytes(b"PAR1")
    (tmp_path / ".codings.parquet.x1y2.tmp").write_bytes(b"half")
    (tmp_path / ".en.1234.tmp.ipynb").write_text("{}", encoding="utf-8")
    keep = [tmp_path / "notes.txt", tmp_path / ".cache", tmp_path / "gen-old", tmp_path / ".hidden"]
    keep[0].write_text("mine", encoding="utf-8")
    keep[1].mkdir()
    keep[2].mkdir()
    keep[3].write_text("mine", encoding="utf-8")
    assert len(clean_litter(tmp_path)) == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([POINTER, "gen-000001", *(p.name for p in keep)])


def test_folder_without_pointer_is_its_own_generation_and_bad_pointer_is_an_error(tmp_path: Path) -> None:
    assert current_generation(tmp_path) == tmp_path  # a processed folder from before generations
    (tmp_path / POINTER).write_text("../../etc\n", encoding="utf-8")
    with pytest.raises(GtnaError, match=r"CURRENT:1: names no generation folder"):
        current_generation(tmp_path)


KILLED_BUILD = """
import os, sys
from gtna_analysis import build as build_module
from gtna_analysis.cli import main

original, calls = build_module.write_table, []

def dying(frame, directory, name, csv=True, **kwargs):
    calls.append(name)
    if len(calls) == 3:
        os._exit(137)  # like kill -9: no cleanup, no finally blocks
    original(frame, directory, name, csv, **kwargs)

build_module.write_table = dying
sys.exit(main(sys.argv[1:]))
"""


def test_killed_build_leaves_previous_generation_complete_and_next_build_cleans_up(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    study = make_study(tmp_path / "study", GOOD)
    out = tmp_path / "processed"
    assert main(["build", "--study", str(study), "--out", str(out), "-q"]) == 0
    first = Tables.load(out)
    assert sorted(first.interviews["interview_id"]) == ["MOES-89", "MOES-90"]

    (study / "transcripts" / "moes" / "MOES-90.md").unlink()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    killed = subprocess.run([sys.executable, "-c", textwrap.dedent(KILLED_BUILD), "build", "--study", str(study),
                             "--out", str(out), "-q", "--no-cache"], env=env, capture_output=True, text=True,
                            timeout=600)
    assert killed.returncode == 137, killed.stderr
    stages = [p.name for p in out.iterdir() if p.name.startswith(".gen-")]
    assert stages == [".gen-000002.tmp"]  # the half-written generation is there, unpublished
    after_kill = Tables.load(out)  # readers still see the whole previous build, every table from it
    manifest = read_manifest(out)
    assert sorted(after_kill.interviews["interview_id"]) == ["MOES-89", "MOES-90"]
    assert manifest["counts"]["segments"] == len(after_kill.segments) == len(read_table(out, "segments"))
    assert manifest["counts"]["codings"] == len(after_kill.codings)

    assert main(["build", "--study", str(study), "--out", str(out), "-q"]) == 0
    capsys.readouterr()
    assert sorted(p.name for p in out.iterdir()) == [".cache", POINTER, "gen-000003"]
    assert list(Tables.load(out).interviews["interview_id"]) == ["MOES-89"]
    assert json.loads((current_generation(out) / "manifest.json").read_text(encoding="utf-8"))["counts"][
        "interviews"] == 1


def test_build_removes_a_flat_processed_folder_from_before_generations(tmp_path: Path) -> None:
    study = make_study(tmp_path / "study", GOOD)
    out = tmp_path / "processed"
    out.mkdir()
    (out / "manifest.json").write_text('{"data_hash": "x"}', encoding="utf-8")
    (out / "segments.parquet").write_bytes(b"old")
    (out / "suggestions.csv").write_text("old", encoding="utf-8")
    (out / "my-notes.csv").write_text("kept", encoding="utf-8")
    assert main(["build", "--study", str(study), "--out", str(out), "-q"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [".cache", POINTER, "gen-000001", "my-notes.csv"]


def test_report_batch_cleans_interrupted_litter_and_reads_one_generation(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from gtna_analysis.console import Output
    from gtna_analysis.reports import batch

    study = make_study(tmp_path / "study", GOOD)
    processed, reports = tmp_path / "processed", tmp_path / "reports"
    assert main(["build", "--study", str(study), "--out", str(processed), "-q"]) == 0
    litter = [reports / "moes" / ".en.4242.tmp.ipynb", reports / ".index.html.ab12.tmp"]
    for path in litter:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("half", encoding="utf-8")
    seen: list[str] = []

    def fake_run(job: batch.Job, kernel_name: str, warm: bool = True) -> batch.JobResult:  # no kernel
        seen.append(job.parameters["processed"])
        batch.write_text_atomic(job.html_path, "<p>ok</p>")
        return batch.JobResult(job, True, 0.0)

    monkeypatch.setattr(batch, "run_job", fake_run)
    summary = batch.render_reports(processed, reports, agencies=["moes"], languages=["en"], include_cross=False,
                                   output=Output(verbosity=0))
    assert summary.ok and not any(p.exists() for p in litter)
    assert seen == [str(current_generation(processed).resolve())]  # pinned: a rebuild mid-batch cannot mix
    assert "moes/en.html" in (reports / "index.html").read_text(encoding="utf-8")
    assert not [p for p in reports.rglob("*") if p.name.endswith((".tmp", ".tmp.ipynb"))]
