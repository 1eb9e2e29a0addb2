"""Stated training designs: what a participant asks for, part by part, for whom — not a bag of duration words.

Why: averaging every duration a person mentions gets the central question of the study wrong. "Several hours
online and then two days in person" is one design of about 20 hours, not two preferences of 4 and 16; "a one-day
introduction could be enough for managers" is a design for managers, not the speaker's own wish; "weekly half-day
sessions for five weeks" is 20 hours; "one day is too little" is a lower bound, and "three days would be a luxury"
an upper one; a rejected or past option ("not online again", "last year we had two days") is no design at all.

``extract_design(text)`` reads one answer and returns a ``Statement`` per scope (the speaker's own design, or one
stated for managers, specialists, regional, new or all staff): its parts (format and hours each; total = sum),
bounds, counted sessions, primary and supporting format, rejected formats, follow-up and periods to avoid.
``designs_table`` turns a build's participant segments into the ``designs`` table (one row per part).

Hours: a working day is 8, a half-day 4, a week 40; "a few hours"/"რამდენიმე საათი" 3, "several hours" 4.
A range counts at its midpoint, with the ends as bounds. Every duration candidate comes from the duration
grammar of ``preferences`` (numbers in words in both languages, ორდღიანი, two half-days, 3 × 4 hours, …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from gtna_analysis.schema import DESIGN_COLUMNS

from . import polarity as _polarity
from .preferences import _DURATION_RES, _FORMAT_RE, _THAN_RE, HOURS_PER_DAY, HOURS_PER_HALF_DAY, _hours, _number

_I = re.IGNORECASE
DESIGN_TOPICS = ("training_type", "training_duration", "training_content", "participants")  # questionnaire topics
SCOPES = ("self", "managers", "specialists", "regional_staff", "new_staff", "all_staff")
PART_FORMATS = ("in_person", "online", "any")

_SCOPE_RES = {
    "managers": r"managers?|management|heads? of|leaders(?:hip)?|senior (?:staff|officials|managers)|deputy "
                r"ministers?|ხელმძღვანელ\w*|მენეჯერ\w*|მენეჯმენტ\w*|უფროს\w*|მინისტრის მოადგილე\w*",
    "specialists": r"specialists?|experts?|practitioners|analysts|სპეციალისტ\w*|ექსპერტ\w*|ანალიტიკოს\w*",
    "regional_staff": r"regional (?:staff|offices?|colleagues|employees)|regions|რეგიონ\w*|რაიონ\w*",
    "new_staff": r"new(?:ly hired)? (?:staff|employees|colleagues|recruits|people)|newcomers|induction|"
                 r"ახალ\w* (?:თანამშრომ|კადრ|მიღებულ)\w*|ახალმოსულ\w*",
    "all_staff": r"all (?:staff|employees|the staff|of the staff|colleagues)|everyone|everybody|"
                 r"ყველა (?:თანამშრომ|თანამშრომელ)\w*|ყველასთვის|მთელი? (?:შტატ|კოლექტივ)\w*",
}
_SCOPE_RE = {scope: re.compile(rf"(?<!\w)(?:{rx})(?!\w)", _I) for scope, rx in _SCOPE_RES.items()}
# a group is the *audience* of a design when it is the beneficiary ("for managers", "მენეჯერებისთვის")
_FOR_RE = re.compile(r"(?<!\w)(?:for|to)\s+(?:the\s+|our\s+)?$", _I)
_KA_FOR = re.compile(r"(?:თვის|ისთვის|ებისთვის)$")

_PAST = re.compile(r"(?<!\w)(?:last (?:year|time|month)|in 20\d\d|we had|had a|was a|we were|attended|did a|lasted|"
                   r"previous(?:ly)?|before,|ago|გასულ\w*|შარშან|წინა წელს|წელს გვქონდა|გვქონდა|ჩავატარეთ|"
                   r"ჩატარდა|ვიყავით|გავიარეთ|გავიარე|იყო|მქონდა|დავესწარი|დავესწარით|ჩაგვიტარეს|წინა|გაგრძელდა|"
                   r"გაგრძელდება|ინტერვიუ|interview)(?!\w)", _I)
_WEEK_MONTH = re.compile(r"(?<!\w)(?:(?P<n>\d+|one|two|three|four|a|ერთი|ორი|სამი|ოთხი)\s+)?"
                         r"(?P<unit>weeks?|კვირ\w*)(?!\w)", _I)
_FEW = re.compile(r"(?<!\w)(?:(?P<few>a few|a couple of|couple of|რამდენიმე|რამოდენიმე|ორიოდე)|(?P<several>several))"
                  r"\s+(?P<unit>hours?|days?|საათ\w*|დღ\w*)(?!\w)", _I)
_MIN_CUE = re.compile(r"(?<!\w)(?:at least|minimum|more than|no less than|not less than|მინიმუმ\w*|"
                      r"არანაკლებ\w*|ნაკლები არა|მეტი უნდა|ცოტაა|too (?:little|short)|not enough|isn't enough|"
                      r"არ არის საკმარისი|არ კმარა|არ ეყოფა)(?!\w)", _I)
_MAX_CUE = re.compile(r"(?<!\w)(?:at most|maximum|max|no more than|not more than|up to|too (?:long|much)|luxury|"
                      r"მაქსიმუმ\w*|არაუმეტეს|მეტი არა|მეტს ვერ|მეტი ვერ|ზედმეტია|ბევრია|ფუფუნება|მეტი — არა)(?!\w)",
                      _I)
_MIN_AFTER = re.compile(r"^\W{0,3}(?:მაინც|at least|minimum|(?:ზე\s*)?ნაკლებ\w*\s+(?:აზრი|არ|ვერ))", _I)
_COUNT = re.compile(r"(?<!\w)(?P<n>\d+|two|three|four|five|six|seven|eight|ten|ორი|სამი|ოთხი|ხუთი|ექვსი|შვიდი|რვა|ათი)"
                    r"\s+(?:separate\s+|ცალკე\s+)?(?:sessions?|meetings?|modules?|times|occasions|workshops?|"
                    r"days\s+apart|"
                    r"სესი\w*|შეხვედრ\w*|მოდულ\w*|ვორქშოპ\w*)(?!\w)|(?<!\w)(?P<ka>ორჯერ|სამჯერ|ოთხჯერ|ხუთჯერ|ექვსჯერ)(?!\w)|"
                    r"(?P<n2>\d+|two|three|four|five|six|ორი|სამი|ოთხი)\s+(?:separate|ცალკე)\s+(?:days|დღე)|"
                    r"(?P<n3>ორი|სამი|two|three)\s+(?:დღე|days),?\s+(?:\w+\s+){0,2}(?:ცალ-ცალკე|separately|separate)",
                    _I)
_KA_TIMES = {"ორჯერ": 2, "სამჯერ": 3, "ოთხჯერ": 4, "ხუთჯერ": 5, "ექვსჯერ": 6}
_EACH = re.compile(r"(?<!\w)(?:each|every|per|თითო\w*|თითოეულ\w*)(?!\w)", _I)
_PLUS = re.compile(r"(?<!\w)(?:plus|and then|then|after that|followed by|and another|კიდევ|პლუს|მერე|შემდეგ|\+)(?!\w)",
                   _I)
_CLOCK = re.compile(r"^\S+\s+საათზე(?!\s*(?:მეტ|ნაკლებ))|^\S+\s+o'?clock", _I)
_OR = re.compile(r"(?<!\w)(?:ან|or|or rather|better|უკეთესი|უმჯობესია|ანუ)(?!\w)", _I)
_MAX_AFTER = re.compile(r"^\W{0,3}(?:მაქსიმუმ|max(?:imum)?|at most|— არა|- არა|მეტი (?:—\s*)?არა|დაივიწყ|ფუფუნება)",
                        _I)
_MORE_THAN_NO = re.compile(r"^\s*(?:ზე|ს)?\s*მეტ\w*\s*(?:—|-|,)?\s*(?:არა|ვერ|არ)(?!\w)", _I)
_SPACING = re.compile(r"(?<!\w)(?:weekly|every week|once a week|each week|კვირაში ერთხელ|ყოველ კვირა\w*|"
                      r"every two weeks|ორ კვირაში ერთხელ|monthly|once a month|თვეში ერთხელ)(?!\w)", _I)
_OVER = re.compile(r"(?<!\w)(?:for|over|during)?\s*(?P<n>\d+|one|two|three|four|five|six"
                   r"|ერთი|ორი|სამი|ოთხი|ხუთი|ექვსი)\s+(?P<unit>weeks?|months?|კვირ\w*|თვ\w*)", _I)
_ONE_MONTH = re.compile(r"(?<!\w)(?:(?:for |over )?a month|ერთი თვე|ერთ თვეში|ერთი თვის|თვის განმავლობაში)(?!\w)",
                        _I)
_FOLLOW_UP = re.compile(r"(?<!\w)(?:follow[ -]?ups?|refresher|later on|after (?:some|a few) months|every year|"
                        r"annual(?:ly)?|once a year|again (?:in|after)|შემდეგ კიდევ|მერე კიდევ|განმეორებით\w*|"
                        r"ყოველწლიურ\w*|წელიწადში ერთხელ|შემდეგ წელს|რამდენიმე თვეში|რამდენიმე თვის შემდეგ|"
                        r"გაგრძელებ\w*|დაბრუნებ\w*|follow|(?:a|one|two|three|few|several) (?:weeks?|months?) later|"
                        r"months? later|weeks? later|(?:თვის|კვირის|თვეების|კვირების) შემდეგ(?! კიდევ)|"
                        r"თვეში ერთხელ შეხვედრ\w*|monthly (?:supervision|meetings?|sessions?))(?!\w)", _I)
_AVOID = {
    "summer": r"summer|ზაფხულ\w*|აგვისტო\w*|august|შვებულებ\w*|holidays?",
    "budget season": r"budget (?:season|period|time|planning)|ბიუჯეტის (?:პერიოდ|სეზონ|დაგეგმვ|შედგენ)\w*|"
                     r"ბიუჯეტ\w* (?:დროს|პერიოდში)",
    "end of year": r"end of (?:the )?year|december|year[ -]end|დეკემბერ\w*|წლის ბოლო\w*",
    "elections": r"elections?|არჩევნ\w*",
}
_AVOID_RE = {name: re.compile(rf"(?<!\w)(?:{rx})(?!\w)", _I) for name, rx in _AVOID.items()}
_AVOID_CUE = re.compile(r"(?<!\w)(?:not in|avoid|ნუ|except|outside|no training|not during|busy|დროს არა|გარდა|არა\w*|"
                        r"არ (?:გამოვა|შეიძლება|შეგვიძლია|მოვიცლით)|ვერ|დაკავებულ\w*|გადატვირთულ\w*|before|after|"
                        r"წინ|შემდეგ|არ|not)(?!\w)", _I)
_SUPPORT = re.compile(r"(?<!\w)(?:only for|just for|for the (?:materials|reading|test|preparation)|materials?|"
                      r"readings?|handouts?|self[- ]study|preparation|homework|consultations?|test|support(?:ing)?|"
                      r"მასალ\w*|დამხმარე|მოსამზადებ\w*|საკითხავ\w*|ტესტ\w*|კონსულტაცი\w*|დამოუკიდებლ\w*|"
                      r"მხოლოდ)(?!\w)", _I)
# what the supporting mode is for, from the cue that made it supporting
_PURPOSES = (("materials", r"materials?|handouts?|readings?|მასალ|საკითხავ"),
             ("self-study", r"self[- ]study|homework|on their own|დამოუკიდებლ|თვითსწავლ"),
             ("preparation", r"preparation|მოსამზადებ"), ("test", r"test|ტესტ"),
             ("consultation", r"consultations?|questions|კონსულტაცი|კითხვა-პასუხ"))
_PURPOSE_RE = [(name, re.compile(rf"(?<!\w)(?:{rx})", _I)) for name, rx in _PURPOSES]


def _purpose(window: str) -> str | None:
    return next((name for name, rx in _PURPOSE_RE if rx.search(window)), None)
_REFUSE = re.compile(r"^\W*(?:no[,.!]|არა[,.!]|we don't need (?:any )?training|ტრენინგი არ გვჭირდება)", _I)


@dataclass
class Part:
    format: str
    hours: float
    evidence: str = ""
    sentence: int = -1  # where it was said (start of its sentence, end of the phrase): to tell "A or B" apart
    end: int = -1


@dataclass
class Statement:
    """One scope's stated design in one answer."""

    scope: str = "self"
    parts: list[Part] = field(default_factory=list)
    min_hours: float | None = None
    max_hours: float | None = None
    sessions: int | None = None
    format_primary: str | None = None
    format_support: str | None = None
    support_purpose: str | None = None  # materials | self-study | preparation | test | consultation
    rejected_formats: list[str] = field(default_factory=list)
    follow_up: bool = False
    avoid_periods: list[str] = field(default_factory=list)
    hypothetical: bool = False
    rejected: bool = False
    range_bounds: bool = False  # min/max came only from a range ("two or three days"), not a stated limit

    @property
    def total_hours(self) -> float | None:
        return sum(p.hours for p in self.parts) if self.parts else None

    @property
    def empty(self) -> bool:
        return not (self.parts or self.min_hours or self.max_hours or self.format_primary or self.rejected_formats
                    or self.follow_up or self.avoid_periods)


