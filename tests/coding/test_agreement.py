"""Agreement statistics (kappa, alpha, percent agreement) over segments, auto-coder validation, and the CLI."""

from __future__ import annotations

import math
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
import pytest
from shared_coding import built_sample, write

from gtna_analysis.cli import main
from gtna_analysis.coding.agreement import (
    CoderSet,
    agreement,
    cohen_kappa,
    disagreements,
    krippendorff_alpha,
    multi_alpha,
    validate,
)


def coder(name: str, pairs: list[tuple[str, str]], units: list[str]) -> CoderSet:
    return CoderSet(name, frozenset(pairs), frozenset(units))


def test_kappa_textbook_example() -> None:
    # 50 units: both yes 20, A only 5, B only 10, both no 15 → po 0.7, pe 0.5, kappa 0.4
    a = np.array([1] * 20 + [1] * 5 + [0] * 10 + [0] * 15)
    b = np.array([1] * 20 + [0] * 5 + [1] * 10 + [0] * 15)
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert math.isnan(cohen_kappa(np.zeros(5), np.zeros(5)))  # no variation: undefined, not 1
    assert math.isnan(cohen_kappa(np.array([]), np.array([])))


def test_alpha_matches_the_reference_package() -> None:
    rng = np.random.default_rng(7)
    data = rng.integers(0, 2, size=(3, 40)).astype(float)
    data[0, :5] = np.nan
    assert krippendorff_alpha(data) == pytest.approx(
        krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    assert math.isnan(krippendorff_alpha(np.zeros((2, 10))))


def test_uncoded_segments_count_as_agreement() -> None:
    units = [f"S{i}" for i in range(10)]
    a = coder("a", [("S0", "x.a"), ("S1", "x.a"), ("S2", "x.b")], units)
    b = coder("b", [("S0", "x.a"), ("S2", "x.a"), ("S2", "x.b")], units)
    table = agreement(a, b).set_index("id")
    assert table.loc["x.a", "n_units"] == 10
    assert table.loc["x.a", "percent_agreement"] == pytest.approx(0.8)  # S1, S2 differ; 8 agree (6 uncoded)
    assert table.loc["x.a", "kappa"] == pytest.approx(cohen_kappa(np.array([1, 1, 0] + [0] * 7),
                                                                  np.array([1, 0, 1] + [0] * 7)))
    assert table.loc["x.b", "kappa"] == pytest.approx(1.0)
    assert table.loc["pooled", "percent_agreement"] == pytest.approx(18 / 20)
    assert table.loc["macro", "kappa"] == pytest.approx((table.loc["x.a", "kappa"] + 1.0) / 2)
    # Comparing only the coded segments would have said 50 % agreement for x.a:
    only_coded = agreement(a, b.restricted(["S0", "S1", "S2"])).set_index("id")
    assert only_coded.loc["x.a", "n_units"] == 3


def test_units_are_the_segments_both_read() -> None:
    a = coder("a", [("S1", "x.a")], ["S1", "S2", "S3"])
    b = coder("b", [("S1", "x.a"), ("S4", "x.a")], ["S1", "S2", "S4"])
    assert agreement(a, b).set_index("id").loc["x.a", "n_units"] == 2


def test_theme_level_and_requested_codes() -> None:
    units = ["S1", "S2"]
    a = coder("a", [("S1", "x.a")], units)
    b = coder("b", [("S1", "x.b")], units)
    themes = agreement(a, b, level="theme").set_index("id")
    assert themes.loc["x", "percent_agreement"] == 1.0
    codes = agreement(a, b, codes=["x.a", "x.b", "y.c"]).set_index("id")
    assert codes.loc["y.c", "percent_agreement"] == 1.0 and math.isnan(codes.loc["y.c", "kappa"])


def test_multi_coder_alpha_with_missing_units() -> None:
    a = coder("a", [("S1", "x.a"), ("S2", "x.a")], ["S1", "S2", "S3"])
    b = coder("b", [("S1", "x.a"), ("S2", "x.a")], ["S1", "S2", "S3", "S4"])
    c = coder("c", [("S1", "x.a"), ("S4", "x.a")], ["S1", "S4"])
    frame = multi_alpha([a, b, c]).set_index("id")
    matrix = np.array([[1, 1, 0, np.nan], [1, 1, 0, 0], [1, np.nan, np.nan, 1]], dtype=float)
    assert frame.loc["x.a", "alpha"] == pytest.approx(
        krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))


