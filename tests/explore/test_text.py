"""Text search in the codebook's pattern language (stems included), keyword in context, word frequency."""

from __future__ import annotations

import pytest
import yaml

from gtna_analysis.coding.codebook import load_codebook
from gtna_analysis.coding.patterns import PatternError, compile_pattern
from gtna_analysis.explore import text
from gtna_analysis.explore.data import ExploreData
from gtna_analysis.explore.retrieval import Filters


def test_hits_are_character_offsets_of_what_matched(data: ExploreData) -> None:
    result = text.search(data, "ძალადობ*")
    assert len(result.hits) > 5
    seg = data.segments.set_index("segment_id")
    for hit in result.hits.itertuples():
        start = int(seg.loc[hit.segment_id, "start_char"])
        assert seg.loc[hit.segment_id, "text"][hit.start_char - start:hit.end_char - start] == hit.match
        assert hit.match.lower().startswith("ძალადობ")


def test_dictionary_form_finds_inflected_forms(data: ExploreData) -> None:
    stems = text.search(data, "ტრენინგი")
    forms = {m.lower() for m in stems.hits["match"]}
    assert "ტრენინგი" in forms and len(forms) >= 3  # ტრენინგის, ტრენინგზე, … through stem keys
    surface = text.search(data, "re:ტრენინგი(?!\\w)")
    assert len(stems.hits) > len(surface.hits) > 0


def test_search_with_a_codes_patterns_finds_every_segment_it_auto_coded(data: ExploreData) -> None:
    """The same pattern language as the auto-coder: a code's own patterns, searched, reach its codings."""
    codebook = load_codebook(data.study.codebook_path)
    code = codebook.code("gbv.domestic_violence")
    patterns = [p for ps in code.patterns.values() for p in ps]
    result = text.search(data, "\n".join(patterns))
    auto = data.tables.codings
    auto = auto[(auto["code_id"] == code.id) & (auto["source"] == "auto")]
    assert set(auto["segment_id"]) <= set(result.segment_ids)


def test_a_search_becomes_a_valid_codebook_pattern(data: ExploreData) -> None:
    result = text.search(data, 'ძალადობ*; "gender statistic*"')
    snippet = yaml.safe_load(text.as_pattern(result))
    assert snippet == {"patterns": {"ka": ["ძალადობ*"], "en": ["gender statistic*"]}}
    for patterns in snippet["patterns"].values():
        for p in patterns:
            compile_pattern(p)


def test_an_invalid_search_says_why(data: ExploreData) -> None:
    with pytest.raises(PatternError, match="only allowed at the end"):
        text.search(data, "ძა*ლა")
    with pytest.raises(PatternError, match="empty"):
        text.search(data, "  ;  ")


def test_search_respects_filters(data: ExploreData) -> None:
    result = text.search(data, "ძალადობ*", Filters(agency="moes", coded_only=False))
    assert set(result.hits["agency"]) == {"moes"}


def test_keyword_in_context(data: ExploreData) -> None:
    result = text.search(data, "ტრენინგ*")
    table = text.kwic(data, result, width=30)
    assert len(table) == len(result.hits)
    assert list(table["keyword"]) == list(result.hits["match"])
    assert (table["left"].str.len() <= 31).all()


def test_word_frequency_merges_forms_and_drops_stop_words(data: ExploreData) -> None:
    freq = text.word_frequency(data, top=200)
    words = set(freq["word"])
    assert not words & text.GEORGIAN_STOP_WORDS and not {"the", "and", "we"} & words
    training = freq[freq["forms"].str.contains("ტრენინგის")].iloc[0]
    assert "ტრენინგი" in training["forms"]
    by_word = text.word_frequency(data, by="word", top=5000)
    forms = [f.strip() for f in training["forms"].split(",")]
    assert training["count"] >= by_word.set_index("word").reindex(forms)["count"].max()
    assert freq["count"].is_monotonic_decreasing
    with pytest.raises(ValueError):
        text.word_frequency(data, by="lemma")