_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


def _sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text)]


def _scope_at(text: str, start: int, end: int, sentence: tuple[int, int]) -> str:
    """The group a duration or format is stated for: a group word near it in the same sentence, said as the
    audience ("for managers", "მენეჯერებისთვის", "managers: one day")."""
    s0, s1 = sentence
    window = text[s0:s1]
    best: tuple[int, str] | None = None
    for scope, rx in _SCOPE_RE.items():
        for m in rx.finditer(window):
            word_end = s0 + m.end()
            word_start = s0 + m.start()
            audience = bool(_FOR_RE.search(text[max(s0, word_start - 12):word_start])) or \
                bool(_KA_FOR.search(m.group(0))) or bool(re.match(r"^\s*[:—–-]", text[word_end:word_end + 3])) or \
                len(re.findall(r"\w+", text[s0:word_start])) <= 2 or m.group(0).endswith("ებს")
            if re.search(r"allow|let us|permit|ნება", text[word_end:word_end + 30], _I) or \
                    m.group(0).endswith(("მა", "ამ")):
                audience = False  # "if the management allowed it", "ხელმძღვანელობამ ნება რომ დაგვრთოს": an agent
            if not audience and scope != "all_staff":
                continue
            distance = min(abs(word_start - end), abs(start - word_end))
            if best is None or distance < best[0]:
                best = (distance, scope)
    return best[1] if best is not None and best[0] <= 80 else "self"


