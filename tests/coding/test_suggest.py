"""Suggestions learned from human coding: they learn what is learnable, are honest about unseen interviews,
never touch segments people coded, and come back through a review sheet only where accepted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import SAMPLE_STUDY as SAMPLE
from conftest import copy_sample_study

from gtna_analysis.atomic import current_generation
from gtna_analysis.cli import main
from gtna_analysis.coding.suggest import review_sheet, suggest

WORDS = ["budget", "school", "data", "report", "meeting", "staff", "region", "plan", "office", "law", "survey"]


def synthetic(n_interviews: int = 8, per_interview: int = 12) -> tuple[pd.DataFrame, pd.DataFrame, set[str]]:
    """Segments where code 'x.violence' is exactly the segments that talk about violence (in varied forms)."""
    rows, human = [], []
    forms = ["violence at home", "ძალადობა ოჯახში", "violent incidents", "ძალადობის შემთხვევები", "domestic violence"]
    for i in range(n_interviews):
        for j in range(per_interview):
            seg = f"I{i}-{j:03d}"
            filler = " ".join(WORDS[(i * 7 + j * k) % len(WORDS)] for k in range(1, 9))
            hit = (i + j) % 3 == 0
            text = f"{filler} {forms[(i + j) % len(forms)]} {filler}" if hit else filler
            rows.append({"segment_id": seg, "interview_id": f"I{i}", "agency": "a", "speaker_role": "participant",
                         "text": text})
            if hit:
                human.append({"segment_id": seg, "code_id": "x.violence"})
    segments = pd.DataFrame(rows)
    read = {r["segment_id"] for r in rows if not r["segment_id"].startswith(("I6", "I7"))}
    human = [h for h in human if h["segment_id"] in read]
    return segments, pd.DataFrame(human), read


def test_a_learnable_code_is_learned_and_scored_on_unseen_interviews() -> None:
    segments, human, read = synthetic()
    result = suggest(segments, human, read, {"x.violence": "x"})
    score = result.scores.set_index("code_id").loc["x.violence"]
    assert score["folds"] == 5 and score["f1"] >= 0.8          # leave-interviews-out, still learnable
    table = result.table
    assert not set(table["segment_id"]) & read                     # never a segment a person already coded
    truth = set(segments.loc[segments["text"].str.contains("ძალადობ|violen"), "segment_id"]) - read
    confident = set(table.loc[table["probability"] >= 0.5, "segment_id"])
    assert len(confident & truth) >= 0.8 * len(truth) and len(confident - truth) <= 2
    assert table["probability"].between(0, 1).all()
    assert list(table["review_order"]) == list(range(1, len(table) + 1))
    assert table["uncertainty"].is_monotonic_decreasing           # least certain first


def test_too_few_examples_learn_nothing() -> None:
    segments, human, read = synthetic()
    result = suggest(segments, human.head(3), read, {}, min_positive=5)
    assert result.scores.empty and result.table.empty


def test_review_sheet_round_trip_adds_only_accepted_rows(tmp_path: Path) -> None:
    study = copy_sample_study(tmp_path / "study")
    shutil.copytree(SAMPLE / "gold", study / "gold", dirs_exist_ok=True)
    (study / "codings").mkdir(exist_ok=True)
    processed = tmp_path / "processed"
    assert main(["build", "--study", str(study), "--out", str(processed), "-q"]) == 0
    sheet = tmp_path / "review.csv"
    assert main(["suggest", "--study", str(study), "--processed", str(processed), "--out", str(sheet),
                 "--coder", "nino", "-q"]) == 0
    assert (current_generation(processed) / "suggestions.parquet").exists()
    review = pd.read_csv(sheet, dtype=str, keep_default_na=False)
    assert len(review) >= 5 and (review["decision"] == "").all()
    review.loc[review.index[:3], "decision"] = "accept"
    review.loc[review.index[3:5], "decision"] = "reject"
    review.to_csv(study / "codings" / "review-nino.csv", index=False)
    assert main(["build", "--study", str(study), "--out", str(processed), "-q"]) == 0
    codings = pd.read_parquet(current_generation(processed) / "codings.parquet")
    mine = codings[codings["coder"] == "nino"]
    assert set(zip(mine["segment_id"], mine["code_id"], strict=True)) == \
        set(zip(review["segment_id"][:3], review["code_id"][:3], strict=True))
    assert (mine["source"] == "manual").all()
    assert not (current_generation(processed) / "suggestions.parquet").exists()       # stale after a rebuild


def test_review_sheet_columns() -> None:
    segments, human, read = synthetic()
    table = suggest(segments, human, read, {"x.violence": "x"}).table
    sheet = review_sheet(table, segments, "eka")
    assert list(sheet.columns[:6]) == ["review_order", "segment_id", "code_id", "decision", "polarity", "coder"]
    assert (sheet["coder"] == "eka").all() and sheet["text"].str.len().gt(0).all()


def test_suggest_without_human_coding_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    study = copy_sample_study(tmp_path / "study")
    shutil.rmtree(study / "codings", ignore_errors=True)
    shutil.rmtree(study / "gold", ignore_errors=True)
    processed = tmp_path / "processed"
    assert main(["build", "--study", str(study), "--out", str(processed), "-q"]) == 0
    assert main(["suggest", "--study", str(study), "--processed", str(processed)]) == 1
    assert "no human coding to learn from" in capsys.readouterr().err
