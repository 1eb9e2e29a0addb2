"""Cleaning: NFC, whitespace, transcription markers, legacy-font (AcadNusx) Georgian, mojibake."""

from __future__ import annotations

import unicodedata

import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-windows-125x codecs used to make mojibake)
import pytest
from transcript_files import legacy

from gtna_analysis.ingest.clean import (
    clean_line,
    convert_legacy_georgian,
    count_markers,
    looks_like_legacy_georgian,
    mask_markers,
    normalise_markers,
)

GEORGIAN = "ჩვენ ვფიქრობთ, რომ გენდერული თანასწორობის საკითხები ძალიან მნიშვნელოვანია და ტრენინგი უნდა ჩატარდეს."
def test_nfc_invisible_characters_and_whitespace() -> None:
    decomposed = unicodedata.normalize("NFD", "Café résumé")
    text, converted = clean_line(f"  {decomposed}\u00a0\u200b and\t\ttabs \u00ad ")
    assert text == "Café résumé and tabs" and unicodedata.is_normalized("NFC", text) and not converted


@pytest.mark.parametrize(("raw", "clean"), [
    ("[inaudible]", "[inaudible]"), ("(laughs)", "[laughter]"), ("[ Long   pause ]", "[pause]"),
    ("[cross-talk]", "[crosstalk]"), ("[გაუგებარია]", "[inaudible]"), ("[იცინის]", "[laughter]"),
    ("[ერთდროულად საუბრობენ]", "[crosstalk]"), ("(პაუზა)", "[pause]"), ("[CEDAW]", "[CEDAW]"),
    ("(2017)", "(2017)"), ("(see above)", "(see above)"),
])
def test_markers_are_normalised(raw: str, clean: str) -> None:
    assert normalise_markers(raw) == clean


def test_markers_are_masked_for_coding_and_counted() -> None:
    text, _ = clean_line("ეს [იცინის] საინტერესოა (pause) [inaudible]")
    assert count_markers(text) == 3
    masked = mask_markers(text)
    assert len(masked) == len(text) and "laughter" not in masked and "საინტერესოა" in masked


def test_legacy_font_paragraph_is_converted() -> None:
    stored = legacy(GEORGIAN)
    assert stored.startswith("Cven vfiqrobT, rom genderuli")
    assert looks_like_legacy_georgian(stored)
    assert clean_line(stored) == (GEORGIAN, True)


def test_short_legacy_answers_are_converted() -> None:
    assert clean_line(legacy("კი, ასე არის.")) == ("კი, ასე არის.", True)


def test_legacy_conversion_keeps_labels_markers_emails_and_acronyms() -> None:
    stored = "[00:01:02] P1: " + legacy("კი, ასე არის. მომწერეთ ") + "n.beridze@example.ge [laughs] CEDAW " + \
        legacy("ძალიან მნიშვნელოვანია.")
    text, converted = clean_line(stored)
    assert converted
    assert text == "[00:01:02] P1: კი, ასე არის. მომწერეთ n.beridze@example.ge [laughter] CEDAW ძალიან მნიშვნელოვანია."


@pytest.mark.parametrize("english", [
    "We think that gender equality training is very important for our staff.",
    "The Law on Gender Equality (2010) and CEDAW.",
    "Respondent 1: Blended, definitely. E-learning modules for the basic concepts.",
    "gender mainstreaming toolkit", "Tbilisi, Batumi, Kutaisi", "OK. Thanks.", "Sakartvelo is Georgia",
    "Interviewer: [Q7] How long should the training module be?",
])
def test_english_is_not_mistaken_for_legacy_georgian(english: str) -> None:
    assert not looks_like_legacy_georgian(english)
    assert clean_line(english) == (" ".join(english.split()), False)


def test_unicode_georgian_is_untouched() -> None:
    assert clean_line(GEORGIAN) == (GEORGIAN, False)
    assert convert_legacy_georgian(GEORGIAN) == GEORGIAN


@pytest.mark.parametrize("codec", ["sloppy-windows-1252", "sloppy-windows-1251", "latin-1", "mac_roman"])
def test_mojibake_is_repaired(codec: str) -> None:
    broken = GEORGIAN.encode("utf-8").decode(codec)
    assert broken != GEORGIAN
    assert clean_line(f"P1: {broken} CEDAW") == (f"P1: {GEORGIAN} CEDAW", False)


def test_double_mojibake_is_repaired() -> None:
    twice = GEORGIAN.encode("utf-8").decode("sloppy-windows-1252").encode("utf-8").decode("sloppy-windows-1252")
    assert clean_line(twice)[0] == GEORGIAN


@pytest.mark.parametrize("fine", ["Café résumé — naïve", "It’s “quoted”", "CEDAW 2017 – the law", "ÀÉÎ"])
def test_correct_text_is_not_changed_by_mojibake_repair(fine: str) -> None:
    assert clean_line(fine)[0] == fine