def _candidates(text: str) -> list[tuple[int, int, float, float, str]]:
    """Every duration phrase: (start, end, low hours, high hours, kind)."""
    found: list[tuple[int, int, float, float, str]] = []
    for kind, regex in _DURATION_RES:
        for m in regex.finditer(text):
            if any(s < m.end() and m.start() < e for s, e, *_ in found):
                continue
            if kind == "range" and m.group("b") is None and text[m.end():m.end() + 3].startswith("ში"):
                continue
            hours = None if m.group(0).endswith("ში") else _hours(kind, m)
            if hours is None or not 0 < hours[0] <= 400:
                continue
            found.append((m.start(), m.end(), hours[0], hours[1], kind))
    for m in _FEW.finditer(text):
        if any(s < m.end() and m.start() < e for s, e, *_ in found):
            continue
        day = m.group("unit").lower().startswith(("d", "დ"))
        n = 2.0 if m.group("few") and "couple" in m.group("few").lower() else 4.0 if m.group("several") else 3.0
        hours = n * (HOURS_PER_DAY if day else 1.0)
        found.append((m.start(), m.end(), hours, hours, "few"))
    for m in _WEEK_MONTH.finditer(text):
        if any(s < m.end() and m.start() < e for s, e, *_ in found) or _SPACING.search(text[m.start() - 12:m.end()]):
            continue
        clause = text[max(0, m.start() - 60):m.end() + 40]
        if not re.search(r"ტრენინგ|კურს|training|course", clause, _I) or re.search(r"(?:in|for|over) \w+ weeks|"
                                                                                     r"კვირაში", clause, _I):
            continue
        n = _number(m.group("n")) if m.group("n") and m.group("n").lower() != "a" else 1.0
        found.append((m.start(), m.end(), 5 * HOURS_PER_DAY * n, 5 * HOURS_PER_DAY * n, "week"))
    return sorted(found)


