"""Per-code, pooled and averaged Krippendorff's alpha checked against values computed independently.

Issue 14 planted "per-code alpha computed against the same coder" (``np.vstack([va, va])``): the averaged alpha
jumped from 0.70 to 1.0 and no test noticed. Here every figure is recomputed from scratch — by hand from the
coincidence matrix (Krippendorff 2011, "Computing Krippendorff's alpha-reliability", nominal data) and, as a
second opinion, by the ``krippendorff`` package on the coders × units matrix written out by the test — so a fault
in how ``agreement`` builds its rows cannot hide behind the same fault in the reference.
"""

from __future__ import annotations

import math
from collections import Counter
from itertools import permutations

import krippendorff
import numpy as np
import pytest

from gtna_analysis.coding.agreement import CoderSet, agreement, multi_alpha


def alpha_by_hand(ratings: list[list[float | None]]) -> float:
    """Nominal alpha from the coincidence matrix: ``1 - (n - 1) * Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k``.

    ``ratings`` is one list per unit with each coder's value (None = not rated). A unit rated by m ≥ 2 coders
    adds 1/(m-1) to o_ck for every ordered pair of distinct coders' values (c, k).
    """
    coincidences: Counter[tuple[float, float]] = Counter()
    for unit in ratings:
        values = [v for v in unit if v is not None]
        if len(values) < 2:
            continue
        for c, k in permutations(values, 2):
            coincidences[(c, k)] += 1 / (len(values) - 1)
    n_c: Counter[float] = Counter()
    for (c, _), weight in coincidences.items():
        n_c[c] += weight
    n = sum(n_c.values())
    observed = sum(w for (c, k), w in coincidences.items() if c != k)
    expected = sum(n_c[c] * n_c[k] for c in n_c for k in n_c if c != k)
    return 1 - (n - 1) * observed / expected


def coder(name: str, pairs: set[tuple[str, str]], units: list[str]) -> CoderSet:
    return CoderSet(name, frozenset(pairs), frozenset(units))


UNITS = [f"S{i:02d}" for i in range(12)]
# Two coders, three codes with different levels of agreement (chosen so that no two alphas coincide):
A = coder("a", {("S00", "x.a"), ("S01", "x.a"), ("S02", "x.a"), ("S03", "x.a"),
                ("S00", "x.b"), ("S05", "x.b"),
                ("S07", "y.c"), ("S08", "y.c"), ("S09", "y.c")}, UNITS)
B = coder("b", {("S00", "x.a"), ("S01", "x.a"), ("S02", "x.a"), ("S04", "x.a"),
                ("S00", "x.b"), ("S06", "x.b"), ("S05", "x.b"),
                ("S07", "y.c"), ("S08", "y.c"), ("S09", "y.c"), ("S10", "y.c")}, UNITS)


def decisions(side: CoderSet, code: str) -> list[float]:
    return [1.0 if (u, code) in side.pairs else 0.0 for u in UNITS]


def test_the_hand_formula_reproduces_krippendorffs_worked_example() -> None:
    # Krippendorff (2011), section C: 4 coders, 12 units, nominal, with missing data → alpha = 0.743.
    data = [[1, 1, None, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3], [2, 2, 2, 2], [1, 2, 3, 4],
            [4, 4, 4, 4], [1, 1, 2, 1], [2, 2, 2, 2], [None, 5, 5, 5], [None, None, 1, 1], [None, None, 3, None]]
    assert alpha_by_hand(data) == pytest.approx(0.743, abs=5e-4)


def test_per_code_alpha_equals_the_hand_computation() -> None:
    table = agreement(A, B).set_index("id")
    for code in ("x.a", "x.b", "y.c"):
        expected = alpha_by_hand([list(pair) for pair in zip(decisions(A, code), decisions(B, code), strict=True)])
        assert table.loc[code, "alpha"] == pytest.approx(expected), code
    # The figures themselves, so a shared fault in helper and code cannot pass: x.a has 2 disagreements in 12
    # units with 4 + 4 yes → 1 - 23 * 4 / (2 * 8 * 16) = 0.640625.
    assert table.loc["x.a", "alpha"] == pytest.approx(1 - 23 * 4 / (2 * 8 * 16))
    assert table.loc["y.c", "alpha"] == pytest.approx(1 - 23 * 2 / (2 * 7 * 17))


def test_per_code_alpha_is_not_the_coder_against_itself() -> None:
    # The planted fault (alpha of a coder with itself) gives exactly 1.0 for every code that varies.
    table = agreement(A, B).set_index("id")
    assert all(table.loc[c, "alpha"] < 0.9 for c in ("x.a", "x.b", "y.c"))
    assert agreement(A, A).set_index("id").loc["x.a", "alpha"] == pytest.approx(1.0)


def test_pooled_and_macro_alpha_against_the_reference_package() -> None:
    table = agreement(A, B).set_index("id")
    codes = ["x.a", "x.b", "y.c"]
    pooled = np.array([[v for c in codes for v in decisions(side, c)] for side in (A, B)])
    assert table.loc["pooled", "alpha"] == pytest.approx(
        krippendorff.alpha(reliability_data=pooled, level_of_measurement="nominal"))
    per_code = [krippendorff.alpha(reliability_data=np.array([decisions(A, c), decisions(B, c)]),
                                   level_of_measurement="nominal") for c in codes]
    assert table.loc["macro", "alpha"] == pytest.approx(sum(per_code) / 3)
    assert table.loc["macro", "alpha"] == pytest.approx(
        (0.640625 + per_code[1] + (1 - 23 * 2 / (2 * 7 * 17))) / 3)


def test_macro_alpha_skips_codes_without_variation() -> None:
    # A requested code nobody used has undefined alpha; averaging it as 0 or 1 would move the macro figure.
    table = agreement(A, B, codes=["x.a", "z.unused"]).set_index("id")
    assert math.isnan(table.loc["z.unused", "alpha"])
    assert table.loc["macro", "alpha"] == pytest.approx(table.loc["x.a", "alpha"])


def test_multi_coder_alpha_with_a_missing_unit_matches_the_hand_computation() -> None:
    c = coder("c", {("S00", "x.a"), ("S01", "x.a"), ("S03", "x.a")}, UNITS[:10])  # did not read S10, S11
    table = multi_alpha([A, B, c], codes=["x.a"]).set_index("id")
    ratings = [[a, b, (cv if u in c.units else None)] for u, a, b, cv in
               zip(UNITS, decisions(A, "x.a"), decisions(B, "x.a"), decisions(c, "x.a"), strict=True)]
    assert table.loc["x.a", "alpha"] == pytest.approx(alpha_by_hand(ratings))
    assert table.loc["x.a", "n_units"] == 12
