"""The parts of script detection (``ingest.script_detect``) the paragraph set does not pin one by one: protected
spans and the pieces around them, which words start a sentence (with speaker labels, markers and quotes before
them), over-long letter runs, paragraphs with few or no Latin letters, the evidence a detection reports, the
mixture arithmetic, the word-by-word conversion of each kind (a case ending after a hyphen, a short English word
kept), and the original text of any tail of a converted paragraph."""

from __future__ import annotations

import math

import pytest

from gtna_analysis.ingest.script_detect import (
    CHAT_LATIN,
    ENGLISH,
    LEGACY_FONT,
    MKHEDRULI,
    Conversion,
    Detection,
    _log_minus,
    _mixture,
    _starts_sentence,
    convert,
    detect,
    latin_words,
    protected_pieces,
)


def test_protected_pieces_have_no_empty_pieces() -> None:
    assert protected_pieces("[00:01] kargi") == [("[00:01]", False), (" kargi", True)]
    assert protected_pieces("ok [laughs]") == [("ok ", True), ("[laughs]", False)]
    assert protected_pieces("P1: ok [a][b]") == [("P1:", False), (" ok ", True), ("[a]", False), ("[b]", False)]


def test_latin_words_and_sentence_starts_across_protected_spans() -> None:
    text = "P1: kargi rame. Sxva [x] ertad! Kidev [00:12] da «Aseve»"
    assert latin_words(text) == [("kargi", True), ("rame", False), ("Sxva", True), ("ertad", False),
                                 ("Kidev", True), ("da", False), ("Aseve", False)]


def test_overlong_letter_runs_are_skipped_and_the_words_after_them_kept() -> None:
    assert latin_words("a" * 41 + " kargi " + "b" * 40) == [("kargi", False), ("b" * 40, False)]


@pytest.mark.parametrize(("text", "position", "starts"), [
    ("Kargi", 0, True),
    ("«Kargi", 1, True),  # only openers back to the text's start
    ("(— Kargi", 3, True),
    ("Hello. World", 7, True),
    ("Hello World", 6, False),
    ("x «Kargi", 3, False),
    ("Yes: «kargi", 6, True),
    ("ok… kargi", 4, True),
    ("a. b", 3, True),
    ("ab b", 3, False),
    ("kargi.Magram", 6, True),  # no space after the full stop
    ("aX Kargi", 3, False),
])
def test_starts_sentence(text: str, position: int, starts: bool) -> None:
    assert _starts_sentence(text, position) is starts


def test_mixture_and_log_minus_by_hand() -> None:
    assert _mixture(math.log(0.5), math.log(0.25), 0.1) == pytest.approx(math.log(0.9 * 0.5 + 0.1 * 0.25))
    assert _mixture(-math.inf, math.log(0.25), 0.1) == pytest.approx(math.log(0.1 * 0.25))
    assert _mixture(-math.inf, -math.inf, 0.1) == -math.inf
    assert _log_minus(math.log(0.5), math.log(0.25)) == pytest.approx(math.log(0.25))
    assert _log_minus(math.log(0.5), -math.inf) == math.log(0.5)
    assert _log_minus(math.log(0.5), math.log(0.5)) == -math.inf


@pytest.mark.parametrize(("text", "detection"), [
    ("2024, 15%", Detection("", True)),  # no letters: nothing to judge
    ("ნინო და", Detection(MKHEDRULI, True)),
    ("ნინო და ok", Detection(MKHEDRULI, True)),
    ("ok აბ", Detection(MKHEDRULI, True)),  # as many Georgian letters as Latin ones
])
def test_paragraphs_with_few_latin_letters(text: str, detection: Detection) -> None:
    assert detect(text) == detection


@pytest.mark.parametrize(("text", "kind"), [
    ("Then Nino, Tamuna and Giorgi Kvaratskhelia met Ketevan in Kutaisi.", ENGLISH),  # names are no evidence
    ("es ok iyo dzalian kargi", CHAT_LATIN),
    ("mTeli dRe", LEGACY_FONT),
    ("saqarTvelo kargia", LEGACY_FONT),
    ("kargi", CHAT_LATIN),  # both Georgian readings give the same letters and no legacy capital was typed
])
def test_a_detection_reports_its_evidence(text: str, kind: str) -> None:
    detection = detect(text)
    assert (detection.kind, detection.confident) == (kind, True)
    assert [k for k, _ in detection.scores] != [] and len(detection.scores) == 3
    values = [v for _, v in detection.scores]
    assert values == sorted(values, reverse=True)
    assert detection.margin == pytest.approx(values[0] - values[1])


def test_each_kind_converts_with_its_own_reading() -> None:
    assert convert("Sesabamisad", LEGACY_FONT).text == "შესაბამისად"  # S = შ on the legacy keyboard
    assert convert("Sesabamisad", CHAT_LATIN).text == "სესაბამისად"  # chat spelling: s is ს
    assert convert("k'argi", LEGACY_FONT).text == "k'argi"  # no legacy key types an apostrophe: left as typed
    assert convert("k'argi", CHAT_LATIN).text == "კარგი"


def test_a_case_ending_after_a_hyphen_is_converted_and_a_short_english_word_kept() -> None:
    assert convert("zoom-it", CHAT_LATIN).text == "zoom-ით"
    assert convert("zoom-tan", CHAT_LATIN).text == "zoom-თან"  # "tan" is English, but after a hyphen an ending
    assert convert("es ok iyo dzalian kargi", CHAT_LATIN).text == "ეს ok იყო ძალიან კარგი"


def test_conversion_pieces_after_protected_spans() -> None:
    conversion = convert("P1: [00:01] zoom-it da zoom", CHAT_LATIN)
    assert conversion.pieces == (("P1:", "P1:"), (" ", " "), ("[00:01]", "[00:01]"), (" ", " "), ("zoom", "zoom"),
                                 ("-", "-"), ("it", "ით"), (" ", " "), ("da", "და"), (" ", " "), ("zoom", "zoom"))
    assert convert("kargi [laughs]", CHAT_LATIN).pieces == (("kargi", "კარგი"), (" ", " "),
                                                            ("[laughs]", "[laughs]"))


def test_pieces_from_any_offset() -> None:
    conversion = Conversion(CHAT_LATIN, (("P1:", "P1:"), (" ", " "), ("kargia", "კარგია"), (" ", " "), ("ok", "ok")))
    assert conversion.text == "P1: კარგია ok" and conversion.original == "P1: kargia ok"
    assert conversion.pieces_from(0) == list(conversion.pieces)
    assert conversion.pieces_from(2) == [(":", ":"), (" ", " "), ("kargia", "კარგია"), (" ", " "), ("ok", "ok")]
    assert conversion.pieces_from(4) == [("kargia", "კარგია"), (" ", " "), ("ok", "ok")]
    assert conversion.pieces_from(6) == [("kargia", "რგია"), (" ", " "), ("ok", "ok")]  # the original kept whole
    assert conversion.pieces_from(12) == [("k", "k")]
    assert conversion.pieces_from(13) == []
