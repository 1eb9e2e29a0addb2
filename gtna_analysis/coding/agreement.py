"""Inter-coder agreement and auto-coder validation, over segments.

The unit of analysis is the *segment*: for every code, each coder either applied it to a segment or did not.
The units compared are the segments *both* coders read — including the ones neither coded, which is where most
agreement lives; forgetting them (comparing only coded segments) is the classic way to under-report kappa and
over-report disagreement. A coding sheet declares a segment as read with a row whose ``code_id`` is empty.

Statistics per code and overall:

* percent agreement — share of units where both coders made the same decision;
* Cohen's kappa — agreement corrected for chance (undefined, reported as NaN, when neither coder varies);
* Krippendorff's alpha (nominal, via the ``krippendorff`` package) — the same idea, robust to missing data and
  usable with more than two coders;
* against a reference (a gold set, or a human when the other side is the auto-coder): precision, recall and
  F1 per code, macro- and micro-averaged, and a confusion listing of every disagreement for pattern refinement.

"Overall" figures are given two ways: *pooled* (every unit × code decision in one table) and *macro* (mean over
codes), because a rare code with poor agreement disappears in the pooled figure.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

import krippendorff
import numpy as np
import pandas as pd

from .codebook import Codebook

AGREEMENT_COLUMNS = ["level", "id", "n_units", "a_yes", "b_yes", "both", "percent_agreement", "kappa", "alpha"]
VALIDATION_COLUMNS = ["level", "id", "support", "predicted", "tp", "fp", "fn", "precision", "recall", "f1"]


@dataclass(frozen=True)
class CoderSet:
    """One coder's decisions: the (segment, code) pairs applied, and the segments read."""

    name: str
    pairs: frozenset[tuple[str, str]]
    units: frozenset[str]

    @classmethod
    def from_codings(cls, name: str, codings: pd.DataFrame, units: Iterable[str]) -> CoderSet:
        units = frozenset(units)
        pairs = frozenset((s, c) for s, c in zip(codings["segment_id"], codings["code_id"], strict=True)
                          if s in units)
        return cls(name, pairs, units)

    def restricted(self, units: Iterable[str]) -> CoderSet:
        units = frozenset(units)
        return CoderSet(self.name, frozenset(p for p in self.pairs if p[0] in units), self.units & units)

    def at_theme_level(self) -> CoderSet:
        """Collapse codes to their theme (``theme.code`` → ``theme``)."""
        return CoderSet(self.name, frozenset((s, c.split(".")[0]) for s, c in self.pairs), self.units)


def cohen_kappa(a: np.ndarray, b: np.ndarray) -> float:
    """Cohen's kappa for two binary/nominal ratings of the same units; NaN when chance agreement is 1."""
    if len(a) == 0:
        return math.nan
    po = float(np.mean(a == b))
    pe = sum(float(np.mean(a == v)) * float(np.mean(b == v)) for v in np.union1d(a, b))
    return math.nan if pe >= 1.0 else (po - pe) / (1.0 - pe)


def krippendorff_alpha(matrix: np.ndarray) -> float:
    """Nominal alpha for a coders × units matrix (NaN = unit not rated); NaN when there is no variation."""
    if matrix.shape[1] == 0:
        return math.nan
    values = matrix[~np.isnan(matrix)]
    if len(np.unique(values)) < 2:
        return math.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))
        except (ValueError, ZeroDivisionError):
            return math.nan


def _ids(coders: list[CoderSet], codes: Iterable[str] | None) -> list[str]:
    if codes is not None:
        return list(codes)
    return sorted({c for cs in coders for _, c in cs.pairs})


def agreement(a: CoderSet, b: CoderSet, codes: Iterable[str] | None = None, level: str = "code") -> pd.DataFrame:
    """Per code (or theme) and overall agreement between two coders over the segments both read.

    ``codes``: the ids to report (default: every id either coder used); ids nobody used get percent agreement
    1.0 and NaN kappa/alpha. Rows with ``level == 'overall'`` hold the pooled and macro figures.
    """
    if level == "theme":
        a, b = a.at_theme_level(), b.at_theme_level()
    units = sorted(a.units & b.units)
    a, b = a.restricted(units), b.restricted(units)
    ids = _ids([a, b], codes)
    rows = []
    pooled_a: list[np.ndarray] = []
    pooled_b: list[np.ndarray] = []
    for code in ids:
        va = np.array([(u, code) in a.pairs for u in units], dtype=float)
        vb = np.array([(u, code) in b.pairs for u in units], dtype=float)
        pooled_a.append(va)
        pooled_b.append(vb)
        rows.append({"level": level, "id": code, "n_units": len(units), "a_yes": int(va.sum()),
                     "b_yes": int(vb.sum()), "both": int((va * vb).sum()),
                     "percent_agreement": float(np.mean(va == vb)) if units else math.nan,
                     "kappa": cohen_kappa(va, vb), "alpha": krippendorff_alpha(np.vstack([va, vb]))})
    frame = pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)
    pa = np.concatenate(pooled_a) if pooled_a else np.array([])
    pb = np.concatenate(pooled_b) if pooled_b else np.array([])
    pooled = {"level": "overall", "id": "pooled", "n_units": len(units), "a_yes": int(pa.sum()),
              "b_yes": int(pb.sum()), "both": int((pa * pb).sum()),
              "percent_agreement": float(np.mean(pa == pb)) if len(pa) else math.nan,
              "kappa": cohen_kappa(pa, pb), "alpha": krippendorff_alpha(np.vstack([pa, pb]))}
    macro = {"level": "overall", "id": "macro", "n_units": len(units), "a_yes": pooled["a_yes"],
             "b_yes": pooled["b_yes"], "both": pooled["both"],
             "percent_agreement": _nanmean(frame["percent_agreement"]), "kappa": _nanmean(frame["kappa"]),
             "alpha": _nanmean(frame["alpha"])}
    return pd.concat([frame, pd.DataFrame([pooled, macro], columns=AGREEMENT_COLUMNS)], ignore_index=True)


