"""The typed text of a converted line, pseudonymised where its conversion was (``ingest.original_text``): a name
found in the converted (Mkhedruli) rendering is replaced in the typed one too, word for word through the
conversion's pieces; what the pseudonymiser left alone stays as typed; anything recognisable only as typed is
masked as well; and the manifest's counts are not doubled."""

from __future__ import annotations

from gtna_analysis.ingest.original_text import _strip, _transfer, pseudonymised_original
from gtna_analysis.ingest.pseudonymise import Pseudonymiser
from gtna_analysis.ingest.script_detect import Conversion
from tests.ingest.test_pseudonymise_edges import meta

LEGACY = Conversion("legacy_font", (("P1: ", "P1: "), ("beriZem", "ბერიძემ"), (" ", " "), ("Tqva", "თქვა"),
                                    (".", ".")))


def pseudonymiser() -> Pseudonymiser:
    return Pseudonymiser.for_interview(meta("ნინო ბერიძე"))


def original(conversion: Conversion, rest_start: int, synthetic: str = "") -> tuple[str, str, dict[str, int]]:
    """(pseudonymised converted text, its typed counterpart, counts after both) as turns.py makes them."""
    masker = pseudonymiser()
    converted = masker.apply((synthetic + conversion.text[rest_start:]).strip())
    counts = dict(masker.counts)
    typed = pseudonymised_original(conversion, rest_start, synthetic, converted, masker)
    assert dict(masker.counts) == counts  # the manifest counts names in the text, not in both renderings
    return converted, typed, counts


def test_a_name_masked_in_the_conversion_is_masked_in_the_typed_text() -> None:
    converted, typed, counts = original(LEGACY, 4)
    assert (converted, typed) == ("[P1] თქვა.", "[P1] Tqva.")
    assert counts["participant_name"] == 1


def test_a_synthetic_tag_and_white_space_at_the_ends() -> None:
    conversion = Conversion("chat_latin", (("me", "მე"), (" ", " "), ("ninom", "ნინომ"), (" ", " "),
                                           ("vtqvi", "ვთქვი"), ("", ""), (" ", " ")))
    assert original(conversion, 0, "[Q2] ")[:2] == ("[Q2] მე [P1] ვთქვი", "[Q2] me [P1] vtqvi")
    padded = Conversion("chat_latin", ((" \t", " \t"), ("", ""), ("  ", "  "), ("me", "მე"), (" ", " "),
                                       ("ninom", "ნინომ")))
    assert original(padded, 0)[:2] == ("მე [P1]", "me [P1]")


def test_a_line_cut_after_its_label() -> None:
    """``rest_start`` inside a piece: the converted piece is cut, its typed side kept whole only when converted."""
    conversion = Conversion("chat_latin", (("P1: kargi", "P1: კარგი"), (" ", " "), ("ninom", "ნინომ")))
    assert original(conversion, 4)[:2] == ("კარგი [P1]", "P1: kargi [P1]")
    same = Conversion("chat_latin", (("P1: ", "P1: "), ("kargi", "კარგი"), (" ", " "), ("ninom", "ნინომ")))
    assert original(same, 4)[:2] == ("კარგი [P1]", "kargi [P1]")
    assert original(same, 2)[:2] == (": კარგი [P1]", ": kargi [P1]")


def test_an_unchanged_line_is_the_typed_text() -> None:
    conversion = Conversion("chat_latin", (("kargi", "კარგი"), (" ", " "), ("iqo", "იყო"), ("!", "!")))
    assert original(conversion, 0)[:2] == ("კარგი იყო!", "kargi iyo!".replace("y", "q"))


def test_what_only_the_typed_text_shows_is_masked_but_not_counted() -> None:
    """(An artificial conversion: a phone number typed, something else after conversion.)"""
    conversion = Conversion("chat_latin", (("dareke ", "დარეკე "), ("555 12 34 56", "ხხხ")))
    converted, typed, counts = original(conversion, 0)
    assert (converted, typed, counts["phone"]) == ("დარეკე ხხხ", "dareke [PHONE]", 0)


def test_nothing_left_after_the_cut() -> None:
    conversion = Conversion("chat_latin", (("P1:", "P1:"), ("  ", "  ")))
    masker = pseudonymiser()
    assert pseudonymised_original(conversion, 3, "", "", masker) == ""
    assert pseudonymised_original(conversion, 3, "", "kept as given", masker) == "kept as given"


def test_strip_drops_empty_and_blank_end_pieces_and_trims_unconverted_ends() -> None:
    assert _strip([(" ", " "), ("x", ""), ("  a", "  a"), ("x", "ხ"), ("b  ", "b  "), ("\t", "\t")]) == \
        [("a", "a"), ("x", "ხ"), ("b", "b")]
    assert _strip([(" x", " ხ"), ("y ", "ყ ")]) == [(" x", " ხ"), ("y ", "ყ ")]  # converted ends: not trimmed
    assert _strip([(" ", " "), ("", ""), ("\n", "\n")]) == []
    assert _strip([(" a ", " a ")]) == [("a", "a")]


def test_transfer_keeps_typed_pieces_and_takes_the_pseudonymisers_text_for_changed_ones() -> None:
    pieces = [("a", "ა"), (" ", " "), ("bb", "ბბ"), (" ", " "), ("cc", "ცც"), (" ", " "), ("d", "დ")]
    assert _transfer(pieces, "ა ბბ ცც დ", "ა [P] დ") == "a [P] d"  # one replacement over three pieces
    assert _transfer(pieces, "ა ბბ ცც დ", "ა ბბ ცც [P]") == "a bb cc [P]"  # at the end
    assert _transfer(pieces, "ა ბბ ცც დ", "[P] ბბ ცც დ") == "[P] bb cc d"  # at the start
    assert _transfer(pieces, "ა ბბ ცც დ", "ა ბX ცც დ") == "a ბX cc d"  # one letter of a piece: the piece goes


def test_transfer_keeps_text_inserted_before_a_kept_piece() -> None:
    assert _transfer([("a", "ა"), ("b", "ბ")], "აბ", "Xაბ") == "Xab"
    assert _transfer([("a", "ა"), ("b", "ბ")], "აბ", "აYბ") == "aYb"


def test_a_long_answer_keeps_its_typed_words_around_a_name() -> None:
    """Lines of 200 characters and more: difflib's "popular character" heuristic (autojunk) would stop matching
    spaces and common letters, and the typed words would be replaced by their conversions."""
    words = [("kargi", "კარგი"), ("aris", "არის"), ("es", "ეს")] * 20
    pieces: list[tuple[str, str]] = []
    for typed, converted in [*words[:30], ("ninom", "ნინომ"), *words[30:]]:
        pieces += [(typed, converted), (" ", " ")]
    conversion = Conversion("chat_latin", tuple(pieces[:-1]))
    assert len(conversion.text) > 200
    converted, typed, _ = original(conversion, 0)
    assert "[P1]" in converted
    expected = " ".join([w for w, _ in words[:30]] + ["[P1]"] + [w for w, _ in words[30:]])
    assert typed == expected
