"""Script detection and conversion, measured on tests/ingest/data/script_paragraphs.yaml (see its header).

The thresholds are what the detector reached on the paragraphs written after its tuning (part: holdout), with a
little room; they guard against a change that makes it worse. Two kinds of mistake are never allowed: converting
an English or Mkhedruli paragraph, and losing an English word typed inside Latin Georgian.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from transcript_files import legacy

from gtna_analysis.ingest.clean import CleanParagraph, clean_paragraph
from gtna_analysis.ingest.script_detect import (
    CHAT_LATIN,
    ENGLISH,
    KINDS,
    LEGACY_FONT,
    MKHEDRULI,
    Conversion,
    convert,
    detect,
)
from gtna_analysis.ingest.translit import read_chat_word

PARAGRAPHS = yaml.safe_load((Path(__file__).parent / "data" / "script_paragraphs.yaml").read_text(encoding="utf-8"))
_LATIN = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")


def found_kind(cleaned: CleanParagraph) -> str:
    """What the detector decided: the conversion applied, the kind of a paragraph left alone, or 'unsure'."""
    if cleaned.kind:
        return cleaned.kind
    return cleaned.detection.kind if cleaned.detection.confident else "unsure"


@pytest.fixture(scope="module")
def results() -> list[tuple[dict, CleanParagraph]]:
    return [(row, clean_paragraph(row["text"])) for row in PARAGRAPHS]


def test_the_set_has_at_least_thirty_paragraphs_of_each_kind_and_mixed_ones() -> None:
    counts = Counter((row["kind"], row["part"]) for row in PARAGRAPHS)
    assert all(counts[(kind, "tuned")] >= 30 for kind in KINDS), counts
    assert all(counts[(kind, "holdout")] >= 12 for kind in KINDS), counts
    english_with_georgian = [r for r in PARAGRAPHS if r["kind"] == ENGLISH and re.search("[ა-ჰ]", r["text"])]
    chat_with_english = [r for r in PARAGRAPHS if r["kind"] == CHAT_LATIN and _LATIN.search(r["expected"])]
    assert len(english_with_georgian) >= 4 and len(chat_with_english) >= 10
    for row in PARAGRAPHS:  # the legacy texts are the keyboard-table rendering of their Mkhedruli
        if row["kind"] == LEGACY_FONT:
            assert row["text"] == legacy(row["expected"])


@pytest.mark.parametrize("part", ["tuned", "holdout"])
def test_english_and_mkhedruli_paragraphs_are_never_converted(results: list, part: str) -> None:
    for row, cleaned in results:
        if row["part"] == part and row["kind"] in (ENGLISH, MKHEDRULI):
            assert cleaned.conversion is None, row["id"]
            assert cleaned.text == row.get("expected", row["text"]), row["id"]


@pytest.mark.parametrize(("part", "minimum"), [("tuned", 0.9), ("holdout", 0.8)])
def test_kind_accuracy(results: list, part: str, minimum: float) -> None:
    """Per kind; a Georgian paragraph whose two readings give the same letters may carry either Georgian label."""
    for kind in KINDS:
        rows = [(row, cleaned) for row, cleaned in results if row["part"] == part and row["kind"] == kind]
        right = sum(found_kind(c) == kind or (kind in (LEGACY_FONT, CHAT_LATIN) and c.kind and c.text ==
                                              row["expected"]) for row, c in rows)
        assert right / len(rows) >= minimum, (kind, right, len(rows))


@pytest.mark.parametrize(("part", "paragraphs", "words"), [("tuned", 0.9, 0.97), ("holdout", 0.7, 0.95)])
def test_conversion_accuracy(results: list, part: str, paragraphs: float, words: float) -> None:
    """Share of Latin-typed Georgian paragraphs converted exactly, and of their words converted right."""
    rows = [(row, c) for row, c in results if row["part"] == part and row["kind"] in (LEGACY_FONT, CHAT_LATIN)]
    exact = sum(c.text == row["expected"] for row, c in rows)
    pairs = [(a, b) for row, c in rows for a, b in zip(c.text.split(), row["expected"].split(), strict=False)]
    assert exact / len(rows) >= paragraphs
    assert sum(a == b for a, b in pairs) / len(pairs) >= words


def test_english_words_inside_latin_georgian_survive(results: list) -> None:
    for row, cleaned in results:
        if row["kind"] in (CHAT_LATIN, LEGACY_FONT):
            for word in _LATIN.findall(row["expected"]):
                assert word in cleaned.text, (row["id"], word, cleaned.text)


def test_the_original_is_kept_piece_by_piece(results: list) -> None:
    for row, cleaned in results:
        assert cleaned.original == " ".join(row["text"].split()).replace("[იცინის]", "[laughter]")
        if cleaned.conversion:
            assert cleaned.conversion.text == cleaned.text


@pytest.mark.parametrize(("typed", "georgian"), [
    ("chventvis", "ჩვენთვის"), ("tanasworoba", "თანასწორობა"), ("saministroshi", "სამინისტროში"),
    ("shexvedra", "შეხვედრა"), ("shekhvedra", "შეხვედრა"), ("dzalian", "ძალიან"), ("q'velas", "ყველას"),
    ("kvalifikatsia", "კვალიფიკაცია"), ("ts'vrtna", "წვრთნა"), ("qalebis", "ქალების"),
])
def test_chat_spellings_are_read_by_georgian_plausibility(typed: str, georgian: str) -> None:
    assert read_chat_word(typed).georgian == georgian


def test_legacy_capitals_mean_legacy_font_and_digraphs_mean_chat() -> None:
    assert detect("saqarTveloSi TanamSromlebi xSirad ambobdnen").kind == LEGACY_FONT
    assert detect("saqartveloshi tanamshromlebi xshirad ambobdnen").kind == CHAT_LATIN
    # the same sentence through the wrong table would be garbage: ShiD, not შ
    assert clean_paragraph("saqartveloshi tanamshromlebi xshirad ambobdnen").text == \
        "საქართველოში თანამშრომლები ხშირად ამბობდნენ"


def test_a_case_ending_after_an_english_word_is_converted() -> None:
    text = clean_paragraph("zoom-it rom chatardes, CEDAW-is shesaxeb vilaparakebt").text
    assert text == "zoom-ით რომ ჩატარდეს, CEDAW-ის შესახებ ვილაპარაკებთ"


def test_names_and_short_answers_that_could_be_either_are_left_alone() -> None:
    unsure = clean_paragraph("Tbilisi, Batumi, Kutaisi")
    assert unsure.text == "Tbilisi, Batumi, Kutaisi" and unsure.conversion is None and unsure.unsure
    assert not clean_paragraph("Yes.").unsure and clean_paragraph("Yes.").text == "Yes."
    assert clean_paragraph("kargi, madloba").text == "კარგი, მადლობა"


def test_pieces_from_maps_a_suffix_of_the_converted_text_back() -> None:
    conversion = convert("P1: chven vfiqrobt", CHAT_LATIN)
    assert isinstance(conversion, Conversion) and conversion.text == "P1: ჩვენ ვფიქრობთ"
    start = conversion.text.index("ჩვენ")
    assert "".join(o for o, _ in conversion.pieces_from(start)) == "chven vfiqrobt"
    assert "".join(c for _, c in conversion.pieces_from(start)) == "ჩვენ ვფიქრობთ"


def test_markers_typed_in_latin_georgian_become_tags_and_keep_their_original() -> None:
    cleaned = clean_paragraph("saqarTveloSi (icinis) Zalian kargi")
    assert cleaned.text == "საქართველოში [laughter] ძალიან კარგი"
    assert cleaned.original == "saqarTveloSi (icinis) Zalian kargi"


def test_overlong_letter_runs_are_no_language_and_stay_as_typed() -> None:
    """A key held down or an identifier is no evidence: 'aaaa…' once became thousands of letters of Georgian."""
    for run in ("a" * 300 + "b", "x" * 41):
        paragraph = clean_paragraph("P1: " + run)
        assert paragraph.text == "P1: " + run and paragraph.conversion is None
    mixed = detect("chven gvinda treningi online formatshi " + "a" * 60)
    assert mixed.kind == CHAT_LATIN and mixed.confident  # the real words still decide
    assert convert("chven gvinda " + "a" * 60, CHAT_LATIN).text.endswith("a" * 60)
