"""Whole statements read from one answer, field by field — every part (format, hours and the words it came from),
bounds, sessions, formats, support and its purpose, rejected formats, follow-up, periods to avoid, and the flags
(hypothetical, rejected, a range's bounds). ``test_designs`` checks the utterance table field by field with a
quarter's tolerance on totals and without parts, evidence or the support's purpose; these sentences, one per rule
of ``extract_design``, pin the exact reading (each checked by hand against what a careful reader takes from it).
"""

from __future__ import annotations

import pytest

from gtna_analysis.coding.designs import extract_design


def read(text: str) -> dict[str, dict]:
    """The statements of ``text`` by scope: parts as (format, hours, evidence), the other fields when set."""
    out = {}
    for st in extract_design(text):
        fields: dict = {"parts": [(p.format, p.hours, p.evidence) for p in st.parts]}
        for name in ("min_hours", "max_hours", "sessions", "format_primary", "format_support", "support_purpose"):
            if getattr(st, name) is not None:
                fields[name] = getattr(st, name)
        for name in ("rejected_formats", "avoid_periods"):
            if getattr(st, name):
                fields[name] = getattr(st, name)
        for name in ("follow_up", "hypothetical", "rejected", "range_bounds"):
            if getattr(st, name):
                fields[name] = True
        out[st.scope] = fields
    return out


