"""Who counts as a third party (``ingest.names``): a given name next to a surname anywhere in a text (also as its
last words), not before an institution word; a name after a title, a run of titles, at most three words, never a
placeholder, an office word or a lowercase word; surname shapes in Latin script (ejective apostrophes,
possessives, acronyms, given names), given names in Latin spellings, and the morphology tables behind them.

Each rule here is one a researcher relies on: a name that does not match is left in a transcript, and a word
wrongly matched is replaced by ``[PERSON]`` in a quotation."""

from __future__ import annotations

import re

import pytest

from gtna_analysis.ingest import names as names_module
from gtna_analysis.ingest.names import (
    GEORGIAN_SUFFIX,
    TAILS,
    canonical,
    georgian_heads,
    given_names,
    latin_surname,
    third_party_mentions,
)
from gtna_analysis.ingest.pseudonymise import Pseudonymiser
from tests.ingest.test_pseudonymise_edges import masked, meta


def mentioned(text: str) -> list[str]:
    return [text[m.start:m.end] for m in third_party_mentions(text)]


# --- given name + surname ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("ვესაუბრე ნინო მჭედლიძეს", ["ნინო მჭედლიძეს"]),  # the last two words of a text
    ("ნინო მჭედლიძე", ["ნინო მჭედლიძე"]),
    ("Yesterday I met Nino Mchedlidze", ["Nino Mchedlidze"]),
    ("მჭედლიძე ნინო", ["მჭედლიძე ნინო"]),
])
def test_a_full_name_is_found_wherever_it_stands(text: str, expected: list[str]) -> None:
    assert mentioned(text) == expected


@pytest.mark.parametrize("text", [
    "ნინო მჭედლიძის სახელობის სკოლა",  # at the start
    "ვსწავლობდი ნინო მჭედლიძის სახელობის სკოლაში",  # in the middle
    "ჩვენ ვართ ნინო მჭედლიძის ფონდი",  # the institution word is the text's last word
    "We met at the Nino Mchedlidze Foundation",
])
def test_a_name_before_an_institution_word_is_no_person(text: str) -> None:
    assert mentioned(text) == []


def test_the_same_name_before_an_ordinary_word_is_a_person() -> None:
    assert mentioned("ჩვენ ვართ ნინო მჭედლიძის გუნდი") == ["ნინო მჭედლიძის"]
    assert mentioned("ნინო მჭედლიძის აზრით ჩვენ ვართ") == ["ნინო მჭედლიძის"]


# --- after a title -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Mr Smith said", ["Smith"]),
    ("Dr. Jones said", ["Jones"]),
    ("Dr Prof Smith said", ["Smith"]),  # a run of titles
    ("Mr Brown Smith Jones Taylor", ["Brown Smith Jones"]),  # at most three words
    ("Dr A Smith", ["A Smith"]),  # an initial is part of the name
    ("ბატონი ღლონტი მოვიდა", ["ღლონტი"]),  # after a title any -ი surname will do
    ("ბატონმა ღლონტმა", ["ღლონტმა"]),
    ("Director Johnson's team", ["Johnson's"]),
])
def test_names_after_a_title(text: str, expected: list[str]) -> None:
    assert mentioned(text) == expected


@pytest.mark.parametrize("text", [
    "The Minister visited us",  # a lowercase word is no name
    "Deputy Minister Of Education said",
    "the Deputy Head's decision",  # an office word with a possessive
    "The Minister Says Training Is Needed",  # a headline: office and reporting words as written
    "Deputy Minister Statistics Office",
    "Mr [P1] said",  # a placeholder is never part of a name
    "Dr ABC said",  # an acronym
    "Deputy Director UN agencies",  # a two-letter one
    "We wrote to the Minister",  # a title as the text's last word
    "მინისტრმა Zoom-ით დაგვირეკა",  # after a Georgian title only Georgian words are names
])
def test_words_after_a_title_that_are_no_name(text: str) -> None:
    assert mentioned(text) == []


def test_a_headline_keeps_its_words_when_pseudonymised() -> None:
    assert masked(("ლია ხელაძე",), "The Minister Says Training Is Needed")[0] == "The Minister Says Training Is Needed"


# --- surname shapes in Latin script ------------------------------------------------------------------------------

@pytest.mark.parametrize("word", ["Chua", "Mchedlidze's", "Ts'ereteli", "Ch'ikovani", "K'vitsiani", "Q'ipiani",
                                  "P'ap'ava", "Ts'ereteli's"])
def test_latin_surnames(word: str) -> None:
    assert latin_surname(word)


@pytest.mark.parametrize("word", ["Oni", "BERIDZE", "IDFI", "Giorgi", "They're", "You're", "O'Neill", "mchedlidze"])
def test_not_latin_surnames(word: str) -> None:
    """Too short, all capitals (an acronym), a given name, a contraction, an apostrophe that marks no ejective."""
    assert not latin_surname(word)


def test_a_third_party_in_the_national_romanisation_is_masked() -> None:
    """Ejectives written with an apostrophe (Ts'ereteli for წერეთელი) are the national system's spelling; the
    mention is one person with the plain spelling (Tsereteli)."""
    text, counts = masked(("ლია ხელაძე",), "Nino Ts'ereteli said so, and Giorgi Ch'ikovani agreed with Nino Tsereteli")
    assert text == "[PERSON] said so, and [PERSON-2] agreed with [PERSON]"
    assert counts["third_party_name"] == 3