def multi_alpha(coders: list[CoderSet], codes: Iterable[str] | None = None) -> pd.DataFrame:
    """Krippendorff's alpha per code for any number of coders; a unit a coder did not read is missing data."""
    units = sorted(set().union(*(c.units for c in coders)))
    rows = []
    for code in _ids(coders, codes):
        matrix = np.array([[(1.0 if (u, code) in c.pairs else 0.0) if u in c.units else np.nan for u in units]
                           for c in coders])
        rows.append({"id": code, "n_units": len(units), "alpha": krippendorff_alpha(matrix)})
    return pd.DataFrame(rows, columns=["id", "n_units", "alpha"])


def _nanmean(values: pd.Series) -> float:
    values = values.dropna()
    return float(values.mean()) if len(values) else math.nan


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else math.nan
    recall = tp / (tp + fn) if tp + fn else math.nan
    if tp == 0:  # no hit: F1 is 0 if there was anything to find or anything claimed, else undefined
        return precision, recall, (0.0 if fp + fn else math.nan)
    return precision, recall, 2 * precision * recall / (precision + recall)


def validate(predicted: CoderSet, reference: CoderSet, codes: Iterable[str] | None = None,
             level: str = "code") -> pd.DataFrame:
    """Precision / recall / F1 of ``predicted`` against ``reference`` over the segments both cover.

    Per-id rows, then ``overall`` rows: ``macro`` (mean F1 over ids present in either side — an id the
    predictor invents counts as F1 = 0), ``macro_supported`` (mean over ids the reference uses) and ``micro``.
    """
    if level == "theme":
        predicted, reference = predicted.at_theme_level(), reference.at_theme_level()
    units = predicted.units & reference.units
    predicted, reference = predicted.restricted(units), reference.restricted(units)
    ids = _ids([predicted, reference], codes)
    rows = []
    for code in ids:
        p = {s for s, c in predicted.pairs if c == code}
        r = {s for s, c in reference.pairs if c == code}
        tp, fp, fn = len(p & r), len(p - r), len(r - p)
        precision, recall, f1 = _prf(tp, fp, fn)
        rows.append({"level": level, "id": code, "support": len(r), "predicted": len(p), "tp": tp, "fp": fp,
                     "fn": fn, "precision": precision, "recall": recall, "f1": f1})
    frame = pd.DataFrame(rows, columns=VALIDATION_COLUMNS)
    tp, fp, fn = int(frame["tp"].sum()), int(frame["fp"].sum()), int(frame["fn"].sum())
    micro = _prf(tp, fp, fn)
    active = frame[(frame["support"] > 0) | (frame["predicted"] > 0)]
    supported = frame[frame["support"] > 0]
    overall = [
        {"level": "overall", "id": "macro", "support": int(frame["support"].sum()),
         "predicted": int(frame["predicted"].sum()), "tp": tp, "fp": fp, "fn": fn,
         "precision": _nanmean(active["precision"].fillna(0.0)), "recall": _nanmean(supported["recall"]),
         "f1": _nanmean(active["f1"])},
        {"level": "overall", "id": "macro_supported", "support": int(supported["support"].sum()),
         "predicted": int(supported["predicted"].sum()), "tp": int(supported["tp"].sum()),
         "fp": int(supported["fp"].sum()), "fn": int(supported["fn"].sum()),
         "precision": _nanmean(supported["precision"]), "recall": _nanmean(supported["recall"]),
         "f1": _nanmean(supported["f1"])},
        {"level": "overall", "id": "micro", "support": int(frame["support"].sum()),
         "predicted": int(frame["predicted"].sum()), "tp": tp, "fp": fp, "fn": fn,
         "precision": micro[0], "recall": micro[1], "f1": micro[2]},
    ]
    return pd.concat([frame, pd.DataFrame(overall, columns=VALIDATION_COLUMNS)], ignore_index=True)


