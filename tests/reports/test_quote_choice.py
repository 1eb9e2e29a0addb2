"""The quotes the sample reports show, checked as a reader would: whole sentences, no leading transcription
marker, and a statement about the theme rather than a list of terms that happens to contain its word.

Issue 15 found a MoES "Legal frame" quote that was a list of basic concepts ("ჯერ საბაზისო ცნებები — სქესი,
გენდერი, სტერეოტიპი, დისკრიმინაცია, …", MOES-01, P1, Q8). Without the list penalty it still ranks first."""

from __future__ import annotations

import re

import pytest
from shared_coding import built_sample

from gtna_analysis.reports import analysis, sections
from gtna_analysis.reports.excerpts import is_list_like, sentences
from gtna_analysis.reports.i18n import MARKER_WORDS

MARKERS = {w for forms in MARKER_WORDS.values() for w in forms.values()} | set(MARKER_WORDS)
LEADING_MARKER = re.compile(r"^(?:… )?\[(%s)\]" % "|".join(map(re.escape, MARKERS)))
ENDS_A_SENTENCE = re.compile(r"([.!?…][\"'”“»)]*| …)$")


@pytest.fixture(scope="module")
def contexts() -> dict[tuple[str | None, str], sections.ReportContext]:
    study, processed = built_sample()
    return {(agency, lang): sections.ReportContext.load(processed, agency, lang, study)
            for agency in ("moes", "molhsa", "geostat", None) for lang in ("ka", "en")}


def test_every_shown_quote_is_whole_sentences_without_a_leading_marker_and_not_a_list(contexts) -> None:
    shown = 0
    for (agency, lang), ctx in contexts.items():
        for block in sections.quote_blocks(ctx):
            for quote in block["quotes"]:
                text = quote["quote"]
                shown += 1
                where = (agency, lang, block["label"], text[:80])
                assert not LEADING_MARKER.match(text), where
                assert ENDS_A_SENTENCE.search(text.strip()), where
                # a Latin quote not cut ("… ") starts a sentence with a capital (Mkhedruli has no case)
                assert not (text[0].isascii() and text[0].islower()), where
                body = text.removeprefix("… ").removesuffix(" …")
                assert not all(is_list_like(body[s:e]) for s, e in sentences(body)), where
    assert shown >= 8 * 8  # 8 reports, most with 5 themes × 2 quotes


def test_moes_legal_frame_quote_is_a_statement_not_the_list_of_basic_concepts(contexts, monkeypatch) -> None:
    ctx = contexts[("moes", "en")]

    def top_two() -> list[str]:
        quotes = analysis.representative_quotes(ctx.tables, "legal_frame", "moes", 2, "en")
        return [f"{r.speaker} {r.question_id}" for r in quotes.itertuples()]

    assert "MOES-01, P1 Q8" not in top_two()
    monkeypatch.setattr(analysis, "is_list_like", lambda sentence: False)  # the rule this test guards
    assert top_two()[0] == "MOES-01, P1 Q8"
