"""A mouse selection → character offsets of the passage: UTF-16 units (the browser) to code points (the build),
checked against the passage text, then saved through the coding-in-place path (the browser test drags the mouse)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from gtna_analysis.explore.data import ExploreData
from gtna_analysis.explore.span_select import (
    SpanError,
    SpanSelector,
    index_to_utf16,
    selection_span,
    utf16_to_index,
)
from gtna_analysis.explore.widgets import Workbench

GEORGIAN = "ტრენინგი გვჭირდება 👩‍💼 ბიუჯეტირებაზე, არა 𝐂𝐄𝐃𝐀𝐖-ზე."


def test_utf16_offsets_become_code_points() -> None:
    text = GEORGIAN
    for index in range(len(text) + 1):
        assert utf16_to_index(text, index_to_utf16(text, index)) == index
    woman = text.index("👩")
    assert index_to_utf16(text, woman + 1) == woman + 2  # one code point, two UTF-16 units
    assert utf16_to_index(text, len(text.encode("utf-16-le")) // 2) == len(text)


def test_offsets_inside_a_character_or_outside_the_passage_are_refused() -> None:
    woman16 = index_to_utf16(GEORGIAN, GEORGIAN.index("👩"))
    with pytest.raises(SpanError, match="inside the character"):
        utf16_to_index(GEORGIAN, woman16 + 1)
    with pytest.raises(SpanError, match="past the end"):
        utf16_to_index(GEORGIAN, 10_000)
    with pytest.raises(SpanError, match="negative"):
        utf16_to_index(GEORGIAN, -1)


def test_a_selection_after_an_astral_character_lands_on_the_right_words() -> None:
    words = "ბიუჯეტირებაზე"
    start16 = index_to_utf16(GEORGIAN, GEORGIAN.index(words))
    chosen = selection_span(GEORGIAN, start16, start16 + len(words), words)
    assert GEORGIAN[chosen.start:chosen.end] == chosen.text == words
    naive = GEORGIAN[start16:start16 + len(words)]  # what treating UTF-16 units as code points would code
    assert naive != words


def test_a_selection_is_trimmed_checked_and_may_run_backwards() -> None:
    text = "we need training on budgeting, not on CEDAW"
    s16, e16 = text.index(" budgeting") , text.index(",")
    chosen = selection_span(text, e16, s16, text[s16:e16])  # dragged right to left, with the space before
    assert chosen.text == "budgeting" and (chosen.start, chosen.end) == (s16 + 1, e16)
    with pytest.raises(SpanError, match="is not the passage's text"):
        selection_span(text, s16, e16, "something else")
    with pytest.raises(SpanError, match="only white space"):
        selection_span(text, 2, 3, " ")


def test_the_reported_text_is_compared_after_nfc() -> None:
    text = "café training"  # composed é, as the ingest normalises
    decomposed = "cafe\u0301"
    assert selection_span(text, 0, 4, decomposed).text == "café"


def test_the_widget_validates_what_the_browser_sends() -> None:
    picker = SpanSelector()
    picker.show("S-1", GEORGIAN)
    seen: list[object] = []
    picker.on_select(lambda p: seen.append(p.span or p.error))
    words = "გვჭირდება"
    start16 = index_to_utf16(GEORGIAN, GEORGIAN.index(words))
    picker.selection = {"start": start16, "end": start16 + len(words), "text": words, "segment_id": "S-1"}
    assert picker.span is not None and picker.span.text == words
    picker.selection = {"start": 0, "end": 3, "text": "ტრე", "segment_id": "S-2"}
    assert picker.span is None and "another passage" in picker.error
    picker.selection = {"start": "x", "end": 3, "segment_id": "S-1"}
    assert picker.span is None and "malformed" in picker.error
    assert len(seen) == 3
    picker.show("S-3", "other")
    assert picker.span is None and picker.error == ""


def test_a_mouse_selection_is_coded_through_the_coding_sheet(study_copy: Path) -> None:
    data = ExploreData.load(study_copy)
    wb = Workbench(data, "nino")
    segment_id = wb.passage_pick.value
    seg = data.segments[data.segments["segment_id"] == segment_id].iloc[0]
    text = str(seg["text"])
    assert wb.span_pick.text == text and wb.span_pick.segment_id == segment_id
    words = text.split()[2]
    at = text.index(words)
    wb.span_pick.selection = {"start": index_to_utf16(text, at), "end": index_to_utf16(text, at + len(words)),
                              "text": words, "segment_id": segment_id}
    assert words in wb.span_note.value
    wb.add_code.value = "gbv.referral"
    wb.add_b.click()
    sheet = pd.read_csv(study_copy / "codings" / "nino.csv", dtype=str)
    row = sheet.iloc[-1]
    assert (row["segment_id"], row["code_id"], row["verdict"]) == (segment_id, "gbv.referral", "add")
    assert (int(row["start_char"]), int(row["end_char"])) == (int(seg["start_char"]) + at,
                                                              int(seg["start_char"]) + at + len(words))

    wb.span_box.value = text.split()[0]  # typing words replaces the mouse selection (the keyboard route)
    assert wb.span_pick.span is None


def test_offsets_outside_the_passage_are_refused_by_the_sheet(study_copy: Path) -> None:
    from gtna_analysis.explore.coding_in_place import CoderSheet, CodingError

    data = ExploreData.load(study_copy)
    seg = data.segments[data.segments["speaker_role"] == "participant"].iloc[0]
    sheet = CoderSheet.for_coder(data, "nino")
    length = len(str(seg["text"]))
    for bad in ((-1, 3), (3, 3), (5, 2), (0, length + 1)):
        with pytest.raises(CodingError, match="outside the passage"):
            sheet.add(seg["segment_id"], "gbv.referral", offsets=bad)
    assert not (study_copy / "codings" / "nino.csv").exists()
    sheet.add(seg["segment_id"], "gbv.referral", offsets=(0, length))
    assert (study_copy / "codings" / "nino.csv").exists()
