"""Suggestions learned from the researcher's own coding: one classifier per code, trained on human-coded segments.

Why: patterns only find what someone thought to write down; a researcher who has coded a few dozen segments by
hand has shown what each code looks like in *this* study. For every code with enough human examples we train a
character n-gram TF-IDF + logistic-regression classifier (scikit-learn; character n-grams see Georgian stems and
suffixes without a tokenizer), calibrated to give usable probabilities, and score the segments nobody has coded
by hand yet. Its honesty is measured the way it will be used — on interviews it never saw: cross-validation
leaves whole interviews out (``GroupKFold`` by interview).

Suggestions are a separate table, ordered for review by uncertainty (probability nearest 0.5 first). They never
enter ``codings`` or a report until a human accepts them: ``review_sheet`` writes them as a coding sheet with a
``decision`` column; a sheet saved in ``<study>/codings/`` contributes its accepted rows on the next build.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gtna_analysis.ingest.clean import mask_markers

MIN_POSITIVE = 5  # fewer human examples than this and a classifier would only memorise them
MIN_NEGATIVE = 5
MIN_INTERVIEWS = 3  # leave-interviews-out needs at least this many interviews with human coding
SUGGEST_FROM = 0.3  # probabilities below this are not worth a reviewer's time
SUGGESTION_COLUMNS = ["segment_id", "interview_id", "agency", "code_id", "theme_id", "probability", "uncertainty",
                      "review_order"]
CV_COLUMNS = ["code_id", "positives", "negatives", "interviews", "precision", "recall", "f1", "folds"]


@dataclass
class Suggestions:
    """The suggestions table and the per-code cross-validated scores."""

    table: pd.DataFrame
    scores: pd.DataFrame


def _vectorizer():
    """TF-IDF on character 2–5-grams within words: sees Georgian stems and suffixes without a tokenizer. Fitted
    once per fold and shared by every code's classifier (it does not depend on the labels)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=1, lowercase=True)


def _classifier():
    """Class-balanced logistic regression (liblinear: fast on a few hundred sparse rows)."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(class_weight="balanced", max_iter=2000, C=4.0, solver="liblinear")


def _platt(scores: np.ndarray, y: np.ndarray):
    """Calibration (Platt scaling): decision values → probabilities, fitted on *out-of-fold* decision values, so
    the probabilities of the final model mean what they say on interviews it has not seen."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=1e6).fit(scores.reshape(-1, 1), y)


def training_labels(segments: pd.DataFrame, human: pd.DataFrame, read: set[str]) -> pd.DataFrame:
    """One row per human-read participant segment: segment_id, interview_id, text and the set of its codes."""
    seg = segments[(segments["speaker_role"] == "participant") & segments["segment_id"].isin(read)]
    codes = human.groupby("segment_id")["code_id"].agg(lambda c: frozenset(c))
    out = seg[["segment_id", "interview_id", "agency", "text"]].copy()
    out["codes"] = out["segment_id"].map(codes).apply(lambda c: c if isinstance(c, frozenset) else frozenset())
    out["text"] = out["text"].astype(str).map(mask_markers)
    return out.reset_index(drop=True)


def _folds(texts: list[str], groups: np.ndarray) -> list[tuple[np.ndarray, np.ndarray, object, object]]:
    """Leave-interviews-out folds with their TF-IDF matrices (train, test), computed once for all codes."""
    from sklearn.model_selection import GroupKFold

    out = []
    for train, test in GroupKFold(n_splits=min(5, len(set(groups)))).split(texts, groups=groups):
        vectorizer = _vectorizer()
        x_train = vectorizer.fit_transform([texts[i] for i in train])
        out.append((train, test, x_train, vectorizer.transform([texts[i] for i in test])))
    return out


