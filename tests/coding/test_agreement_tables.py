"""Whole agreement / validation / disagreement tables against tables written out by hand.

Mutation testing (benchmarks/MUTATION.md) showed the existing tests checked a few cells each: a renamed column, a
lost row index, a swapped count or an overall row computed from the wrong rows all survived. Here every cell of
small, fully worked examples is spelled out (the arithmetic is in the comments).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from gtna_analysis.coding.agreement import (
    AGREEMENT_COLUMNS,
    VALIDATION_COLUMNS,
    CoderSet,
    agreement,
    cohen_kappa,
    disagreements,
    krippendorff_alpha,
    multi_alpha,
    validate,
)
from gtna_analysis.coding.codebook import Code, Codebook, Theme

NAN = math.nan
UNITS = ["S1", "S2", "S3", "S4"]
A = CoderSet("a", frozenset({("S1", "x.a"), ("S2", "x.a"), ("S1", "x.b")}), frozenset(UNITS))
B = CoderSet("b", frozenset({("S1", "x.a"), ("S3", "x.a")}), frozenset(UNITS))


def test_agreement_table_cell_by_cell() -> None:
    # x.a: A 1100, B 1010 → 2 of 4 agree; kappa (0.5 - 0.5) / 0.5 = 0; alpha 1 - 7·4/(2·4·4) = 0.125
    # x.b: A 1000, B 0000 → 3 of 4; pe 0.75 → kappa 0; alpha 1 - 7·2/(2·1·7) = 0
    # pooled (8 decisions): 5 agree; pe 3/8·2/8 + 5/8·6/8 = 0.5625 → kappa 0.0625/0.4375; alpha 1 - 15·6/(2·5·11)
    expected = pd.DataFrame([
        ["code", "x.a", 4, 2, 2, 1, 0.5, 0.0, 0.125],
        ["code", "x.b", 4, 1, 0, 0, 0.75, 0.0, 0.0],
        ["overall", "pooled", 4, 3, 2, 1, 0.625, 0.0625 / 0.4375, 1 - 90 / 110],
        ["overall", "macro", 4, 3, 2, 1, 0.625, 0.0, 0.0625],
    ], columns=AGREEMENT_COLUMNS)
    pd.testing.assert_frame_equal(agreement(A, B), expected, check_dtype=False)


def test_agreement_without_common_units_is_undefined_not_perfect() -> None:
    other = CoderSet("c", frozenset({("S9", "x.a")}), frozenset({"S9"}))
    table = agreement(A, other, codes=["x.a"]).set_index("id")
    assert table.loc["x.a", "n_units"] == 0 and math.isnan(table.loc["x.a", "percent_agreement"])
    assert math.isnan(table.loc["pooled", "percent_agreement"]) and math.isnan(table.loc["macro", "kappa"])


def test_theme_level_keeps_coder_names_and_units() -> None:
    themed = A.at_theme_level()
    assert (themed.name, themed.units, themed.pairs) == ("a", A.units, frozenset({("S1", "x"), ("S2", "x")}))
    narrowed = A.restricted(["S1", "S5"])
    assert (narrowed.name, narrowed.units, narrowed.pairs) == ("a", frozenset({"S1"}),
                                                               frozenset({("S1", "x.a"), ("S1", "x.b")}))


def test_multi_alpha_table_and_requested_codes() -> None:
    c = CoderSet("c", frozenset({("S1", "x.a"), ("S2", "x.a")}), frozenset({"S1", "S2", "S3"}))
    table = multi_alpha([A, B, c], codes=["x.a", "z.none"])
    # x.a: S1 (1,1,1) S2 (1,0,1) S3 (0,1,0) S4 (0,0,–): o_01 = o_10 = 2·(1/2) + 2·(1/2) = 2 → 4 off-diagonal
    # n_1 = 6, n_0 = 5, n = 11 → alpha = 1 - 10·4 / (2·6·5) = 1/3
    expected = pd.DataFrame([["x.a", 4, 1 / 3], ["z.none", 4, NAN]], columns=["id", "n_units", "alpha"])
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)
    assert multi_alpha([A, B])["id"].tolist() == ["x.a", "x.b"]


def test_validation_table_cell_by_cell() -> None:
    reference = CoderSet("gold", frozenset({("S1", "x.a"), ("S2", "x.a"), ("S3", "x.b")}), frozenset(UNITS))
    predicted = CoderSet("auto", frozenset({("S1", "x.a"), ("S3", "x.a"), ("S4", "y.c")}), frozenset(UNITS))
    table = validate(predicted, reference, codes=["x.a", "x.b", "y.c", "z.none"])
    expected = pd.DataFrame([
        ["code", "x.a", 2, 2, 1, 1, 1, 0.5, 0.5, 0.5],
        ["code", "x.b", 1, 0, 0, 0, 1, NAN, 0.0, 0.0],  # nothing predicted: precision undefined, F1 0
        ["code", "y.c", 0, 1, 0, 1, 0, 0.0, NAN, 0.0],  # invented: recall undefined, F1 0
        ["code", "z.none", 0, 0, 0, 0, 0, NAN, NAN, NAN],  # nobody used it: undefined throughout
        # macro over x.a, x.b, y.c (z.none is inactive): precision mean(0.5, 0, 0), recall mean(0.5, 0), F1 (0.5+0+0)/3
        ["overall", "macro", 3, 3, 1, 2, 2, 1 / 6, 0.25, 1 / 6],
        ["overall", "macro_supported", 3, 2, 1, 1, 2, 0.5, 0.25, 0.25],
        ["overall", "micro", 3, 3, 1, 2, 2, 1 / 3, 1 / 3, 1 / 3],
    ], columns=VALIDATION_COLUMNS)
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)


def test_disagreement_listing_cell_by_cell() -> None:
    reference = CoderSet("gold", frozenset({("S1", "x.a"), ("S2", "x.a"), ("S3", "x.b")}), frozenset(UNITS))
    predicted = CoderSet("auto", frozenset({("S1", "x.a"), ("S3", "x.a"), ("S4", "y.c"), ("S9", "x.a")}),
                         frozenset([*UNITS, "S9"]))
    codebook = Codebook("t", "1", ["ka", "en"], {}, [
        Theme("x", {"en": "X"}, "#000000", (Code("x.a", "x", {"en": "Online", "ka": "ონლაინ"}, {}),
                                             Code("x.b", "x", {"ka": "პირისპირ"}, {})))])
    segments = pd.DataFrame({"segment_id": ["S2", "S3"], "text": ["ძალიან გრძელი პასუხი ონლაინ", "ორი\nხაზი"]})
    codings = pd.DataFrame({"segment_id": ["S3", "S3", "S3", "S4"], "code_id": ["x.a", "x.a", "x.a", "y.c"],
                            "matched_text": ["online", "webinar", "online", np.nan]})
    table = disagreements(predicted, reference, segments, codings, codebook, excerpt=10)
    expected = pd.DataFrame([
        ["FN", "S2", "x.a", "x", "Online", "", "", "ძალიან გრ…"],
        ["FP", "S3", "x.a", "x", "Online", "x.b", "online; webinar", "ორი ხაზი"],
        ["FN", "S3", "x.b", "x", "პირისპირ", "x.a", "", "ორი ხაზი"],
        ["FP", "S4", "y.c", "y", "", "", "", ""],  # code not in the codebook, segment not in the table: empty
    ], columns=["kind", "segment_id", "code_id", "theme_id", "code_label", "other_side", "matched_text", "text"])
    pd.testing.assert_frame_equal(table, expected)
    bare = disagreements(predicted, reference)
    assert bare[["kind", "segment_id", "code_id"]].values.tolist() == expected[["kind", "segment_id",
                                                                                  "code_id"]].values.tolist()
    assert set(bare["code_label"]) == set(bare["text"]) == {""}


@pytest.mark.parametrize(("a", "b", "kappa"), [
    ([1, 0], [1, 0], 1.0), ([1, 0], [0, 1], -1.0), ([1], [1], NAN), ([0, 0, 1, 1], [0, 0, 0, 1], 0.5)])
def test_kappa_small_cases(a: list[int], b: list[int], kappa: float) -> None:
    value = cohen_kappa(np.array(a), np.array(b))
    assert (math.isnan(value) and math.isnan(kappa)) or value == pytest.approx(kappa)


def test_alpha_of_one_unit_and_of_categories_beyond_binary() -> None:
    # one unit, two values: D_o = D_e, so alpha is 0 (1 - 1·2/2), not undefined
    assert krippendorff_alpha(np.array([[1.0], [0.0]])) == 0.0
    three = np.array([[1.0, 2.0, 3.0, 3.0], [1.0, 2.0, 3.0, 1.0]])
    # nominal, not interval: 1 vs 3 is as wrong as 1 vs 2; one disagreeing unit → 1 - 7·2 / Σ n_c n_k
    n = {1.0: 3, 2.0: 2, 3.0: 3}
    expected_pairs = sum(n[c] * n[k] for c in n for k in n if c != k)
    assert krippendorff_alpha(three) == pytest.approx(1 - 7 * 2 / expected_pairs)


def test_coder_set_from_a_codings_table_keeps_only_units_read() -> None:
    codings = pd.DataFrame({"segment_id": ["S1", "S2", "S7"], "code_id": ["x.a", "x.b", "x.a"]})
    coder = CoderSet.from_codings("nino", codings, ["S1", "S2", "S3"])
    assert (coder.name, coder.units, coder.pairs) == ("nino", frozenset({"S1", "S2", "S3"}),
                                                      frozenset({("S1", "x.a"), ("S2", "x.b")}))


def test_rejected_mentions_counted_as_wanted() -> None:
    from gtna_analysis.coding.agreement import rejected_as_wanted

    reference = pd.DataFrame({"segment_id": ["S1", "S2", "S3", "S9"], "code_id": ["f.online"] * 4,
                              "polarity": ["rejected", "rejected", "stated", "rejected"]})
    predicted = pd.DataFrame({"segment_id": ["S1", "S2", "S3"], "code_id": ["f.online"] * 3,
                              "polarity": ["stated", "rejected", "stated"]})
    assert rejected_as_wanted(predicted, reference, {"S1", "S2", "S3"}) == (1, 2)  # S9 is outside the units
    assert rejected_as_wanted(predicted.drop(columns="polarity"), reference, {"S1"}) == (0, 0)


def test_target_summary_reports_each_measure_against_its_target() -> None:
    from gtna_analysis.coding.agreement import TARGETS, target_summary

    reference = CoderSet("gold", frozenset({("S1", "x.a"), ("S2", "x.a"), ("S3", "x.b")}), frozenset(UNITS))
    predicted = CoderSet("auto", frozenset({("S1", "x.a"), ("S3", "x.a"), ("S4", "y.c")}), frozenset(UNITS))
    ref_codings = pd.DataFrame({"segment_id": ["S1", "S3"], "code_id": ["x.a", "x.b"],
                                "polarity": ["rejected", "stated"]})
    pred_codings = pd.DataFrame({"segment_id": ["S1"], "code_id": ["x.a"], "polarity": ["stated"]})
    table = target_summary(predicted, reference, pred_codings, ref_codings)
    # code macro-F1 1/6 (see the validation table); theme level: x {S1,S3} vs {S1,S2,S3} → P 1, R 2/3;
    # y {S4} vs {} → micro P 2/3, R 2/3, F1 2/3; code micro precision 1/3; 1 of 1 rejected counted as wanted
    expected = pd.DataFrame([
        ["code macro-F1", 1 / 6, "≥ 0.70", "no", ""],
        ["theme micro-F1", 2 / 3, "≥ 0.85", "no", ""],
        ["code micro precision", 1 / 3, "≥ 0.80", "no", ""],
        ["rejected counted as wanted", 1.0, "≤ 0.05", "no", "1 of 1"],
    ], columns=["measure", "value", "target", "met", "n"])
    pd.testing.assert_frame_equal(table, expected)
    assert list(TARGETS) == expected["measure"].tolist()
    perfect = target_summary(reference, reference, ref_codings, ref_codings)
    assert perfect["met"].tolist() == ["yes", "yes", "yes", "yes"]
    assert perfect["n"].tolist()[-1] == "0 of 1" and perfect["value"].tolist() == [1.0, 1.0, 1.0, 0.0]