def _formats(text: str, s0: int, s1: int) -> list[tuple[int, int, str, str]]:
    """Format words in ``text[s0:s1]``: (start, end, format, polarity)."""
    out = []
    for fmt, rx in _FORMAT_RE.items():
        for m in rx.finditer(text, s0, s1):
            if fmt == "blended" and not re.search(r"ფორმატ|format|training|ტრენინგ|სწავლებ|learning|approach|"
                                                  r"მიდგომ|მოდელ|model|ვარიანტ|option", text[s0:s1], _I):
                continue  # "a mixed group" is no format
            out.append((m.start(), m.end(), fmt, _polarity.classify(text, m.start(), m.end())))
    return sorted(out)


def _part_format(formats: list[tuple[int, int, str, str]], start: int, end: int,
                 clause: tuple[int, int] | None = None) -> str:
    """The format a duration is about: a stated in-person/online word in the same clause ("ონლაინ ნაწილი — ოთხი
    საათი, პირისპირ კი — ორი დღე"), else the nearest one in the sentence (either side: "two days in person" and
    "in person, two days" alike)."""
    stated = [(min(abs(s - end), abs(start - e)), s, f) for s, e, f, p in formats
              if f != "blended" and p != _polarity.REJECTED]
    if clause is not None:
        inside = [x for x in stated if clause[0] <= x[1] < clause[1]]
        stated = inside or stated
    return min(stated)[2] if stated else "any"


