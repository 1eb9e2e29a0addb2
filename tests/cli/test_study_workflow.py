"""A researcher's path: `gtna init`, validate, build, report; adding an agency is configuration only."""

from __future__ import annotations

import shutil
from pathlib import Path

import lxml.html
import pytest

from gtna_analysis import explore
from gtna_analysis.atomic import current_generation
from gtna_analysis.cli import main
from gtna_analysis.explore.retrieval import highlight
from gtna_analysis.tables import Tables

ROOT = Path(__file__).resolve().parents[2]
GEOSTAT = ROOT / "data" / "raw" / "transcripts" / "geostat" / "GEOSTAT-02.md"


def test_init_refuses_a_non_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "x.txt").write_text("keep me")
    assert main(["init", str(tmp_path)]) == 1
    assert "not empty" in capsys.readouterr().err
    assert (tmp_path / "x.txt").read_text() == "keep me"


def test_new_study_validates_builds_and_reports_then_grows_by_configuration(tmp_path: Path) -> None:
    study = tmp_path / "fieldwork"
    assert main(["init", str(study), "-q"]) == 0
    assert {p.name for p in study.iterdir()} >= {"study.yml", "questionnaire.yml", "codebook.yml",
                                                   "interviews.csv", "transcripts"}
    assert main(["validate", "--study", str(study), "-q"]) == 0
    assert not (study / "processed").exists()          # validate writes nothing
    assert main(["build", "--study", str(study), "-q"]) == 0
    assert (current_generation(study / "processed") / "segments.parquet").exists()

    # add Geostat: study.yml entry + a transcript folder, no code change
    with (study / "study.yml").open("a", encoding="utf-8") as fh:
        fh.write("  - id: geostat\n    name: {ka: საქსტატი, en: National Statistics Office of Georgia}\n"
                 "    short: {ka: საქსტატი, en: Geostat}\n")
    (study / "transcripts" / "geostat").mkdir()
    shutil.copy(GEOSTAT, study / "transcripts" / "geostat" / GEOSTAT.name)
    assert main(["build", "--study", str(study), "-q"]) == 0
    assert main(["report", "--study", str(study), "--lang", "en", "-q"]) == 0
    reports = study / "reports"
    assert (reports / "geostat" / "en.html").exists() and (reports / "moes" / "en.html").exists()
    links = {a.get("href") for a in lxml.html.parse(str(reports / "index.html")).getroot().iter("a")}
    assert {"geostat/en.html", "moes/en.html", "cross_agency/en.html"} <= links

    tables = Tables.load(study / "processed")
    assert tables.agencies == ["moes", "geostat"]
    passages = explore.coded_passages(tables, agency="geostat")
    assert len(passages) > 0 and set(passages["agency"]) == {"geostat"}
    assert "<script>" not in highlight("<script>x</script>", [(0, 8)])


def test_explore_notebook_runs_on_processed_tables(tmp_path: Path) -> None:
    """explore.ipynb executes top to bottom (widgets included) against a built study."""
    import papermill

    study = tmp_path / "s"
    assert main(["init", str(study), "-q"]) == 0
    assert main(["build", "--study", str(study), "-q"]) == 0
    out = tmp_path / "explore.ipynb"
    papermill.execute_notebook(str(ROOT / "notebooks" / "explore.ipynb"), str(out), kernel_name="python3",
                               parameters={"study": str(study), "processed": str(study / "processed"),
                                           "lang": "ka"},
                               cwd=str(tmp_path), progress_bar=False)
    text = out.read_text(encoding="utf-8")
    assert "application/vnd.jupyter.widget-view+json" in text   # the explorer widget was displayed
    assert "მონაკვეთი" in text                                  # and showed passages, in Georgian


def test_coding_unit_is_configurable_in_study_yml(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    study = tmp_path / "s"
    assert main(["init", str(study), "-q"]) == 0
    text = (study / "study.yml").read_text(encoding="utf-8")
    (study / "study.yml").write_text(text.replace("  transcripts: transcripts", "  transcripts: transcripts\n"
                                                  "  coding_unit: match"), encoding="utf-8")
    assert main(["build", "--study", str(study), "-q"]) == 0
    tables = Tables.load(study / "processed")
    spans = tables.codings.merge(tables.segments[["segment_id", "start_char", "end_char"]], on="segment_id",
                                 suffixes=("", "_seg"))
    assert (spans["end_char"] - spans["start_char"] < spans["end_char_seg"] - spans["start_char_seg"]).any()
    (study / "study.yml").write_text(text.replace("  transcripts: transcripts", "  transcripts: transcripts\n"
                                                  "  coding_unit: chapter"), encoding="utf-8")
    assert main(["validate", "--study", str(study)]) == 1
    assert "coding_unit 'chapter'" in capsys.readouterr().err
