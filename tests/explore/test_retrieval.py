"""Retrieval: filters (agency, code with sub-codes, source, attributes), paging without a silent cap, highlights
at character offsets, escaped transcript text, the interviewer's question above an answer."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from gtna_analysis.explore import retrieval
from gtna_analysis.explore.data import ExploreData
from gtna_analysis.explore.labels import labels
from gtna_analysis.explore.retrieval import Filters


def test_filters_narrow_to_what_they_say(data: ExploreData) -> None:
    everything = retrieval.retrieve(data, Filters())
    moes = retrieval.retrieve(data, Filters(agency="moes"))
    assert 0 < len(moes) < len(everything)
    assert set(moes["agency"]) == {"moes"}
    assert set(everything["speaker_role"]) == {"participant"}
    coded = set(data.tables.codings["segment_id"])
    assert set(everything["segment_id"]) == coded  # every coded passage, none dropped or capped

    theme = retrieval.retrieve(data, Filters(theme="gbv"))
    assert all(any(c.startswith("gbv.") for c in codes) for codes in theme["codes"])
    expected = set(data.tables.codings.loc[data.tables.codings["theme_id"] == "gbv", "segment_id"])
    assert set(theme["segment_id"]) == expected


def test_a_filter_that_matches_nothing_gives_an_empty_page(data: ExploreData) -> None:
    first = data.segments[data.segments["speaker_role"] == "participant"]["segment_id"].iloc[0]
    none = retrieval.retrieve(data, Filters(source="suggested", segment_ids=(first, "NOPE"), coded_only=False))
    assert set(none["segment_id"]) <= {first} and "spans" in none
    empty = retrieval.retrieve(data, Filters(agency="moes", interview="GEOSTAT-01"))
    assert empty.empty and retrieval.counts(empty) == {"passages": 0, "interviews": 0, "participants": 0}
    shown = retrieval.page(empty)
    assert (shown.number, shown.n_pages, shown.first, shown.last) == (1, 1, 0, 0)


def test_attribute_filter_uses_the_speakers_attributes(data: ExploreData) -> None:
    women = retrieval.retrieve(data, Filters(attributes={"gender": ("female",)}))
    people = data.tables.participants.set_index(["interview_id", "participant_id"])["gender"]
    genders = {people[(i, s)] for i, s in zip(women["interview_id"], women["speaker_id"], strict=True)}
    assert genders == {"female"} and len(women) > 0
    with pytest.raises(ValueError, match="unknown attribute"):
        retrieval.retrieve(data, Filters(attributes={"shoe_size": ("42",)}))


def test_source_filter_reads_suggestions_auto_and_manual(data: ExploreData) -> None:
    suggested = retrieval.retrieve(data, Filters(source="suggested"))
    assert set(suggested["segment_id"]) == set(data.suggestions["segment_id"])
    manual = retrieval.retrieve(data, Filters(source="manual"))
    assert set(manual["segment_id"]) == set(data.tables.codings.loc[data.tables.codings["source"] == "manual",
                                                                     "segment_id"])
    assert all(s == ("manual",) for s in manual["sources"])
    # without a source filter a suggestion alone does not make a passage "coded"
    plain = set(retrieval.retrieve(data, Filters())["segment_id"])
    only_suggested = set(data.suggestions["segment_id"]) - set(data.tables.codings["segment_id"])
    assert not (plain & only_suggested)


def test_a_code_filter_includes_its_sub_codes(data: ExploreData) -> None:
    codes = data.tables.codes.copy()
    parent, child = "gbv.referral", "gbv.protection_orders"
    assert {parent, child} <= set(codes["code_id"])
    codes.loc[codes["code_id"] == child, "parent_id"] = parent
    nested = dataclasses.replace(data, tables=dataclasses.replace(data.tables, codes=codes))
    nested.__dict__.pop("codings", None)
    with_children = set(retrieval.retrieve(nested, Filters(code=parent))["segment_id"])
    c = data.tables.codings
    assert with_children == set(c.loc[c["code_id"].isin([parent, child]), "segment_id"])
    assert set(retrieval.retrieve(data, Filters(code=parent))["segment_id"]) == set(
        c.loc[c["code_id"] == parent, "segment_id"])


def test_paging_shows_everything_in_pages_and_counts(data: ExploreData) -> None:
    passages = retrieval.retrieve(data, Filters())
    pages = [retrieval.page(passages, n, 50) for n in range(1, 100)]
    n_pages = pages[0].n_pages
    assert n_pages == -(-len(passages) // 50) and n_pages > 1
    seen = pd.concat([p.rows for p in pages[:n_pages]])
    assert list(seen["segment_id"]) == list(passages["segment_id"])
    assert pages[-1].number == n_pages  # past the end clamps to the last page
    assert (pages[1].first, pages[1].last) == (51, min(100, len(passages)))
    c = retrieval.counts(passages)
    assert c["passages"] == len(passages) and c["interviews"] == passages["interview_id"].nunique()


def test_highlight_marks_character_offsets_and_escapes() -> None:
    text = "ქალთა <b>ძალადობა</b> & ტრენინგი"
    start = text.index("ძალადობა")
    html = retrieval.highlight(text, [(start, start + len("ძალადობა"))])
    assert "<mark>ძალადობა</mark>" in html
    assert "&lt;b&gt;" in html and "<b>" not in html and "&amp;" in html
    # overlapping ranges merge into one mark
    assert retrieval.highlight("abcdef", [(0, 3), (2, 5)]) == "<mark>abcde</mark>f"


def test_highlight_ranges_span_or_matched_words() -> None:
    text = "ოჯახში ძალადობა და ძალადობის მსხვერპლი"
    seg_start = 1000
    span = (seg_start + 7, seg_start + 15)  # a coding narrower than the segment: its span
    assert retrieval.highlight_ranges(text, seg_start, [(*span, "")]) == [(7, 15)]
    whole = (seg_start, seg_start + len(text), "ძალადობ")  # whole-segment coding: the matched words
    ranges = retrieval.highlight_ranges(text, seg_start, [whole])
    assert [text[a:b] for a, b in ranges] == ["ძალადობ", "ძალადობ"]
    hits = retrieval.highlight_ranges(text, seg_start, [], [(seg_start + 19, seg_start + 28)])
    assert [text[a:b] for a, b in hits] == ["ძალადობის"]


def test_passage_shows_the_question_asked_and_escapes_text(data: ExploreData) -> None:
    passages = retrieval.retrieve(data, Filters(agency="moes"))
    row = passages.iloc[0].copy()
    segments = data.segments[data.segments["interview_id"] == row["interview_id"]]
    before = segments[(segments["start_char"] < row["start_char"]) & (segments["speaker_role"] == "interviewer")]
    html = retrieval.passage_html(data, row, labels("en"))
    assert before.iloc[-1]["text"][:30] in html.replace("&#x27;", "'")
    row["text"] = "<script>alert(1)</script>"
    assert "<script>" not in retrieval.passage_html(data, row, labels("en"))


def test_page_html_counts_in_georgian(data: ExploreData) -> None:
    shown = retrieval.page(retrieval.retrieve(data, Filters()), 2, 10)
    html = retrieval.page_html(data, shown, labels("ka"))
    assert f"ნაჩვენებია 11–20 მონაკვეთი {shown.total}-დან" in html
    assert html.count('class="gtna-passage"') == 10


def test_interview_view_has_every_turn_and_marks_the_passage(data: ExploreData) -> None:
    seg = data.segments[data.segments["speaker_role"] == "participant"].iloc[4]
    html = retrieval.interview_html(data, seg["interview_id"], seg["segment_id"])
    n = (data.segments["interview_id"] == seg["interview_id"]).sum()
    assert html.count('class="gtna-turn') == n
    assert f'class="gtna-turn focus" id="t-{seg["segment_id"]}"' in html
    with pytest.raises(ValueError, match="unknown interview"):
        retrieval.interview_html(data, "NOPE")


def test_the_active_filters_are_described_in_the_interface_language(data: ExploreData) -> None:
    ka = labels("ka")
    assert retrieval.describe_filters(data, Filters(), ka) == ""
    said = retrieval.describe_filters(data, Filters(agency="moes", code="gbv.referral", source="auto",
                                                    attributes={"gender": ("female",)}), ka, "ტრენინგ*")
    assert said.startswith(f"უწყება: {data.tables.agency_name('moes', 'ka', short=True)}")
    assert f"კოდი: {data.code_label('gbv.referral')}" in said and "წყარო: ავტომატური" in said
    assert said.endswith("სქესი: female · ძიება: ტრენინგ*")