def extract_design(text: str) -> list[Statement]:
    """The designs stated in one answer, one Statement per scope (self first); empty Statements dropped."""
    statements: dict[str, Statement] = {}

    def get(scope: str) -> Statement:
        return statements.setdefault(scope, Statement(scope=scope))

    restating: set[int] = set()
    candidates = _candidates(text)
    for s0, s1 in _sentences(text):
        sentence = text[s0:s1]
        formats = _formats(text, s0, s1)
        past = bool(_PAST.search(sentence)) and not re.search(r"(?<!\w)(?:want|would|should|need|უნდა|მინდა|"
                                                                r"გვინდა|ჯობს|სჯობს)(?!\w)", sentence, _I)
        spaced = _SPACING.search(sentence)
        count = _COUNT.search(sentence)
        for start, end, lo, hi, kind in [c for c in candidates if s0 <= c[0] < s1]:
            if past or (_CLOCK.match(text[start:end + 12]) and not _MORE_THAN_NO.match(text[end:end + 20])):
                continue  # "ღამის სამ საათზე" (at three at night) is a time of day, not a length
            scope = _scope_at(text, start, end, (s0, s1))
            st = get(scope)
            stance = _polarity.classify(text, start, end)
            before, after = text[max(s0, start - 25):start], text[end:min(s1, end + 25)]
            if _THAN_RE.search(text[max(s0, start - 40):start]):
                continue  # "two half-days rather than one full day": the option compared against
            if lo != hi and (_MAX_AFTER.match(after) or _MAX_CUE.search(after[:15])):
                st.min_hours, st.max_hours = lo, hi  # "two or three days, no more": a range with its ends
                st.parts.append(Part(_part_format(formats, start, end), (lo + hi) / 2, text[start:end]))
                continue
            if _MIN_AFTER.match(after):
                st.min_hours = lo if st.min_hours is None else max(st.min_hours, lo)
                continue
            if _MAX_AFTER.match(after) and not _MORE_THAN_NO.match(after) and not _MAX_CUE.search(before) \
                    and re.match(r"^\W{0,3}(?:მეტი|no more|not more|max|მაქსიმუმ)", after, _I):
                st.max_hours = hi if st.max_hours is None else min(st.max_hours, hi)  # "ორდღიანი, მეტი არა":
                st.parts.append(Part(_part_format(formats, start, end, _polarity.clause_bounds(text, start, end)),
                                     (lo + hi) / 2, text[start:end]))  # the design, and its upper limit
                continue
            if _MAX_AFTER.match(after) or _MAX_CUE.search(before) or _MORE_THAN_NO.match(after) or \
                    (stance == _polarity.REJECTED and re.search(r"ფუფუნება|luxury|too (?:long|much)|ზედმეტ|ბევრ",
                                                                after + before, _I)):
                st.max_hours = hi if st.max_hours is None else min(st.max_hours, hi)
                continue
            if _MIN_CUE.search(before) or _MIN_CUE.search(after[:20]):
                st.min_hours = lo if st.min_hours is None else max(st.min_hours, lo)
                continue
            if stance == _polarity.REJECTED:
                if re.search(r"^\s*(?:\?|—|-)\s*(?:no|არა)", after, _I):
                    st.rejected = True
                continue
            fmt = _part_format(formats, start, end, _polarity.clause_bounds(text, start, end))
            if stance == _polarity.HYPOTHETICAL:
                if any(p.format in (fmt, "any") or fmt == "any" for p in st.parts):
                    continue  # "if it must be longer, two half-days": an alternative to the stated design
                if not st.parts:  # "the online part could be a few hours" beside an in-person part still adds
                    st.hypothetical = True
            hours = (lo + hi) / 2
            if lo != hi and st.min_hours is None and st.max_hours is None:
                st.min_hours, st.max_hours, st.range_bounds = lo, hi, True
            if spaced and kind not in ("week",):
                weeks = _OVER.search(sentence)
                n = None
                if weeks:
                    n = int(_number(weeks.group("n"))) * (4 if weeks.group("unit").lower().startswith(("m", "თ"))
                                                          else 1)
                elif _ONE_MONTH.search(sentence):
                    n = 4
                if n and hours <= HOURS_PER_DAY:
                    st.sessions = n
                    st.parts.extend(Part(fmt, hours, text[start:end]) for _ in range(n))
                    continue
            if kind == "half_sessions":
                n = round(lo / HOURS_PER_HALF_DAY)
                st.sessions = (st.sessions or 0) + n
                st.parts.extend(Part(fmt, HOURS_PER_HALF_DAY, text[start:end]) for _ in range(n))
                continue
            if kind == "sessions":
                n_match = re.match(r"\s*(\S+)", text[start:end])
                try:
                    n = int(_number(n_match.group(1))) if n_match else 1
                except (KeyError, ValueError):
                    n = 1
                if 1 < n <= 20:
                    st.sessions = (st.sessions or 0) + n
                    st.parts.extend(Part(fmt, hours / n, text[start:end]) for _ in range(n))
                    continue
            if count and hours <= HOURS_PER_DAY and (_EACH.search(sentence) or spaced or count.group("ka")) \
                    and not st.parts and not (count.start() <= start - s0 < count.end()):
                n = _count_value(count)
                if 1 < n <= 20:
                    st.sessions = n
                    st.parts.extend(Part(fmt, hours, text[start:end]) for _ in range(n))
                    continue
            joined = bool(_PLUS.search(text[max(s0, start - 30):start]))
            previous = st.parts[-1] if st.parts else None
            if previous is not None and previous.sentence == s0 and not joined and \
                    _OR.search(text[previous.end:start]):
                st.parts = [p for p in st.parts if p.sentence != s0]  # "one day or, better, two sessions": the
                st.sessions = None                                    # later option is the one they settle on
            elif s0 in restating or (not joined and any(p.format in (fmt, "any") or fmt == "any" for p in st.parts)):
                restating.add(s0)  # the design said again in other words ("ერთდღიანი … ერთი დღე", "three days;
                continue           # maybe two days plus one day later"): its parts are not new ones
            st.parts.append(Part(fmt, hours, text[start:end], s0, end))
        if count and not past:
            st = get(_scope_at(text, s0 + count.start(), s0 + count.end(), (s0, s1)))
            if st.sessions is None and _polarity.classify(text, s0 + count.start(), s0 + count.end()) != \
                    _polarity.REJECTED:
                n = _count_value(count)
                if 1 < n <= 20:
                    st.sessions = n
        # formats: primary / support / rejected, for the scope of each format word
        for start, end, fmt, stance in formats:
            if past:
                continue
            st = get(_scope_at(text, start, end, (s0, s1)))
            if stance == _polarity.REJECTED:
                if fmt not in st.rejected_formats and fmt != "blended":
                    st.rejected_formats.append(fmt)
                continue
            if stance == _polarity.HYPOTHETICAL:
                st.hypothetical = True
                continue
            window = text[max(s0, start - 30):min(s1, end + 40)]
            support = _SUPPORT.search(window)
            if support and fmt != "blended":
                st.support_purpose = st.support_purpose or _purpose(window)
            if fmt == "blended":
                st.format_primary = "blended"
            elif support and st.format_primary and st.format_primary not in (fmt, "blended"):
                st.format_support = fmt
            elif st.format_primary is None:
                st.format_primary = fmt
            elif st.format_primary not in (fmt, "blended") and (support or st.format_support is None):
                st.format_support = fmt
        if _FOLLOW_UP.search(sentence) and not past:
            get("self").follow_up = True
        for name, rx in _AVOID_RE.items():
            if rx.search(sentence) and _AVOID_CUE.search(sentence):
                avoid = get("self").avoid_periods
                if name not in avoid:
                    avoid.append(name)
    if _REFUSE.match(text):
        get("self").rejected = True
    out = []
    for scope in SCOPES:
        st = statements.get(scope)
        if st is None:
            continue
        _settle_formats(st)
        if st.range_bounds and len(st.parts) > 1:
            st.min_hours = st.max_hours = None  # a range for one part ("4-5 hours online") bounds no total
        if not st.empty or st.rejected:
            out.append(st)
    return out


