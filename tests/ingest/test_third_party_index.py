"""Third parties are matched through a name index (Pseudonymiser._third_party_keys) instead of a scan of every
person met so far; the placeholders must be exactly those of the scan, for any sequence of mentions."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from gtna_analysis.ingest.names import Mention, canonical, given_names
from gtna_analysis.ingest.pseudonymise import Pseudonymiser

GIVEN = ["ნინო", "ლევან", "თამარ", "ზაალ", "გიორგი"]
SURNAMES = ["ბერიძე", "ხარაიშვილი", "ჩიქოვანი", "კაპანაძე"]


@dataclass
class _Person:
    placeholder: str
    given: set[str]
    surnames: set[str]


def scan_placeholders(mentions: list[Mention]) -> list[str]:
    """The matching as it was: every person met so far, in order, until one fits."""
    names = given_names()
    people: list[_Person] = []
    out = []
    for mention in mentions:
        given = frozenset(canonical(w) for w in mention.words if names.of(w) is not None)
        surnames = frozenset(canonical(w) for w in mention.words if names.of(w) is None)
        for person in people:
            if person.surnames and surnames and not person.surnames & surnames:
                continue
            if person.given and given and not person.given & given:
                continue
            if person.surnames & surnames or person.given & given:
                person.given |= given
                person.surnames |= surnames
                out.append(person.placeholder)
                break
        else:
            n = len(people) + 1
            people.append(_Person("[PERSON]" if n == 1 else f"[PERSON-{n}]", set(given), set(surnames)))
            out.append(people[-1].placeholder)
    return out


mention_words = st.lists(st.sampled_from(GIVEN + SURNAMES), min_size=1, max_size=3, unique=True)


def test_the_pools_are_what_the_test_assumes() -> None:
    assert all(given_names().of(w) is not None for w in GIVEN)
    assert all(given_names().of(w) is None for w in SURNAMES)


@settings(max_examples=300, deadline=None)
@given(st.lists(mention_words, max_size=25))
def test_indexed_matching_gives_the_scans_placeholders(sequence: list[list[str]]) -> None:
    mentions = [Mention(0, 1, tuple(words)) for words in sequence]
    pseudonymiser = Pseudonymiser(None)
    assert [pseudonymiser._person(m) for m in mentions] == scan_placeholders(mentions)