def disagreements(predicted: CoderSet, reference: CoderSet, segments: pd.DataFrame | None = None,
                  codings: pd.DataFrame | None = None, codebook: Codebook | None = None,
                  excerpt: int = 160) -> pd.DataFrame:
    """Every unit × code where the two sides differ — the listing used to refine patterns.

    ``kind`` is ``FP`` (predicted only: look at ``matched_text`` for the pattern that fired) or ``FN``
    (reference only: the segment says it in words no pattern knows). ``other_side`` lists the codes of the same
    theme the other side gave to that segment, which shows confusions between sibling codes.
    """
    units = predicted.units & reference.units
    predicted, reference = predicted.restricted(units), reference.restricted(units)
    text = segments.set_index("segment_id")["text"] if segments is not None else None
    matched: dict[tuple[str, str], str] = {}
    if codings is not None and len(codings):
        for s, c, m in zip(codings["segment_id"], codings["code_id"], codings["matched_text"], strict=True):
            if isinstance(m, str) and m:  # every distinct phrase once, however many rows repeat it
                matched[(s, c)] = "; ".join(dict.fromkeys(filter(None, [*matched.get((s, c), "").split("; "), m])))
    rows = []
    for kind, mine, theirs in (("FP", predicted.pairs - reference.pairs, reference),
                               ("FN", reference.pairs - predicted.pairs, predicted)):
        for segment_id, code in sorted(mine):
            theme = code.split(".")[0]
            siblings = sorted(c for s, c in theirs.pairs if s == segment_id and c.split(".")[0] == theme)
            row = {"kind": kind, "segment_id": segment_id, "code_id": code, "theme_id": theme,
                   "other_side": "; ".join(siblings), "matched_text": matched.get((segment_id, code), "")}
            if codebook is not None and codebook.has_code(code):
                row["code_label"] = codebook.code(code).text("en")
            if text is not None and segment_id in text.index:
                t = str(text[segment_id]).replace("\n", " ")
                row["text"] = t if len(t) <= excerpt else t[:excerpt - 1] + "…"
            rows.append(row)
    columns = ["kind", "segment_id", "code_id", "theme_id", "code_label", "other_side", "matched_text", "text"]
    # A code missing from the codebook or a segment missing from the table leaves its cell empty, not NaN
    # (the listing is read in Excel and by pattern authors; "nan" there reads as a label).
    frame = pd.DataFrame([{**dict.fromkeys(columns, ""), **row} for row in rows], columns=columns)
    return frame.sort_values(["code_id", "kind", "segment_id"], kind="stable").reset_index(drop=True)


# What the auto-coder should reach on interviews nobody tuned on (issue 11; measured on data/eval's locked half).
TARGETS = {"code macro-F1": (0.70, "min"), "theme micro-F1": (0.85, "min"), "code micro precision": (0.80, "min"),
           "rejected counted as wanted": (0.05, "max")}


def rejected_as_wanted(predicted: pd.DataFrame, reference: pd.DataFrame, units: set[str]) -> tuple[int, int]:
    """(n, of): of the reference's *rejected* mentions (segment × code), how many the predicted codings give
    as stated — a topic or format somebody rejected that a report would count as wanted."""
    if "polarity" not in reference or "polarity" not in predicted:
        return 0, 0
    ref = reference[(reference["polarity"] == "rejected") & reference["segment_id"].isin(units)]
    rejected = set(zip(ref["segment_id"], ref["code_id"], strict=True))
    stated = predicted[predicted["polarity"] == "stated"]
    wanted = set(zip(stated["segment_id"], stated["code_id"], strict=True))
    return len(rejected & wanted), len(rejected)


def target_summary(predicted: CoderSet, reference: CoderSet, predicted_codings: pd.DataFrame,
                   reference_codings: pd.DataFrame) -> pd.DataFrame:
    """The headline figures next to their targets (TARGETS): measure, value, target, met."""
    codes = validate(predicted, reference).set_index("id")
    themes = validate(predicted, reference, level="theme").set_index("id")
    n, of = rejected_as_wanted(predicted_codings, reference_codings, predicted.units & reference.units)
    values = {"code macro-F1": codes.loc["macro", "f1"], "theme micro-F1": themes.loc["micro", "f1"],
              "code micro precision": codes.loc["micro", "precision"],
              "rejected counted as wanted": n / of if of else float("nan")}
    rows = []
    for measure, (target, kind) in TARGETS.items():
        value = float(values[measure])
        met = bool(value >= target) if kind == "min" else bool(value <= target)
        rows.append({"measure": measure, "value": value, "target": f"{'≥' if kind == 'min' else '≤'} {target:.2f}",
                     "met": "yes" if met else "no", "n": f"{n} of {of}" if measure.startswith("rejected") else ""})
    return pd.DataFrame(rows)