def _count_value(m: re.Match[str]) -> int:
    if m.group("ka"):
        return _KA_TIMES[m.group("ka").lower()]
    token = m.group("n") or m.group("n2") or m.group("n3")
    try:
        return int(_number(token))
    except (KeyError, ValueError):
        return 0


def _settle_formats(st: Statement) -> None:
    """Primary and supporting format from the parts when words alone did not say: the mode with more hours is
    primary; an explicit blended keeps no support; a rejected format is never primary."""
    by_format: dict[str, float] = {}
    for p in st.parts:
        if p.format != "any":
            by_format[p.format] = by_format.get(p.format, 0.0) + p.hours
    st.rejected_formats = [f for f in st.rejected_formats if f not in by_format]
    if st.format_primary in st.rejected_formats:
        st.format_primary = None
    if st.format_support in st.rejected_formats or st.format_support == st.format_primary:
        st.format_support = None
    if st.format_primary == "blended":
        st.format_support = None
        return
    if len(by_format) == 2:
        ranked = sorted(by_format, key=lambda f: -by_format[f])
        st.format_primary, st.format_support = ranked[0], ranked[1]
    elif len(by_format) == 1 and st.format_primary is None:
        st.format_primary = next(iter(by_format))


# ------------------------------------------------------------------------------------------- per participant


