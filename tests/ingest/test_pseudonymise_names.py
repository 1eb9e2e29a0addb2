"""The building blocks of name finding: folding with offsets, romanisations, the given-name list, surname shapes."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from gtna_analysis.ingest.names import canonical, georgian_surname, given_names, is_title, latin_surname
from gtna_analysis.ingest.romanise import fold, latin_pattern, latin_pattern_of_latin, romanisations


@pytest.mark.parametrize(("text", "folded"), [
    ("Ｂｅｒｉｄｚｅ", "Beridze"), ("Čoxoneliʒe", "Chokhonelidze".replace("kh", "x")), ("K’ap’anadze", "K'ap'anadze"),
    ("ბერი-\nძე", "ბერიძე"), ("ᲑᲔᲠᲘᲫᲔ", "ბერიძე"), ("ნი\u00adნო", "ნინო"), ("plain ascii", "plain ascii"),
])
def test_fold(text: str, folded: str) -> None:
    assert fold(text).text == folded


def test_fold_maps_spans_back_to_the_original() -> None:
    text = "ო ｎｉｎｏ და ბერი-\n  ძეც."
    folded = fold(text)
    for word in ("nino", "ბერიძეც"):
        start = folded.text.index(word)
        a, b = folded.span(start, start + len(word))
        assert fold(text[a:b]).text == word
    assert text[slice(*folded.span(folded.text.index("ბერიძეც"), folded.text.index("ბერიძეც") + 7))] == "ბერი-\n  ძეც"


@pytest.mark.parametrize(("georgian", "spellings"), [
    ("ბერიძე", ["beridze", "beridse", "berize"]),
    ("ჭოხონელიძე", ["chokhonelidze", "tchokhonelidze", "choxonelidze", "ch'okhonelidze", "wokhonelidze"]),
    ("წერეთელი", ["tsereteli", "ts'ereteli", "zereteli", "wereteli", "tsertheli".replace("rth", "reth")]),
    ("ყიფიანი", ["qipiani", "q'ipiani", "kipiani", "yiphiani"]),
    ("ჯაფარიძე", ["japaridze", "djaparidze", "dzhaparidze", "dschaparidse"]),
    ("ღლონტი", ["ghlonti", "glonti", "ghlont'i"]),
    ("ჟორდანია", ["zhordania", "jordania"]),
])
def test_latin_pattern_covers_the_systems(georgian: str, spellings: list[str]) -> None:
    pattern = re.compile(latin_pattern(georgian), re.IGNORECASE)
    for spelling in spellings:
        assert pattern.fullmatch(spelling), spelling


def test_a_latin_header_name_finds_its_other_spellings() -> None:
    pattern = re.compile(latin_pattern_of_latin("Tchitchinadze"), re.IGNORECASE)
    assert all(pattern.fullmatch(s) for s in ("Tschitschinadse", "Chichinadze", "Ch'ich'inadze"))
    assert not pattern.fullmatch("Chichinashvili")


def test_romanisations_for_lookups() -> None:
    spellings = romanisations("ხათუნა")
    assert {"khatuna", "xatuna", "hatuna"} <= spellings


def test_the_given_name_list_is_large_sourced_and_both_genders() -> None:
    text = resources.files("gtna_analysis.ingest").joinpath("data/georgian_given_names.txt").read_text("utf-8")
    assert "compiled FROM MEMORY" in text and "NOT downloaded" in text and "Public Service Development Agency" in text
    rows = [line.split() for line in text.splitlines() if line and not line.startswith("#")]
    assert len(rows) >= 350 and len({name for name, _ in rows}) == len(rows)
    assert sum(kind == "m" for _, kind in rows) >= 150 and sum(kind == "f" for _, kind in rows) >= 150
    names = given_names()
    assert names.georgian("გიორგისთან") == "გიორგი" and names.georgian("ნინომაც") == "ნინო"
    assert names.latin_name("Giorgi's") == "გიორგი" and names.latin_name("giorgi") is None  # capitalised only


@pytest.mark.parametrize("word", ["ხარაიშვილმა", "მჭედლიძის", "კვარაცხელიას", "გოგუამ", "ჩაჩავასთან",
                                  "ჩიქოვანმა", "წერეთელმა", "წიკლაურის", "ბუთხუზმა"])
def test_surname_shapes(word: str) -> None:
    assert georgian_surname(word)


@pytest.mark.parametrize("word", ["ქუთაისი", "ზუგდიდში", "ოზურგეთის", "საქსტატი", "ქართული", "სოციალური",
                                  "ვეთანხმები", "აღნიშნა", "სახელმწიფო", "მინისტრი", "შვილი", "ნინოს", "მესხი"])
def test_not_surnames(word: str) -> None:
    assert not georgian_surname(word)


def test_latin_surnames_and_titles() -> None:
    assert latin_surname("Kharaishvili") and latin_surname("Chikovani") and not latin_surname("University")
    assert not latin_surname("Nino") and not latin_surname("chikovani")
    assert is_title("Dr.") and is_title("ქალბატონმა") and is_title("მინისტრის") and not is_title("მინისტრებს")


def test_canonical_keys_agree_across_scripts_and_spellings() -> None:
    assert canonical("ბერიძის") == canonical("Beridze") == canonical("Beridse") == canonical("ბერიძე")
    assert canonical("ჩიქოვანმა") == canonical("Chikovani")
    assert canonical("ღარიბაშვილმა") == canonical("Garibashvili") == canonical("Gharibashvili")