def _cross_validate(folds: list, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Out-of-fold decision values (NaN where a fold could not train) and which rows they cover."""
    scores = np.full(len(y), np.nan)
    used = 0
    for train, test, x_train, x_test in folds:
        if y[train].sum() < 2 or (~y[train]).sum() < 2:
            continue  # a fold without examples of both kinds cannot train
        scores[test] = _classifier().fit(x_train, y[train]).decision_function(x_test)
        used += 1
    return scores, ~np.isnan(scores), used


def _prf(predicted: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    tp = int((predicted & y).sum())
    fp = int((predicted & ~y).sum())
    fn = int((~predicted & y).sum())
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan")
    return precision, recall, f1


def suggest(segments: pd.DataFrame, human: pd.DataFrame, read: set[str], theme_of: dict[str, str],
            min_positive: int = MIN_POSITIVE, threshold: float = SUGGEST_FROM) -> Suggestions:
    """Train per code on the human-read segments, cross-validate by interview, score the other segments.

    ``human``: codings by people (manual sheets, gold); ``read``: every segment a person read, coded or not
    (a segment read and left uncoded is a negative example for every code).
    """
    labelled = training_labels(segments, human, read)
    targets = segments[(segments["speaker_role"] == "participant") & ~segments["segment_id"].isin(read)]
    target_texts = targets["text"].astype(str).map(mask_markers).tolist()
    texts = labelled["text"].tolist()
    groups = labelled["interview_id"].to_numpy()
    scores, rows = [], []
    if labelled["interview_id"].nunique() < MIN_INTERVIEWS:
        return Suggestions(pd.DataFrame(columns=SUGGESTION_COLUMNS), pd.DataFrame(columns=CV_COLUMNS))
    folds = _folds(texts, groups)
    vectorizer = _vectorizer()
    x_all = vectorizer.fit_transform(texts)
    x_targets = vectorizer.transform(target_texts) if target_texts else None
    for code_id in sorted({c for codes in labelled["codes"] for c in codes}):
        y = labelled["codes"].map(lambda c, code=code_id: code in c).to_numpy(dtype=bool)
        positives, negatives = int(y.sum()), int((~y).sum())
        if positives < min_positive or negatives < MIN_NEGATIVE:
            continue
        oof, covered, used = _cross_validate(folds, y)
        precision, recall, f1 = _prf(oof[covered] >= 0, y[covered])  # the classifier's own decision, unseen
        scores.append({"code_id": code_id, "positives": positives, "negatives": negatives,
                       "interviews": int(labelled.loc[y, "interview_id"].nunique()), "precision": precision,
                       "recall": recall, "f1": f1, "folds": used})
        if not target_texts:
            continue
        if y[covered].all() or not y[covered].any():
            continue
        calibration = _platt(oof[covered], y[covered])
        decision = _classifier().fit(x_all, y).decision_function(x_targets)
        probability = calibration.predict_proba(decision.reshape(-1, 1))[:, 1]
        for seg, p in zip(targets.itertuples(index=False), probability, strict=True):
            if p >= threshold:
                rows.append({"segment_id": seg.segment_id, "interview_id": seg.interview_id, "agency": seg.agency,
                             "code_id": code_id, "theme_id": theme_of.get(code_id, ""), "probability": float(p),
                             "uncertainty": float(1 - abs(2 * p - 1))})
    table = pd.DataFrame(rows, columns=SUGGESTION_COLUMNS[:-1])
    table = table.sort_values(["uncertainty", "probability", "segment_id", "code_id"],
                              ascending=[False, False, True, True], kind="stable").reset_index(drop=True)
    table["review_order"] = range(1, len(table) + 1)
    return Suggestions(table, pd.DataFrame(scores, columns=CV_COLUMNS))


def review_sheet(suggestions: pd.DataFrame, segments: pd.DataFrame, coder: str) -> pd.DataFrame:
    """The suggestions as a coding sheet for review: ``decision`` left empty for the reviewer (accept/reject).

    Saved in ``<study>/codings/``, the sheet contributes only the rows marked ``accept``; the others are
    ignored, so a half-reviewed sheet is safe to build with.
    """
    text = segments.set_index("segment_id")["text"]
    sheet = suggestions.assign(coder=coder, decision="", polarity="",
                               text=suggestions["segment_id"].map(text).fillna(""))
    return sheet[["review_order", "segment_id", "code_id", "decision", "polarity", "coder", "probability",
                  "interview_id", "text"]]