# --- given names in Latin spellings ------------------------------------------------------------------------------

def test_a_two_letter_given_name_in_its_case_forms() -> None:
    assert given_names().georgian("იამ") == "ია" and given_names().georgian("იასთან") == "ია"


@pytest.mark.parametrize(("word", "name"), [
    ("Giorgi", "გიორგი"), ("Giorgi's", "გიორგი"), ("Giorgis", "გიორგი"), ("Ninos", "ნინო"),
    ("Giorgia", None),  # an Italian name, not a spelling of გიორგი
    ("Davitov", None),  # a surname made from a given name is not the given name
    ("Tamarin", None),  # nor is a word that starts with one
    ("giorgi", None),
])
def test_latin_spellings_of_given_names(word: str, name: str | None) -> None:
    assert given_names().latin_name(word) == name


# --- the morphology tables ---------------------------------------------------------------------------------------

def test_heads_of_georgian_names() -> None:
    assert georgian_heads("ნანი") == [("full", "ნანი"), ("stem", "ნან")]  # four letters: the stem, no vocative
    assert georgian_heads("ზურაბი") == [("full", "ზურაბი"), ("stem", "ზურაბ"), ("bare", "ზურაბ")]
    assert georgian_heads("ოთარი") == [("full", "ოთარი"), ("stem", "ოთარ"), ("bare", "ოთარ")]  # ოთარო
    assert georgian_heads("ბერიძე") == [("full", "ბერიძე"), ("stem", "ბერიძ")]
    assert georgian_heads("ლია") == [("full", "ლია")]
    assert georgian_heads("ეკა") == [("full", "ეკა")] and georgian_heads("ნიკე") != [("full", "ნიკე")]


def test_the_tail_list_and_the_suffix_pattern_describe_the_same_endings() -> None:
    """``split_tail`` (the list) and the replacement regex (``GEORGIAN_SUFFIX``) must agree on Georgian endings:
    a tail the list lacks is a name form the surname shapes miss; the list is longest first so the longest case
    ending is tried last (``canonical``)."""
    tails = names_module._tails()
    assert tails == TAILS
    assert len(tails) == len(set(tails))
    assert [len(t) for t in tails] == sorted((len(t) for t in tails), reverse=True)
    suffix = re.compile(GEORGIAN_SUFFIX)
    assert all(suffix.fullmatch(t) for t in tails)
    assert {"", "ი", "ის", "ისთვის", "ებისთვისაც", "იდანვე", "ებმა", "ამდეღა", "თანაც", "ებრ", "ით"} <= set(tails)
    cases = ["", "ი", "მა", "მ", "ს", "ის", "ით", "ითა", "თი", "თ", "ად", "დ", "ო", "ა", "ები", "ებმა", "ებს",
             "ების", "ებით", "ებად"]
    posts = ["", "ში", "ზე", "თან", "თვის", "გან", "კენ", "ვით", "ავით", "დან", "იდან", "მდე", "ამდე", "ებრ"]
    particles = ["", "ც", "აც", "იც", "ცა", "ვე", "ო", "ა", "ღა"]
    assert set(tails) == {c + p + q for c in cases for p in posts for q in particles}


def test_a_participant_with_a_four_letter_surname_in_e_is_found_in_the_genitive() -> None:
    pseudonymiser = Pseudonymiser.for_interview(meta("ნინო ნაძე"))
    assert pseudonymiser.apply("ნაძის აზრით") == "[P1] აზრით"


# --- canonical keys (numbering third parties, keep_names) --------------------------------------------------------

@pytest.mark.parametrize("spellings", [
    ("Ts'ereteli", "Tsereteli", "წერეთელი"),  # the ejective apostrophe is no letter
    ("ია", "Ia"),  # a two-letter name has no ending to strip
    ("ლია", "ლიაც", "Lia"),  # nor does a three-letter one: ლი-აც is no reading
    ("Otars", "Otar", "ოთარი", "ოთარმა", "Otar's"),  # a possessive -s after a consonant
    ("Tamar", "თამარი", "Thamar"),
    ("Tschitschinadse", "Tchitchinadze", "Chichinadze", "ჭიჭინაძე"),
    ("Dzhaparidze", "Dschaparidse", "Japaridze", "ჯაფარიძე"),
    ("Khukhunaishvili", "ხუხუნაიშვილი", "Xuxunaishvili"),
    ("Ghvinianidze", "Gvinianidze", "ღვინიანიძე"),
    ("Phiphia", "Pipia"),
    ("Zhordania", "Jordania"),
    ("Wachnadze", "Vachnadze", "ვაჩნაძე"),
    ("Yashvili", "Iashvili", "იაშვილი"),
    ("Schengelia", "Shengelia"),
])
def test_one_key_for_every_spelling_of_a_name(spellings: tuple[str, ...]) -> None:
    assert len({canonical(s) for s in spellings}) == 1, {s: canonical(s) for s in spellings}


def test_one_key_for_ia_surnames_and_o_names_in_both_scripts() -> None:
    assert canonical("შენგელია") == canonical("Shengelia")
    assert canonical("ნინო") == canonical("Nino")


def test_a_list_of_full_names_is_every_name() -> None:
    assert mentioned("ნინო მჭედლიძე, გიორგი ბერიძე") == ["ნინო მჭედლიძე", "გიორგი ბერიძე"]
    assert mentioned("Nino Mchedlidze, Giorgi Beridze") == ["Nino Mchedlidze", "Giorgi Beridze"]
