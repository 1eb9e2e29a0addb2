"""Extracted training designs against a careful human reading (``<study>/gold/designs.csv``).

Per participant (their own design, scope ``self``): is the primary format the one the reader took, is the total
within ±25 % of the reader's hours, and how well do the content topics match (F1 over the topics both can name).
The reader's topic names map onto the codebook's ``training_content`` codes; topics the codebook has no content
code for (stereotypes, harassment, …) are counted but left out of the F1.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

TOPIC_CODES = {
    "concepts": "training_content.concepts", "legal_frame": "training_content.legal_frame",
    "gender_mainstreaming": "training_content.gm_tools", "statistics_data": "training_content.data_use",
    "gbv_response": "training_content.gbv_response", "practical_cases": "training_content.practical_cases",
    "sector_specific": "training_content.tailored",
}
TOLERANCE = 0.25


@dataclass
class DesignCheck:
    rows: pd.DataFrame  # one row per participant the reader found a design for
    summary: pd.DataFrame  # measure, right, of, share


def _topics(value: object) -> set[str]:
    if not isinstance(value, str) or not value.strip():
        return set()
    return {TOPIC_CODES[t.strip()] for t in value.split(";") if t.strip() in TOPIC_CODES}


def _same_format(primary: str | None, mine: pd.Series | None, gold: str) -> bool:
    """Equal, or the reader's "blended" for a design with substantial parts in both modes (ours: a primary and a
    supporting format, both with hours)."""
    if primary == gold:
        return True
    support = mine["format_support"] if mine is not None and isinstance(mine["format_support"], str) else None
    return gold == "blended" and primary in ("in_person", "online") and support is not None


def check_designs(designs: pd.DataFrame, codings: pd.DataFrame, segments: pd.DataFrame, gold: pd.DataFrame,
                  interviews: set[str] | None = None) -> DesignCheck:
    """Compare the ``designs`` table (and stated content codings) with the reader's ``gold`` designs."""
    gold = gold[gold["scope"].fillna("self") == "self"]
    if interviews is not None:
        gold = gold[gold["interview_id"].isin(interviews)]
    own = designs[designs["scope"] == "self"].drop_duplicates("participant_key").set_index("participant_key")
    speakers = segments.set_index("segment_id")["speaker_id"]
    content = codings[(codings["theme_id"] == "training_content") & (codings.get("polarity", "stated") == "stated")]
    content = content.assign(participant_key=content["interview_id"] + ":" + content["segment_id"].map(speakers))
    wanted = content.groupby("participant_key")["code_id"].agg(set)
    rows = []
    for g in gold.itertuples(index=False):
        key = f"{g.interview_id}:{g.participant}"
        mine = own.loc[key] if key in own.index else None
        total = float(mine["total_hours"]) if mine is not None and pd.notna(mine["total_hours"]) else None
        gold_total = float(g.total_hours) if pd.notna(g.total_hours) else None
        primary = mine["format_primary"] if mine is not None and isinstance(mine["format_primary"], str) else None
        gold_primary = g.format_primary if isinstance(g.format_primary, str) and g.format_primary else None
        topics, gold_topics = wanted.get(key, set()), _topics(g.content_topics)
        tp = len(topics & gold_topics)
        rows.append({
            "participant_key": key, "format": primary, "gold_format": gold_primary,
            "format_right": _same_format(primary, mine, gold_primary) if gold_primary else None,
            "total_hours": total, "gold_total_hours": gold_total,
            "hours_right": (total is not None and abs(total - gold_total) <= TOLERANCE * gold_total)
            if gold_total else None,
            "topics_tp": tp, "topics_fp": len(topics - gold_topics), "topics_fn": len(gold_topics - topics),
        })
    frame = pd.DataFrame(rows)
    summary = []
    for measure, column in (("primary format", "format_right"), ("total hours within ±25 %", "hours_right")):
        judged = frame[column].dropna() if len(frame) else pd.Series(dtype=bool)
        summary.append({"measure": measure, "right": int(judged.sum()), "of": len(judged),
                        "share": float(judged.mean()) if len(judged) else float("nan")})
    if len(frame):
        tp, fp, fn = int(frame["topics_tp"].sum()), int(frame["topics_fp"].sum()), int(frame["topics_fn"].sum())
        f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan")
        summary.append({"measure": "content topics F1", "right": tp, "of": tp + fp + fn, "share": f1})
    return DesignCheck(frame, pd.DataFrame(summary))
