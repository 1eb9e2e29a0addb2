"""Training preferences: format, duration and content topics, extracted from answers about the training.

This is what the project exists for: designing a module whose type, length and content fit each agency.
Format and duration come from explicit phrases ("ორდღიანი", "2-3 დღე", "half a day", "three sessions of four
hours") in participant answers to the training questions; content topics are the ``training_content`` codes the
auto-coder (or a human) applied to those answers. Negated mentions ("not online", "ონლაინ არა") are skipped.
Each row keeps the segment it came from so reports can show the evidence.
"""

from __future__ import annotations

import re

import pandas as pd

HOURS_PER_DAY = 8.0
HOURS_PER_HALF_DAY = 4.0
TRAINING_TOPICS = ("training_type", "training_duration", "training_content", "participants")
PREFERENCE_COLUMNS = ["interview_id", "agency", "speaker_id", "segment_id", "kind", "format",
                      "duration_hours_min", "duration_hours_max", "duration_hours", "topic_code_id", "evidence"]

FORMAT_PATTERNS: dict[str, tuple[str, ...]] = {
    "blended": (r"შერეულ\w*", r"კომბინირებულ\w*", r"ჰიბრიდულ\w*", r"blended", r"hybrid", r"mixed format"),
    "in_person": (r"პირისპირ\w*", r"აუდიტორიაში", r"ცოცხალ\w* (?:ფორმატ|შეხვედრ)\w*", r"in[ -]person",
                  r"face[ -]to[ -]face", r"classroom", r"on[ -]site"),
    "online": (r"ონლაინ\w*", r"დისტანციურ\w*", r"ვებინარ\w*", r"ელექტრონულ\w* (?:კურს|სწავლ|მოდულ)\w*",
               r"online", r"e-?learning", r"webinars?", r"self-paced", r"virtual"),
}
_FORMAT_RE = {fmt: re.compile(r"(?<!\w)(?:%s)(?!\w)" % "|".join(p), re.IGNORECASE)
              for fmt, p in FORMAT_PATTERNS.items()}
_NEGATION_BEFORE = re.compile(r"(?:(?<!\w)(?:არა|არ|ნუ|not|no|don't|do not|never|without|instead of|rather than|"
                              r"ვერ|გარეშე)(?!\w)[^.?!;,]{0,25})$", re.IGNORECASE)
_NEGATION_AFTER = re.compile(r"^[\s,]{0,3}(?:არა|არ არის|არ გამოდგება|არ მინდა|არ ვარგა)(?!\w)", re.IGNORECASE)

NUMBER_WORDS = {
    "ერთი": 1, "ერთ": 1, "ორი": 2, "ორ": 2, "სამი": 3, "სამ": 3, "ოთხი": 4, "ოთხ": 4, "ხუთი": 5, "ხუთ": 5,
    "ექვსი": 6, "ექვს": 6, "შვიდი": 7, "რვა": 8, "ცხრა": 9, "ათი": 10, "თორმეტი": 12, "თექვსმეტი": 16,
    "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "sixteen": 16,
}
_NUM = r"(?:\d+(?:[.,]5)?|%s)" % "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_RANGE = rf"(?P<a>{_NUM})(?:\s*(?:-|–|—|to|or|ან|ან კიდევ)\s*(?P<b>{_NUM}))?"
_DURATION_RES = [
    # three sessions of four hours / 3 sessions of 4 hours
    ("sessions", re.compile(rf"(?<!\w)(?P<n>{_NUM})\s+(?:sessions?|meetings?|half-days?)\s+of\s+(?P<h>{_NUM})"
                            r"\s+hours?(?!\w)", re.IGNORECASE)),
    # ორდღიანი, სამდღიანი, ერთდღიანი, ოთხსაათიანი
    ("compound", re.compile(r"(?<!\w)(?P<a>ერთ|ორ|სამ|ოთხ|ხუთ|ექვს|რვა)(?P<unit>დღიან|საათიან)\w*", re.IGNORECASE)),
    # half a day / half-day / ნახევარი დღე / ნახევარდღიანი
    ("half", re.compile(r"(?<!\w)(?:half[ -]a[ -]day|half[ -]days?|ნახევარ\w*\s*დღ\w*|ნახევარდღიან\w*)(?!\w)",
                        re.IGNORECASE)),
    ("range", re.compile(rf"(?<!\w){_RANGE}[\s-]*(?P<unit>hours?|hrs?|days?|საათ\w*|დღ\w*)(?!\w)",
                         re.IGNORECASE)),
]


