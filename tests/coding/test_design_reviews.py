"""A corrected designs sheet in <study>/reviews/ replaces extraction for the participants it lists."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import copy_sample_study

from gtna_analysis.atomic import current_generation
from gtna_analysis.cli import main


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("reviews")
    study = copy_sample_study(root / "study")
    processed = root / "processed"
    assert main(["build", "--study", str(study), "--out", str(processed), "-q"]) == 0
    return study, processed


def test_export_review_and_rebuild(study: tuple[Path, Path], tmp_path: Path) -> None:
    root, processed = study
    workbook = tmp_path / "codings.xlsx"
    assert main(["export", "--format", "xlsx", "--study", str(root), "--processed", str(processed),
                 "--out", str(workbook), "-q"]) == 0
    designs = pd.read_excel(workbook, sheet_name="designs", dtype=str).fillna("")
    key = designs.loc[designs["scope"] == "self", "participant_key"].iloc[0]
    mine = designs[(designs["participant_key"] == key) & (designs["scope"] == "self")].head(1).copy()
    mine["part_no"], mine["format"], mine["hours"], mine["format_primary"] = "1", "in_person", "40", "in_person"
    (root / "reviews").mkdir()
    mine.to_csv(root / "reviews" / "designs-nino.csv", index=False)
    assert main(["build", "--study", str(root), "--out", str(processed), "-q"]) == 0
    rebuilt = pd.read_parquet(current_generation(processed) / "designs.parquet")
    row = rebuilt[(rebuilt["participant_key"] == key) & (rebuilt["scope"] == "self")]
    assert len(row) == 1 and row["hours"].iloc[0] == 40 and row["total_hours"].iloc[0] == 40
    assert bool(row["reviewed"].iloc[0]) and rebuilt["reviewed"].sum() == 1
    manifest = (current_generation(processed) / "manifest.json").read_text(encoding="utf-8")
    assert "reviews/designs-nino.csv" in manifest  # a review is an input of the build


def test_a_bad_review_row_is_a_located_error(study: tuple[Path, Path], tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    root, _ = study
    reviews = root / "reviews"
    reviews.mkdir(exist_ok=True)
    bad = reviews / "bad.csv"
    bad.write_text("participant_key,scope,part_no,format,hours\nNOPE-01:P1,self,1,in_person,8\n"
                   "MOES-01:P1,bosses,1,in_person,8\nMOES-01:P1,self,1,in_person,many\n", encoding="utf-8")
    try:
        assert main(["build", "--study", str(root), "--out", str(tmp_path / "p"), "-q"]) == 1
    finally:
        bad.unlink()
    err = capsys.readouterr().err
    assert f"{bad}:2: unknown participant_key 'NOPE-01:P1'" in err
    assert f"{bad}:3: unknown scope 'bosses'" in err and f"{bad}:4:" in err
