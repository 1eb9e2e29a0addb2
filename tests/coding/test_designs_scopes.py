"""For whom a design is stated (``scope``) and which format a speaker gives a content topic, one cue at a time.

A group word makes a design that group's only when it is said as the audience: "for managers", the Georgian
beneficiary "-თვის" or dative "-ებს", "managers: one day", or the group as the sentence's subject; "all staff"
always. It is no audience when it only stands in the sentence ("we and our managers"), or is the agent who
allows or decides (the Georgian ergative "-მა"/"-ამ"). Each sentence below needs exactly one of these cues.
"""

from __future__ import annotations

import pytest

from gtna_analysis.coding.designs import extract_design, topic_mode


@pytest.mark.parametrize(("text", "designs"), [
    ("I think two days would be right for managers.", [("managers", 16.0)]),  # "for" + group, late in the sentence
    ("ვფიქრობ, რომ ერთდღიანი ტრენინგი საკმარისია მენეჯერებისთვის.", [("managers", 8.0)]),  # beneficiary -თვის
    ("ვფიქრობ, რომ ერთი დღე მენეჯერებს ეყოფათ.", [("managers", 8.0)]),  # dative plural -ებს
    ("In my view, managers: one day, specialists: three days.", [("managers", 8.0), ("specialists", 24.0)]),
    ("For managers one day, for specialists three days.", [("managers", 8.0), ("specialists", 24.0)]),
    ("When our managers ask, I say that for managers one day is enough.", [("managers", 8.0)]),  # the second one
    ("In our office I think all staff need two days in person.", [("all_staff", 16.0)]),  # all staff: always
    ("We and our managers want two days.", [("self", 16.0)]),  # a group in the sentence, not its audience
    ("If management allowed it, two days in person would be great.", [("self", 16.0)]),  # who allows: no audience
    ("ხელმძღვანელმა თქვა, რომ ორი დღე საკმარისია.", [("self", 16.0)]),  # ergative -მა: the manager said it
    ("ხელმძღვანელობამ გადაწყვიტა, რომ ორი დღე საკმარისია.", [("self", 16.0)]),  # ergative -ამ
])
def test_the_scope_of_a_design(text: str, designs: list[tuple[str, float]]) -> None:
    assert [(s.scope, s.total_hours) for s in extract_design(text)] == designs


@pytest.mark.parametrize(("text", "matched", "mode"), [
    # the coding's first matched word names the topic
    ("The law basics online, on their own. The cases in person.", "cases; law basics", "in_person"),
    ("The law basics online, on their own. The cases in person.", "law basics; cases", "online"),
    ("The law online. The law in person too.", "law", "online"),  # its first mention decides
    ("The law basics online, in a blended training format.", "law basics", "online"),  # blended is no mode here
    ("Online only.", "", None),  # no matched words: no topic to place
])
def test_the_mode_of_a_topic(text: str, matched: str, mode: str | None) -> None:
    assert topic_mode(text, matched) == mode