def test_validation_scores_and_disagreements() -> None:
    units = [f"S{i}" for i in range(6)]
    gold = coder("gold", [("S0", "x.a"), ("S1", "x.a"), ("S2", "x.b"), ("S3", "x.b")], units)
    auto = coder("auto", [("S0", "x.a"), ("S2", "x.a"), ("S2", "x.b"), ("S4", "y.c")], units)
    v = validate(auto, gold).set_index("id")
    assert (v.loc["x.a", "tp"], v.loc["x.a", "fp"], v.loc["x.a", "fn"]) == (1, 1, 1)
    assert v.loc["x.b", "precision"] == 1.0 and v.loc["x.b", "recall"] == 0.5
    assert v.loc["y.c", "f1"] == 0.0 and v.loc["y.c", "support"] == 0
    assert v.loc["macro", "f1"] == pytest.approx((0.5 + 2 / 3 + 0.0) / 3)
    assert v.loc["macro_supported", "f1"] == pytest.approx((0.5 + 2 / 3) / 2)
    assert v.loc["micro", "f1"] == pytest.approx(2 * 2 / (2 * 2 + 2 + 2))
    seg = pd.DataFrame({"segment_id": units, "text": [f"text {i} " * 40 for i in range(6)]})
    codings = pd.DataFrame({"segment_id": ["S2", "S4"], "code_id": ["x.a", "y.c"], "matched_text": ["w", "v"]})
    listing = disagreements(auto, gold, seg, codings)
    assert listing[["kind", "segment_id", "code_id"]].values.tolist() == [
        ["FN", "S1", "x.a"], ["FP", "S2", "x.a"], ["FN", "S3", "x.b"], ["FP", "S4", "y.c"]]
    fp = listing.set_index(["segment_id", "code_id"]).loc[("S2", "x.a")]
    assert fp["matched_text"] == "w" and fp["other_side"] == "x.b" and fp["text"].endswith("…")


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    study, processed = built_sample()
    code = main([*args, "--study", str(study), "--processed", str(processed)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_two_human_coders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    study, _ = built_sample()
    code, out, _ = run_cli(["agreement", "gold", str(study / "codings" / "coder_b.csv"), "--out",
                            str(tmp_path / "a.csv")], capsys)
    assert code == 0 and "40 segments compared" in out and "pooled" in out
    table = pd.read_csv(tmp_path / "a.csv").set_index(["measure", "id"])
    pooled = table.loc[("agreement", "pooled")]
    assert 0.8 < pooled["kappa"] < 0.95 and pooled["alpha"] == pytest.approx(pooled["kappa"], abs=0.01)
    assert pooled["percent_agreement"] > 0.95


def test_cli_auto_against_gold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Regression guard for the shipped codebook: held-in macro-F1 ≥ 0.8 (held-out is reported, lower)."""
    scores = {}
    for split in ("held_in", "held_out"):
        out_csv = tmp_path / f"{split}.csv"
        code, out, _ = run_cli(["agreement", "auto", "gold", "--split", split, "--out", str(out_csv),
                                "--disagreements", str(tmp_path / f"{split}-d.csv")], capsys)
        assert code == 0 and "precision / recall / F1" in out
        table = pd.read_csv(out_csv).set_index(["measure", "id"])
        scores[split] = table.loc[("validation", "macro"), "f1"]
        listing = pd.read_csv(tmp_path / f"{split}-d.csv")
        assert set(listing["kind"]) <= {"FP", "FN"} and len(listing) > 0
    assert scores["held_in"] >= 0.8, scores
    assert scores["held_out"] >= 0.7, scores


def test_cli_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = write(tmp_path / "bad.csv", "segment_id,code_id,coder\nNOPE-01-001,gbv.referral,x\n")
    code, _, err = run_cli(["agreement", "auto", str(bad)], capsys)
    assert code == 1 and f"{bad}:2: unknown segment_id 'NOPE-01-001'" in err
    two = write(tmp_path / "two.csv", "segment_id,code_id,coder\nMOES-01-002,gbv.referral,x\n"
                                      "MOES-01-002,gbv.referral,y\n")
    code, _, err = run_cli(["agreement", "auto", str(two)], capsys)
    assert code == 1 and "several coders" in err
    code, out, _ = run_cli(["agreement", str(two), str(two), "--coder-a", "x", "--coder-b", "y"], capsys)
    assert code == 0 and "pooled" in out