CASES = [
    ('Two days in person, and a mixed group of staff would be good.',
     {'self': {'parts': [('in_person', 16.0, 'Two days')], 'format_primary': 'in_person'}}),
    ('A blended format is best: two days in person and a few hours online.',
     {'self': {'parts': [('in_person', 16.0, 'two days'), ('online', 3.0, 'a few hours')],
               'format_primary': 'blended'}}),
    ('We had a seminar before, but we would want two days in person.',
     {'self': {'parts': [('in_person', 16.0, 'two days')], 'format_primary': 'in_person'}}),
    ('Two or three days, no more.',
     {'self': {'parts': [('any', 20.0, 'Two or three days')],
               'min_hours': 16.0, 'max_hours': 24.0, 'range_bounds': True}}),
    ('Two or three days, at most, in person.',
     {'self': {'parts': [('in_person', 20.0, 'Two or three days')],
               'min_hours': 16.0, 'max_hours': 24.0, 'format_primary': 'in_person'}}),
    ('ორი-სამი დღე, მეტი არა.',
     {'self': {'parts': [('any', 20.0, 'ორი-სამი დღე')], 'min_hours': 16.0, 'max_hours': 24.0}}),
    ('At least two days in person.',
     {'self': {'parts': [], 'min_hours': 16.0, 'format_primary': 'in_person'}}),
    ('Two days at least, online.',
     {'self': {'parts': [], 'min_hours': 16.0, 'format_primary': 'online'}}),
    ('One day is too little; at least two days.',
     {'self': {'parts': [], 'min_hours': 16.0}}),
    ('ორდღიანი, მეტი არა.',
     {'self': {'parts': [('any', 16.0, 'ორდღიანი')], 'max_hours': 16.0}}),
    ('Three days would be a luxury.',
     {'self': {'parts': [], 'max_hours': 24.0}}),
    ('Weekly half-day sessions for five weeks.',
     {'self': {'parts': [('any', 4.0, 'half-day')] * 5, 'sessions': 5}}),
    ('Half a day every week for two months.',
     {'self': {'parts': [('any', 4.0, 'Half a day')] * 8, 'sessions': 8}}),
    ('Half a day once a week for a month.',
     {'self': {'parts': [('any', 4.0, 'Half a day')] * 4, 'sessions': 4}}),
    ('Two half-days in person.',
     {'self': {'parts': [('in_person', 4.0, 'Two half-days')] * 2, 'sessions': 2, 'format_primary': 'in_person'}}),
    ('Three sessions of two hours each, online.',
     {'self': {'parts': [('online', 2.0, 'Three sessions of two hours')] * 3,
               'sessions': 3, 'format_primary': 'online'}}),
    ('Four sessions, two hours each, online.',
     {'self': {'parts': [('online', 2.0, 'two hours')] * 4, 'sessions': 4, 'format_primary': 'online'}}),
    ('One day or, better, two days.',
     {'self': {'parts': [('any', 16.0, 'two days')]}}),
    ('One day in person plus a few hours online.',
     {'self': {'parts': [('in_person', 8.0, 'One day'), ('online', 3.0, 'a few hours')],
               'format_primary': 'in_person', 'format_support': 'online'}}),
    ('Two days in person; then a follow-up after a few months.',
     {'self': {'parts': [('in_person', 16.0, 'Two days')], 'format_primary': 'in_person', 'follow_up': True}}),
    ('Not in summer, two days in person.',
     {'self': {'parts': [('in_person', 16.0, 'two days')],
               'format_primary': 'in_person', 'avoid_periods': ['summer']}}),
    ('Two days in person, but not during the budget season.',
     {'self': {'parts': [('in_person', 16.0, 'Two days')],
               'format_primary': 'in_person', 'avoid_periods': ['budget season']}}),
    ('Two days online, not in person.',
     {'self': {'parts': [('online', 16.0, 'Two days')],
               'format_primary': 'online', 'rejected_formats': ['in_person']}}),
    ('Two days in person, with materials online.',
     {'self': {'parts': [('in_person', 16.0, 'Two days')],
               'format_primary': 'in_person', 'format_support': 'online', 'support_purpose': 'materials'}}),
    ('Two days in person, online only for the test.',
     {'self': {'parts': [('in_person', 16.0, 'Two days')],
               'format_primary': 'in_person', 'format_support': 'online', 'support_purpose': 'test'}}),
    ("No, we don't need any training.",
     {'self': {'parts': [], 'rejected': True}}),
    ('ღამის სამ საათზე ვერ ვისწავლით, ორი დღე პირისპირ.',
     {'self': {'parts': [('in_person', 16.0, 'ორი დღე')], 'format_primary': 'in_person'}}),
    ('სამ საათზე მეტი არა.',
     {'self': {'parts': [], 'max_hours': 3.0}}),
    ('Two half-days rather than one full day.',
     {'self': {'parts': [('any', 4.0, 'Two half-days')] * 2, 'sessions': 2}}),
    ('ერთი დღე? არა, ორი დღე.',
     {'self': {'parts': [('any', 16.0, 'ორი დღე')]}}),
    ('One day — no. Two days.',
     {'self': {'parts': [('any', 16.0, 'Two days')], 'rejected': True}}),
    ('Two days in person. The online part could be a few hours.',
     {'self': {'parts': [('in_person', 16.0, 'Two days'), ('online', 3.0, 'a few hours')],
               'format_primary': 'in_person', 'format_support': 'online', 'hypothetical': True}}),
    ('Two meetings of three hours each.',
     {'self': {'parts': [('any', 3.0, 'Two meetings of three hours')] * 2, 'sessions': 2}}),
    ('ორჯერ, ოთხ-ოთხი საათი.',
     {'self': {'parts': [('any', 4.0, 'ოთხ-ოთხი საათი')] * 2, 'sessions': 2}}),
    ('Two sessions, each four hours, online.',
     {'self': {'parts': [('online', 4.0, 'four hours')] * 2, 'sessions': 2, 'format_primary': 'online'}}),
    ('Three times, four hours each.',
     {'self': {'parts': [('any', 4.0, 'four hours')] * 3, 'sessions': 3}}),
    ('Three modules, a day each.',
     {'self': {'parts': [('any', 8.0, 'a day')] * 3, 'sessions': 3}}),
    ('Two days in person, in two separate sessions.',
     {'self': {'parts': [('in_person', 16.0, 'Two days')], 'sessions': 2, 'format_primary': 'in_person'}}),
    ('Three days in person, then a few hours of consultations online.',
     {'self': {'parts': [('in_person', 24.0, 'Three days'), ('online', 3.0, 'a few hours')],
               'format_primary': 'in_person', 'format_support': 'online', 'support_purpose': 'consultation'}}),
    ('Online is not good, in person two days.',
     {'self': {'parts': [('in_person', 16.0, 'two days')],
               'format_primary': 'in_person', 'rejected_formats': ['online']}}),
    ('Not online; two days.',
     {'self': {'parts': [('any', 16.0, 'two days')], 'rejected_formats': ['online']}}),
    ('In person, two days; online for preparation.',
     {'self': {'parts': [('in_person', 16.0, 'two days')],
               'format_primary': 'in_person', 'format_support': 'online', 'support_purpose': 'preparation'}}),
    ('Blended learning: one day online, one day in person.',
     {'self': {'parts': [('online', 8.0, 'one day'), ('in_person', 8.0, 'one day')], 'format_primary': 'blended'}}),
    ('Two days in person, better not online.',
     {'self': {'parts': [('in_person', 16.0, 'Two days')],
               'format_primary': 'in_person', 'rejected_formats': ['online']}}),
    ('One day in person, and follow-up sessions every year.',
     {'self': {'parts': [('in_person', 8.0, 'One day')], 'format_primary': 'in_person', 'follow_up': True}}),
    ('Avoid December: two days in person.',
     {'self': {'parts': [('in_person', 16.0, 'two days')],
               'format_primary': 'in_person', 'avoid_periods': ['end of year']}}),
    ('Two days in person, not during elections.',
     {'self': {'parts': [('in_person', 16.0, 'Two days')],
               'format_primary': 'in_person', 'avoid_periods': ['elections']}}),
    ('Not in the summer holidays, not at the end of the year.',
     {'self': {'parts': [], 'avoid_periods': ['summer', 'end of year']}}),
    ('Two days in person, or online if necessary.',
     {'self': {'parts': [('in_person', 16.0, 'Two days')], 'format_primary': 'in_person', 'hypothetical': True}}),
    ('We would need a refresher training later on.',
     {'self': {'parts': [], 'follow_up': True}}),
    # sessions: counted from 2 to 20 (more is no session count), added up over the answer
    ('20 sessions of two hours each, online.',
     {'self': {'parts': [('online', 2.0, '20 sessions of two hours')] * 20,
               'sessions': 20, 'format_primary': 'online'}}),
    ('21 sessions of one hour each.',
     {'self': {'parts': [('any', 21.0, '21 sessions of one hour')]}}),
    ('One session of three hours.',
     {'self': {'parts': [('any', 3.0, 'One session of three hours')]}}),
    ('A session of four hours, online.',
     {'self': {'parts': [('online', 4.0, 'A session of four hours')], 'format_primary': 'online'}}),
    ('Two sessions of three hours in person.',
     {'self': {'parts': [('in_person', 3.0, 'Two sessions of three hours')] * 2,
               'sessions': 2, 'format_primary': 'in_person'}}),
    ('Weekly, two hours online, for three weeks.',
     {'self': {'parts': [('online', 2.0, 'two hours')] * 3, 'sessions': 3, 'format_primary': 'online'}}),
    ('Two hours online every week for a month.',
     {'self': {'parts': [('online', 2.0, 'Two hours')] * 4, 'sessions': 4, 'format_primary': 'online'}}),
    ('Two half-days and two half-days more.',
     {'self': {'parts': [('any', 4.0, 'Two half-days')] * 2 + [('any', 4.0, 'two half-days')] * 2, 'sessions': 4}}),
    # the rules' edges: a group word that is no format, the stricter bound, the cap on counted sessions, a
    # restatement, a supporting mode's purpose only from a support cue, an answer without a full stop
    ('A hybrid team, in person.',
     {'self': {'parts': [], 'format_primary': 'in_person'}}),
    ('A hybrid option would be best.',
     {'self': {'parts': [], 'format_primary': 'blended'}}),
    ('Two or three days, up to that, in person.',
     {'self': {'parts': [('in_person', 20.0, 'Two or three days')],
               'min_hours': 16.0, 'max_hours': 24.0, 'format_primary': 'in_person'}}),
    ('Three days at least, and in any case two days at least.',
     {'self': {'parts': [], 'min_hours': 24.0}}),
    ('At least two days; one day is not enough.',
     {'self': {'parts': [], 'min_hours': 16.0}}),
    ('One day — No, two days.',
     {'self': {'parts': [('any', 16.0, 'two days')], 'rejected': True}}),
    ('Two days in person; if necessary, one more day.',
     {'self': {'parts': [('in_person', 16.0, 'Two days')], 'format_primary': 'in_person'}}),
    ('კვირაში ერთხელ ნახევარი დღე, ორი თვის განმავლობაში.',
     {'self': {'parts': [('any', 4.0, 'ნახევარი დღე')] * 8, 'sessions': 8}}),
    ('One day every week for three weeks.',
     {'self': {'parts': [('any', 8.0, 'One day')] * 3, 'sessions': 3}}),
    ('Two sessions of three hours and two sessions of two hours.',
     {'self': {'parts': [('any', 3.0, 'Two sessions of three hours')] * 2
                        + [('any', 2.0, 'two sessions of two hours')] * 2,
               'sessions': 4}}),
    ('20 meetings, two hours each.',
     {'self': {'parts': [('any', 2.0, 'two hours')] * 20, 'sessions': 20}}),
    ('20 sessions in person.',
     {'self': {'parts': [], 'sessions': 20, 'format_primary': 'in_person'}}),
    ('21 sessions in person.',
     {'self': {'parts': [], 'format_primary': 'in_person'}}),
    ('One day online. Two days.',
     {'self': {'parts': [('online', 8.0, 'One day')], 'format_primary': 'online'}}),
    ('Three days; maybe two days plus one day later.',
     {'self': {'parts': [('any', 24.0, 'Three days')]}}),
    ('Not a blended format, in person two days.',
     {'self': {'parts': [('in_person', 16.0, 'two days')], 'format_primary': 'in_person'}}),
    ('Not online, in person.',
     {'self': {'parts': [], 'format_primary': 'in_person', 'rejected_formats': ['online']}}),
    ('Two days in person, and online questions afterwards.',
     {'self': {'parts': [('in_person', 16.0, 'Two days')], 'format_primary': 'in_person', 'format_support': 'online'}}),
    ('Blended training with reading materials.',
     {'self': {'parts': [], 'format_primary': 'blended'}}),
    ('Two days in person, in a blended format.',
     {'self': {'parts': [('in_person', 16.0, 'Two days')], 'format_primary': 'blended'}}),
    ('In person, two days',
     {'self': {'parts': [('in_person', 16.0, 'two days')], 'format_primary': 'in_person'}}),
    ('21 meetings, two hours each.',                   # beyond the 20-session cap: no count, one part
     {'self': {'parts': [('any', 2.0, 'two hours')]}}),
    ('Two days in person.One day online.',             # sentences typed without a space between them
     {'self': {'parts': [('in_person', 16.0, 'Two days'), ('online', 8.0, 'One day')],
               'format_primary': 'in_person', 'format_support': 'online'}}),
    # a range's ends bound a one-part design only: beside another part they bound no total
    ('Four or five hours online.',
     {'self': {'parts': [('online', 4.5, 'Four or five hours')], 'min_hours': 4.0, 'max_hours': 5.0,
               'format_primary': 'online', 'range_bounds': True}}),
    ('Two days in person, four or five hours online.',
     {'self': {'parts': [('in_person', 16.0, 'Two days'), ('online', 4.5, 'four or five hours')],
               'format_primary': 'in_person', 'format_support': 'online', 'range_bounds': True}}),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[text[:40] for text, _ in CASES])
def test_the_whole_reading(text: str, expected: dict) -> None:
    assert read(text) == expected


# Found while pinning the survivors (not fixed here: the owners of the extractor decide, and a fix changes the
# sample build's designs): a bound's cue after one duration is read again for the next duration in the same
# sentence, so the next part is lost or becomes a bound.
MISREAD = [
    ("Two days at least, and a few hours online.", "the online part is read as a second lower bound"),
    ("ორდღიანი, მეტი არა, და რამდენიმე საათი ონლაინ.", "'მეტი არა' also caps the online part: max 3 hours"),
    ("Two or three days, at most, plus a few hours online.", "'at most' also caps the online part: max 3 hours"),
]


@pytest.mark.parametrize(("text", "why"), MISREAD, ids=[text[:40] for text, _ in MISREAD])
@pytest.mark.xfail(strict=True, reason="a bound's cue is applied to the next duration of the sentence")
def test_a_bound_belongs_to_its_own_duration(text: str, why: str) -> None:
    (self,) = extract_design(text)
    assert ("online", 3.0, "a few hours") in [(p.format, p.hours, p.evidence) for p in self.parts], why
    assert self.max_hours is None or self.max_hours >= 16, why
