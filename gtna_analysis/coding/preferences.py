"""Training preferences: format, duration and content topics, extracted from answers about the training.

This is what the project exists for: designing a module whose type, length and content fit each agency.
Format and duration come from explicit phrases ("ორდღიანი", "2-3 დღე", "ორი სესია ოთხ-ოთხი საათით", "two
half-days", "three sessions of four hours") in participant answers to the training questions; content topics
are the ``training_content`` codes the auto-coder (or a human) applied to those answers. Each row keeps the
segment it came from so reports can show the evidence.

Spoken answers weigh options, so a mention is not a preference. The rules, clause by clause (a clause ends at
``. ! ? ;`` or a comma, not at an ellipsis):

* a clause with a negation ("არ", "ვერ", "არავინ", "not", "nobody", "difficult", …) drops the format or duration
  in it — unless it sets a bound ("ორ დღეზე მეტს ვერ დავთმობ" = at most two days is kept);
* a duration right after "than"/"ვიდრე", in an "if"/"თუ" clause, in the "within" case (დღეში, სამდღიანში:
  "in one day we only manage the intro") or in a rate ("an hour a day", კვირაში ერთხელ) is not a length;
* "two days plus one day later" / "ჯერ ორი დღე … კიდევ ერთი დღე" add up; repeated mentions of the same
  length in one answer count once;
* durations are restricted to answers to the format/duration questions, formats to the training questions;
  so "ორი საათის მოსმენა" said about something else in a participants answer is not a duration.

Hours: a day is ``HOURS_PER_DAY`` (8), a half-day ``HOURS_PER_HALF_DAY`` (4). ``part`` says which part of a
blended module a duration is about (the nearest format word in the same sentence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from gtna_analysis.schema import PREFERENCE_COLUMNS

HOURS_PER_DAY = 8.0
HOURS_PER_HALF_DAY = 4.0
TRAINING_TOPICS = ("training_type", "training_duration", "training_content", "participants")
FORMAT_TOPICS = ("training_type", "training_duration", "participants")
DURATION_TOPICS = ("training_type", "training_duration")
CONTENT_THEME = "training_content"

_I = re.IGNORECASE
FORMAT_PATTERNS: dict[str, tuple[str, ...]] = {
    "blended": (r"შერეულ\w*(?!\s+ჯგუფ)", r"კომბინირებულ\w*(?!\s+ჯგუფ)", r"ჰიბრიდულ\w*", r"blended", r"hybrid",
                r"mixed[ -](?:format|mode|model|approach|learning)", r"both online and (?:in[ -]person|face)"),
    "in_person": (r"პირისპირ\w*", r"აუდიტორიაში", r"ადგილზე", r"ცოცხალ\w* (?:ფორმატ|შეხვედრ|რეჟიმ)\w*", r"in[ -]person",
                  r"face[ -]to[ -]face", r"classroom", r"on[ -]site", r"ვორქშოპ\w*", r"სემინარ\w*",
                  r"workshops?", r"seminars?"),
    "online": (r"ონლაინ\w*", r"დისტანციურ\w*", r"ვებინარ\w*", r"ელექტრონულ\w* (?:კურს|სწავლ|მოდულ|პლატფორმ)\w*",
               r"online", r"e-?learning", r"e-?courses?", r"webinars?", r"self-paced", r"virtual", r"zoom",
               r"distance learning"),
}
_FORMAT_RE = {fmt: re.compile(r"(?<!\w)(?:%s)(?!\w)" % "|".join(p), _I) for fmt, p in FORMAT_PATTERNS.items()}
_WEAK_IN_PERSON = re.compile(r"(?:ვორქშოპ|სემინარ|workshop|seminar)", _I)
_ONLINE_BEFORE = re.compile(r"(?:ონლაინ|online|virtual|ვებ)\w*\W+$", _I)
_PART_AFTER = re.compile(r"^\W*(?:ნაწილ\w*|კომპონენტ\w*|parts?|components?|element)(?!\w)", _I)

_NEG = (r"არ|ვერ|არა|ნუ|არავინ|ვერავინ|არაფერი|ვერაფერი|არასდროს|not|never|nobody|no one|cannot|can't|won't|"
        r"wouldn't|don't|doesn't|isn't|rarely|hardly|difficult|რთული|რთულია|ძნელი|ძნელია|\w+n't")
_FORMAT_NEG_RE = re.compile(rf"(?<!\w)(?:{_NEG}|ნაკლებად|იშვიათად)(?!\w)", _I)
_DURATION_NEG_RE = re.compile(rf"(?<!\w)(?:{_NEG}|too long|too much)(?!\w)", _I)
_BOUND_RE = re.compile(r"(?<!\w)(?:მეტ\w*|ნაკლებ\w*|მაქსიმუმ\w*|მინიმუმ\w*|more|less|longer|shorter|max(?:imum)?|"
                       r"at most|at least|up to)(?!\w)", _I)
# "rather than three days" drops the three days; "more than two days" is a bound, not a rejected option.
_THAN_RE = re.compile(r"(?<!\w)(?<!more )(?<!less )(?<!longer )(?<!shorter )(?<!fewer )(?<!მეტი )(?<!მეტი, )"
                      r"(?<!მეტს )(?<!ნაკლები )(?<!ნაკლები, )(?:ვიდრე|than|instead of|rather than)\W+(?:\w+\W+){0,2}$",
                      _I)
_CONDITIONAL_RE = re.compile(r"^\W*(?:თუ|თუკი|როცა|if|when|unless)(?!\w)", _I)
_RATE_RE = re.compile(r"(?<!\w)(?:დღეში|კვირაში|თვეში|per (?:day|week|month)|(?<!half )(?<!half-)(?:a|each|every) "
                      r"(?:day|week|month)(?! and a half)|daily|weekly)(?!\w)", _I)
_PLUS_RE = re.compile(r"(?<!\w)(?:კიდევ|პლუს|plus|and another|then another|and then|\+)(?!\w)", _I)

NUMBER_WORDS = {
    "ერთი": 1, "ერთ": 1, "ორი": 2, "ორ": 2, "სამი": 3, "სამ": 3, "ოთხი": 4, "ოთხ": 4, "ხუთი": 5, "ხუთ": 5,
    "ექვსი": 6, "ექვს": 6, "შვიდი": 7, "შვიდ": 7, "რვა": 8, "ცხრა": 9, "ათი": 10, "ათ": 10, "თორმეტი": 12,
    "თორმეტ": 12, "თექვსმეტი": 16, "თექვსმეტ": 16, "ოცი": 20, "ოც": 20, "ოცდაოთხი": 24, "ოცდაოთხ": 24,
    "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "sixteen": 16, "twenty": 20, "twenty-four": 24,
}
_NUM = r"(?:\d+(?:[.,]5)?|%s)" % "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
# Georgian numbers may carry -იდან (from) / -ამდე, -მდე (up to): ორიდან სამ დღემდე = from two to three days.
_NUM_KA = r"(?:%s)(?:იდან|ამდე|მდე)?" % "|".join(sorted((w for w in NUMBER_WORDS if not w.isascii()), key=len,
                                                       reverse=True))
_ANY_NUM = rf"(?:{_NUM_KA}|{_NUM})"
_SEP = r"(?:\s*(?:-|–|—|/)\s*|\s+(?:to|or|ან|ან კიდევ)\s+|(?<=დან)\s+)"
_ADJ = r"(?:(?:full|whole|long|working|training|სრულ\w*|მთლიან\w*|სამუშაო|სასწავლო)\s+)?"
_HOUR = r"(?:hours?|hrs?|საათ\w*)"
_DAY = r"(?:days?|დღ\w*)"
_STEM = r"(?:ერთ|ორ|სამ|ოთხ|ხუთ|ექვს|შვიდ|რვა|ცხრა|ათ|\d+)"

_DURATION_RES: list[tuple[str, re.Pattern[str]]] = [
    # three sessions of four hours · 3 x 4 hours · two half-day sessions · three 4-hour sessions
    ("sessions", re.compile(rf"(?<!\w)(?P<n>{_NUM})\s+(?:sessions?|meetings?|modules?|blocks?|days?)\s+of\s+"
                            rf"(?P<h>{_NUM})(?:[\s-]+(?P<h2>{_NUM}))?\s*{_HOUR}(?!\w)", _I)),
    ("sessions", re.compile(rf"(?<!\w)(?P<n>{_NUM})\s*[x×]\s*(?P<h>{_NUM})\s*{_HOUR}(?!\w)", _I)),
    # a day and a half · one and a half days · two and a half hours · დღენახევარი · საათნახევარი — before
    # half_sessions, which would otherwise read "(one and) a half days" as one half-day
    ("and_a_half", re.compile(rf"(?<!\w)(?:(?P<n1>{_NUM})\s+(?P<u1>days?|hours?)\s+and\s+a\s+half|(?P<n2>{_NUM})\s+"
                              r"and\s+a\s+half\s+(?P<u2>days?|hours?)|(?P<u3>დღე|საათ)-?ნახევ\w*|"
                              r"ერთნახევარ\s+(?P<u4>დღ|საათ)\w*)(?!\w)", _I)),
    ("half_sessions", re.compile(rf"(?<!\w)(?P<n>{_ANY_NUM})\s+(?:half[ -]days?|ნახევარ\s*დღ\w*|"
                                 r"ნახევარდღიან\w*)(?!\w)", _I)),
    ("sessions", re.compile(rf"(?<!\w)(?P<n>{_NUM})\s+(?P<h>{_NUM})[\s-]*hours?\s+(?:sessions?|blocks?|modules?)"
                            r"(?!\w)", _I)),
    # 4-საათიანი 3 სესია · ოთხსაათიანი სამი სესია · სამი ოთხსაათიანი სესია
    ("sessions", re.compile(rf"(?<!\w)(?P<h>{_STEM})-?საათიან\w*\s+(?P<n>{_ANY_NUM})\s+(?:სესი|შეხვედრ|მოდულ)\w*",
                            _I)),
    ("sessions", re.compile(rf"(?<!\w)(?P<n>{_ANY_NUM})\s+(?P<h>{_STEM})-?საათიან\w*\s+(?:სესი|შეხვედრ|მოდულ)\w*",
                            _I)),
    # ორი სესია ოთხ-ოთხი საათით (two sessions of four hours each)
    ("sessions", re.compile(rf"(?<!\w)(?P<n>{_ANY_NUM})\s+(?:სესი|შეხვედრ|მოდულ|ბლოკ)\w*\s+(?P<h>{_ANY_NUM})"
                            rf"(?:-(?P<h2>{_ANY_NUM}))?\s+საათ\w*", _I)),
    # ორდღიანი, სამდღიანი, 2-დღიანი, ორ-სამდღიანი, ოთხსაათიანი, 4-საათიანი
    ("compound", re.compile(rf"(?<!\w)(?:(?P<a>{_STEM})-)?(?P<b>{_STEM})-?(?P<unit>დღიან|საათიან)\w*", _I)),
    # half a day / half-day / ნახევარი დღე / ნახევარდღიანი / half an hour
    ("half", re.compile(r"(?<!\w)(?:(?:a\s+)?half[ -]a[ -](?P<u1>day|hour)|(?:a\s+)?half[ -](?P<u2>days?)|"
                        r"ნახევარ\w*\s*(?P<u3>დღ|საათ)\w*|ნახევარ(?P<u4>დღ|საათ)იან\w*)(?!\w)", _I)),
    # 2-3 days, two or three hours, ორიდან სამ დღემდე, ოთხი-ხუთი საათი, 16 hours
    ("range", re.compile(rf"(?<!\w)(?P<a>{_ANY_NUM})(?:{_SEP}(?P<b>{_ANY_NUM}))?[\s-]*{_ADJ}(?P<unit>{_HOUR}|{_DAY})"
                         r"(?!\w)", _I)),
]


def _number(token: str) -> float:
    token = token.lower().replace(",", ".")
    if token[0].isdigit():
        return float(token)
    for suffix in ("იდან", "ამდე", "მდე"):
        if token.endswith(suffix) and token[:-len(suffix)] in NUMBER_WORDS:
            return float(NUMBER_WORDS[token[:-len(suffix)]])
    return float(NUMBER_WORDS[token])


def _is_hours(unit: str) -> bool:
    return unit.lower().startswith(("h", "საათ"))


@dataclass(frozen=True)
class Duration:
    start: int
    end: int
    lo: float
    hi: float
    evidence: str
    part: str | None = None


def _hours(kind: str, m: re.Match[str]) -> tuple[float, float] | None:
    if m.group(0).lower().endswith("ში"):  # the "within" case: ერთ დღეში, სამდღიანში = in (one day, a 3-day one)
        return None
    if kind == "sessions":
        n, h = _number(m.group("n")), _number(m.group("h"))
        return n * h, n * h
    if kind == "half_sessions":
        n = _number(m.group("n"))
        return n * HOURS_PER_HALF_DAY, n * HOURS_PER_HALF_DAY
    if kind == "and_a_half":
        unit = next(m.group(g) for g in ("u1", "u2", "u3", "u4") if m.group(g))
        whole = m.group("n1") or m.group("n2")
        value = ((_number(whole) if whole else 1.0) + 0.5) * (1.0 if _is_hours(unit) else HOURS_PER_DAY)
        return value, value
    if kind == "compound":
        per = HOURS_PER_DAY if m.group("unit").startswith("დღ") else 1.0
        b = _number(m.group("b")) * per
        a = _number(m.group("a")) * per if m.group("a") else b
        return min(a, b), max(a, b)
    if kind == "half":
        unit = next(u for u in m.groups() if u)
        value = 0.5 if _is_hours(unit) else HOURS_PER_HALF_DAY
        return value, value
    unit = 1.0 if _is_hours(m.group("unit")) else HOURS_PER_DAY
    lo = _number(m.group("a")) * unit
    hi = _number(m.group("b")) * unit if m.group("b") else lo
    return min(lo, hi), max(lo, hi)


_CLAUSE_END = re.compile(r"(?<![.…])[.!?;](?![.…])(?=\s|$)|,\s|\n|\s(?=(?:but|however|მაგრამ|თუმცა|ოღონდ)\s)")
_SENTENCE_END = re.compile(r"(?<![.…])[.!?;](?![.…])(?=\s|$)|\n")


def _spans(text: str, regex: re.Pattern[str]) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in regex.finditer(text):
        out.append((start, m.end()))
        start = m.end()
    out.append((start, len(text)))
    return out


def _containing(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    return next((s, e) for s, e in spans if s <= pos < e or (pos == e == spans[-1][1]))


def _mentions(text: str) -> list[tuple[int, int, str, bool]]:
    """Every format word: (start, end, format, positive) — positive unless its clause is negated."""
    clauses = _spans(text, _CLAUSE_END)
    out = []
    for fmt, regex in _FORMAT_RE.items():
        for m in regex.finditer(text):
            if fmt == "in_person" and _WEAK_IN_PERSON.match(m.group(0)) and \
                    _ONLINE_BEFORE.search(text[max(0, m.start() - 25):m.start()]):
                continue  # "online workshop" is online
            cs, ce = _containing(clauses, m.start())
            out.append((m.start(), m.end(), fmt, not _FORMAT_NEG_RE.search(text[cs:ce])))
    return sorted(out)


def extract_formats(text: str) -> list[tuple[str, str]]:
    """Positive (non-negated) mentions of a training format, as (format, evidence)."""
    out = []
    for s, e, fmt, positive in _mentions(text):
        if not positive:
            continue
        if fmt in ("online", "in_person") and _PART_AFTER.match(text[e:e + 20]):
            fmt = "blended"  # "the online part" implies another part in the other format
        out.append((fmt, text[s:e]))
    return out


def segment_format(text: str) -> str | None:
    """One format per answer: explicit 'blended', or both in-person and online wanted → blended."""
    formats = {f for f, _ in extract_formats(text)}
    if "blended" in formats or {"in_person", "online"} <= formats:
        return "blended"
    return next(iter(formats), None)


def _part(text: str, sentence: tuple[int, int], pos: int) -> str | None:
    """The format a duration is about: nearest format word before it in the sentence, else the next one."""
    mentions = [(s, fmt) for s, _, fmt, _ in _mentions(text) if sentence[0] <= s < sentence[1] and fmt != "blended"]
    before = [fmt for s, fmt in mentions if s < pos]
    after = [fmt for s, fmt in mentions if s >= pos]
    return before[-1] if before else after[0] if after else None


def extract_durations(text: str) -> list[tuple[float, float, str]]:
    """Durations wanted in ``text`` as (min hours, max hours, evidence phrase), after the rules above."""
    return [(d.lo, d.hi, d.evidence) for d in duration_mentions(text)]


def duration_mentions(text: str) -> list[Duration]:
    """Durations wanted in ``text`` with positions and the part (online / in_person) they refer to."""
    clauses = _spans(text, _CLAUSE_END)
    sentences = _spans(text, _SENTENCE_END)
    found: list[Duration] = []
    for kind, regex in _DURATION_RES:
        for m in regex.finditer(text):
            if any(d.start < m.end() and m.start() < d.end for d in found):
                continue
            hours = _hours(kind, m)
            if hours is None or not 0 < hours[0] <= 200:
                continue
            cs, ce = _containing(clauses, m.start())
            clause = text[cs:ce]
            if (_DURATION_NEG_RE.search(clause) and not _BOUND_RE.search(clause)) or _RATE_RE.search(clause) \
                    or _CONDITIONAL_RE.match(clause) or _THAN_RE.search(text[max(0, m.start() - 40):m.start()]):
                continue
            sentence = _containing(sentences, m.start())
            found.append(Duration(m.start(), m.end(), hours[0], hours[1], m.group(0),
                                  _part(text, sentence, m.start())))
    found.sort(key=lambda d: d.start)
    merged: list[Duration] = []
    for d in found:  # "two days plus one day", "ორი დღე, … კიდევ ერთი დღე": one module, lengths add up
        prev = merged[-1] if merged else None
        if prev is not None and _PLUS_RE.search(text[prev.end:d.start]) and \
                _containing(sentences, prev.start) == _containing(sentences, d.start):
            merged[-1] = Duration(prev.start, d.end, prev.lo + d.lo, prev.hi + d.hi, text[prev.start:d.end],
                                  prev.part if prev.part == d.part else None)
        else:
            merged.append(d)
    unique: dict[tuple[float, float, str | None], Duration] = {}
    for d in merged:
        unique.setdefault((d.lo, d.hi, d.part), d)
    return list(unique.values())


def extract_preferences(segments: pd.DataFrame, codings: pd.DataFrame,
                        question_topics: dict[str, str] | None = None) -> pd.DataFrame:
    """The ``preferences`` table (long form: one row per format / duration / topic mention)."""
    answers = segments[segments["speaker_role"] == "participant"]

    def asked(topics: tuple[str, ...]) -> pd.Series:
        if not question_topics:
            return pd.Series(True, index=answers.index)
        return answers["question_id"].isin({q for q, t in question_topics.items() if t in topics})

    rows: list[dict] = []
    format_ok, duration_ok = asked(FORMAT_TOPICS), asked(DURATION_TOPICS)
    for seg, want_format, want_duration in zip(answers.itertuples(index=False), format_ok, duration_ok,
                                               strict=True):
        base = {"interview_id": seg.interview_id, "agency": seg.agency, "speaker_id": seg.speaker_id,
                "segment_id": seg.segment_id, "question_id": seg.question_id}
        fmt = segment_format(seg.text) if want_format else None
        if fmt:
            evidence = "; ".join(dict.fromkeys(e for _, e in extract_formats(seg.text)))
            rows.append({**base, "kind": "format", "format": fmt, "evidence": evidence})
        for d in duration_mentions(seg.text) if want_duration else []:
            rows.append({**base, "kind": "duration", "duration_hours_min": d.lo, "duration_hours_max": d.hi,
                         "duration_hours": (d.lo + d.hi) / 2, "evidence": d.evidence, "part": d.part})
    content_answers = answers[asked(TRAINING_TOPICS)]
    stated = codings["polarity"] == "stated" if "polarity" in codings else True  # no rejected or "if" topics
    content = codings[(codings["theme_id"] == CONTENT_THEME) & stated
                      & codings["segment_id"].isin(content_answers["segment_id"])]
    info = dict(zip(content_answers["segment_id"].tolist(),
                    zip(content_answers["speaker_id"].tolist(), content_answers["question_id"].tolist(), strict=True),
                    strict=True))
    # Grouped by (segment, code) in plain Python, in order of first appearance (as groupby(sort=False)): a
    # pandas group and a row look-up per topic mention cost more than the rest of this function.
    columns = [content[c].tolist() for c in ("segment_id", "code_id", "interview_id", "agency", "matched_text",
                                             "source", "coder")]
    groups: dict[tuple, list[int]] = {}
    for i, key in enumerate(zip(columns[0], columns[1], strict=True)):
        if not (pd.isna(key[0]) or pd.isna(key[1])):  # as groupby's dropna
            groups.setdefault(key, []).append(i)
    _, _, interview_of, agency_of, matched, source, coder = columns
    for (segment_id, code_id), members in groups.items():
        evidence = "; ".join(dict.fromkeys(matched[i] for i in members if isinstance(matched[i], str) and
                                           matched[i])) or \
            "; ".join(f"{s}:{c}" for s, c in dict.fromkeys((source[i], coder[i]) for i in members))
        speaker_id, question_id = info[segment_id]
        rows.append({"interview_id": interview_of[members[0]], "agency": agency_of[members[0]],
                     "speaker_id": speaker_id, "segment_id": segment_id,
                     "question_id": question_id, "kind": "topic", "topic_code_id": code_id,
                     "evidence": evidence})
    frame = pd.DataFrame(rows, columns=PREFERENCE_COLUMNS)
    frame = frame.astype({"duration_hours_min": "float64", "duration_hours_max": "float64",
                          "duration_hours": "float64"})
    return frame.sort_values(["interview_id", "segment_id", "kind"], kind="stable").reset_index(drop=True)