def _number(token: str) -> float:
    token = token.lower().replace(",", ".")
    return float(token) if token[0].isdigit() else float(NUMBER_WORDS[token])


def _unit_hours(unit: str) -> float:
    unit = unit.lower()
    return 1.0 if unit.startswith(("h", "საათ")) else HOURS_PER_DAY


def extract_durations(text: str) -> list[tuple[float, float, str]]:
    """All durations in ``text`` as (min hours, max hours, evidence phrase); overlapping phrases count once."""
    found: list[tuple[int, int, float, float, str]] = []
    for kind, regex in _DURATION_RES:
        for m in regex.finditer(text):
            if any(s < m.end() and m.start() < e for s, e, *_ in found):
                continue
            if kind == "sessions":
                lo = hi = _number(m.group("n")) * _number(m.group("h"))
            elif kind == "compound":
                lo = hi = _number(m.group("a")) * (HOURS_PER_DAY if m.group("unit").startswith("დღ") else 1.0)
            elif kind == "half":
                lo = hi = HOURS_PER_HALF_DAY
            else:
                unit = _unit_hours(m.group("unit"))
                lo = _number(m.group("a")) * unit
                hi = _number(m.group("b")) * unit if m.group("b") else lo
                if m.group("a").lower() in ("a", "an") and not m.group("b"):
                    lo = hi = unit
            if 0 < lo <= 200:
                found.append((m.start(), m.end(), min(lo, hi), max(lo, hi), m.group(0)))
    return [(lo, hi, ev) for _, _, lo, hi, ev in sorted(found)]


def extract_formats(text: str) -> list[tuple[str, str]]:
    """Positive (non-negated) mentions of a training format, as (format, evidence)."""
    out: list[tuple[str, str]] = []
    for fmt, regex in _FORMAT_RE.items():
        for m in regex.finditer(text):
            if _NEGATION_BEFORE.search(text[max(0, m.start() - 40):m.start()]) or \
                    _NEGATION_AFTER.match(text[m.end():m.end() + 20]):
                continue
            out.append((fmt, m.group(0)))
    return out


def segment_format(text: str) -> str | None:
    """One format per answer: explicit 'blended', or both in-person and online wanted → blended."""
    formats = {f for f, _ in extract_formats(text)}
    if "blended" in formats or {"in_person", "online"} <= formats:
        return "blended"
    return next(iter(formats), None)


def extract_preferences(segments: pd.DataFrame, codings: pd.DataFrame,
                        question_topics: dict[str, str] | None = None) -> pd.DataFrame:
    """The ``preferences`` table (long form: one row per format / duration / topic mention)."""
    answers = segments[segments["speaker_role"] == "participant"]
    if question_topics:
        wanted = {q for q, topic in question_topics.items() if topic in TRAINING_TOPICS}
        answers = answers[answers["question_id"].isin(wanted)]
    rows: list[dict] = []
    for seg in answers.itertuples(index=False):
        base = {"interview_id": seg.interview_id, "agency": seg.agency, "speaker_id": seg.speaker_id,
                "segment_id": seg.segment_id}
        fmt = segment_format(seg.text)
        if fmt:
            evidence = "; ".join(dict.fromkeys(e for _, e in extract_formats(seg.text)))
            rows.append({**base, "kind": "format", "format": fmt, "evidence": evidence})
        for lo, hi, evidence in extract_durations(seg.text):
            rows.append({**base, "kind": "duration", "duration_hours_min": lo, "duration_hours_max": hi,
                         "duration_hours": (lo + hi) / 2, "evidence": evidence})
    content = codings[(codings["theme_id"] == "training_content")
                      & codings["segment_id"].isin(answers["segment_id"])]
    speaker = answers.set_index("segment_id")["speaker_id"]
    for c in content.itertuples(index=False):
        rows.append({"interview_id": c.interview_id, "agency": c.agency, "speaker_id": speaker.get(c.segment_id, ""),
                     "segment_id": c.segment_id, "kind": "topic", "topic_code_id": c.code_id,
                     "evidence": c.matched_text})
    frame = pd.DataFrame(rows, columns=PREFERENCE_COLUMNS)
    frame = frame.astype({"duration_hours_min": "float64", "duration_hours_max": "float64",
                          "duration_hours": "float64"})
    return frame.sort_values(["interview_id", "segment_id", "kind"], kind="stable").reset_index(drop=True)