def participant_designs(segments: pd.DataFrame, question_topics: dict[str, str] | None = None) -> pd.DataFrame:
    """The ``designs`` table: one row per part of each participant's design per scope.

    A participant's design for a scope is their most complete statement (most parts; then the one answering
    the duration question; then the earliest) — restating "two days" later does not double it, while the parts
    of one statement add up. Bounds are combined over all their answers; formats, follow-up and periods to
    avoid likewise. A scope with no duration still gets one row (part_no 0) when it states a format or bound.
    """
    answers = segments[segments["speaker_role"] == "participant"]
    topics = question_topics or {}
    if topics:  # lengths said in passing elsewhere ("I have half an hour") are no design
        asked = {q for q, t in topics.items() if t in DESIGN_TOPICS}
        answers = answers[answers["question_id"].isin(asked)]
    rows: list[dict] = []
    # Grouped in plain Python over one pass of ``itertuples``: a pandas groupby with a sort and an itertuples per
    # participant cost more than extracting the designs (~20 % of a 100x build went to designs).
    speakers: dict[tuple[str, str], list] = {}
    for seg in answers.itertuples(index=False):
        if not (pd.isna(seg.interview_id) or pd.isna(seg.speaker_id)):  # as groupby's dropna
            speakers.setdefault((seg.interview_id, seg.speaker_id), []).append(seg)
    for (interview_id, speaker_id), group in sorted(speakers.items(), key=lambda item: item[0]):
        merged: dict[str, dict] = {}
        for seg in sorted(group, key=lambda seg: seg.turn_no):  # turn numbers are unique within an interview
            for st in extract_design(str(seg.text)):
                entry = merged.setdefault(st.scope, {"best": None, "rank": (-1, -1, -1), "statements": []})
                entry["statements"].append((st, seg))
                rank = (len(st.parts), int(topics.get(seg.question_id or "", "") == "training_duration"),
                        -int(seg.turn_no))  # the direct answer, not a later aside
                if st.parts and rank > entry["rank"]:
                    entry["best"], entry["rank"] = (st, seg), rank
        agency = group[0].agency
        for scope in SCOPES:
            if scope not in merged:
                continue
            entry = merged[scope]
            statements = [st for st, _ in entry["statements"]]
            mins = [s.min_hours for s in statements if s.min_hours is not None]
            maxs = [s.max_hours for s in statements if s.max_hours is not None]
            primary = _vote([s.format_primary for s in statements])
            rejected_any = {f for s in statements for f in s.rejected_formats}
            if primary is None and rejected_any in ({"online"}, {"in_person"}):
                primary = "in_person" if rejected_any == {"online"} else "online"  # "not online" leaves in person
            support = _vote([s.format_support for s in statements if s.format_support != primary])
            purpose = _vote([s.support_purpose for s in statements if s.format_support == support]) if support \
                else None
            rejected = sorted({f for s in statements for f in s.rejected_formats} - {primary})
            base = {"interview_id": interview_id, "agency": agency, "speaker_id": speaker_id,
                    "participant_key": f"{interview_id}:{speaker_id}", "scope": scope,
                    "min_hours": max(mins) if mins else None, "max_hours": min(maxs) if maxs else None,
                    "format_primary": primary, "format_support": support, "support_purpose": purpose,
                    "rejected_formats": ";".join(rejected),
                    "follow_up": any(s.follow_up for s in statements),
                    "avoid_periods": ";".join(sorted({a for s in statements for a in s.avoid_periods})),
                    "reviewed": False}
            if entry["best"] is None:
                if any(not s.empty for s in statements):
                    seg = entry["statements"][0][1]
                    rows.append({**base, "part_no": 0, "format": None, "hours": None, "total_hours": None,
                                 "sessions": None, "hypothetical": all(s.hypothetical for s in statements),
                                 "segment_id": seg.segment_id, "evidence": ""})
                continue
            st, seg = entry["best"]
            parts = list(st.parts)
            have = {p.format for p in parts}
            for other in statements:  # "several hours online" in one answer, "two days" in the next: one design
                if other is st:
                    continue
                for part in other.parts:
                    if part.format in ("online", "in_person") and part.format not in have and \
                            (have <= {"any", "in_person", "online"}) and not other.hypothetical:
                        parts.append(part)
                        have.add(part.format)
            total = sum(p.hours for p in parts)
            for i, part in enumerate(parts, start=1):
                rows.append({**base, "part_no": i, "format": part.format, "hours": part.hours,
                             "total_hours": total, "sessions": st.sessions,
                             "hypothetical": st.hypothetical, "segment_id": seg.segment_id,
                             "evidence": part.evidence})
    frame = pd.DataFrame(rows, columns=DESIGN_COLUMNS)
    return frame.astype({"hours": "float64", "total_hours": "float64", "min_hours": "float64",
                         "max_hours": "float64", "sessions": "Int64", "part_no": "int64", "follow_up": "bool",
                         "hypothetical": "bool", "reviewed": "bool"})


def _vote(values: list[str | None]) -> str | None:
    """Most frequent non-empty value; ties go to blended, then in_person (the costlier decision to miss)."""
    counts: dict[str, int] = {}
    for v in values:
        if v:
            counts[v] = counts.get(v, 0) + 1
    if not counts:
        return None
    order = {"blended": 0, "in_person": 1, "online": 2}
    return sorted(counts, key=lambda v: (-counts[v], order.get(v, 9)))[0]


def topic_mode(text: str, matched: str) -> str | None:
    """The format a speaker assigns to a content topic in their answer: the stated in-person/online word in the
    sentence that names the topic ("the law basics online, on their own; the cases in person"). None when the
    sentence names no format, or both."""
    word = (matched or "").split("; ")[0]
    pos = text.find(word) if word else -1
    if pos < 0:
        return None
    for s0, s1 in _sentences(text):
        if s0 <= pos < s1:
            c0, c1 = _polarity.clause_bounds(text, pos, pos + len(word))
            for lo, hi in ((c0, c1), (s0, s1)):
                stated = {f for _, _, f, p in _formats(text, lo, hi) if p == _polarity.STATED and f != "blended"}
                if len(stated) == 1:
                    return stated.pop()
                if stated:
                    return None
    return None
