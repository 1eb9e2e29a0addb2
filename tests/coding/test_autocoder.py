"""The fast coder's shortcuts: scan keys that are whole patterns, one prepared scan text per chunk, flat matches.

Each test targets one shortcut that would give a wrong answer if it were wrong — a word at a segment end next to
the separator, phrase gaps longer than the spelled-out ones, a star inside a phrase, the per-segment fallback
when lower-casing changes the length — and checks the match offsets (``code(unit="match")``) against a
reference built from each pattern's own search regex, not only the (segment, code) pairs.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gtna_analysis.coding import autocoder as coding
from gtna_analysis.coding.autocoder import AutoCoder, naive_code, prepare, prepare_chunk
from gtna_analysis.coding.codebook import Code, Codebook, Theme
from gtna_analysis.coding.patterns import compile_pattern, scan_keys


def codebook(codes: dict[str, list[str]], exclude: dict[str, list[str]] | None = None) -> Codebook:
    exclude = exclude or {}
    items = tuple(Code(cid, "t", {"en": cid}, {"ka": tuple(ps)}, {"en": tuple(exclude[cid])} if cid in exclude else {})
                  for cid, ps in codes.items())
    return Codebook("t", "1", ["ka", "en"], {}, [Theme("t", {"en": "t"}, "#000000", items)])


def reference_spans(cb: Codebook, texts: list[str]) -> set[tuple[int, str, int, int]]:
    """(text, code, start, end) of every include match, one search regex per pattern (no exclusions)."""
    out = set()
    for code in cb.codes:
        for patterns in code.patterns.values():
            for pattern in patterns:
                compiled = compile_pattern(pattern)
                rx, wrapped = compiled.search_regex(), compiled.anchor is not None
                for i, text in enumerate(texts):
                    for m in rx.finditer(prepare(text)):
                        # word patterns match inside the lookahead wrapper's group; raw regexes are their match
                        start, end = (m.start(1), m.end(1)) if wrapped else (m.start(), m.end())
                        if end > start:
                            out.add((i, code.id, start, end))
    return out


def fast_spans(cb: Codebook, texts: list[str]) -> set[tuple[int, str, int, int]]:
    segments = pd.DataFrame({"segment_id": range(len(texts)), "interview_id": "I", "agency": "a",
                             "start_char": 0, "text": texts})
    rows = AutoCoder(cb, lemmas=False).code(segments, unit="match")
    return set(zip(rows["segment_id"], rows["code_id"], rows["start_char"], rows["end_char"], strict=True))


def check(cb: Codebook, texts: list[str]) -> set[tuple[int, str, int, int]]:
    """The surface layer equals the naive coder and the reference spans; with lemmas, both coders agree too."""
    assert AutoCoder(cb, lemmas=False).code_texts(texts) == naive_code(cb, texts, lemmas=False)
    assert AutoCoder(cb).code_texts(texts) == naive_code(cb, texts)
    spans = fast_spans(cb, texts)
    assert spans == reference_spans(cb, texts)
    return spans


def test_scan_keys_spell_out_gaps_and_stop_at_inner_stems() -> None:
    assert scan_keys(("data",), 2) == [(" data ", True)]
    assert scan_keys(("data*",), 2) == [(" data", True)]
    assert scan_keys(("no", "data"), 2) == [(" no data ", True), (" no  data ", True), (" no   ", False)]
    assert scan_keys(("gender*", "stat"), 2) == [(" gender", False)]


def test_long_phrases_stop_spelling_gaps_after_a_few() -> None:
    text = "law of georgia on the elimination of violence against women and domestic violence"
    title = tuple(text.split(" "))
    keys = scan_keys(title, 2)
    assert len(keys) <= 31  # not 2**13: the automaton stays small however long a phrase is
    assert (" law of georgia on the ", False) in keys  # cut after four gaps: a prefilter the regex finishes
    cb = codebook({"t.a": [" ".join(title)]})
    texts = ["ეს არის " + " ".join(title) + " და სხვა.", "law of georgia on the elimination, of violence against "
             "women -- and   domestic violence", "law of georgia on the elimination of violence against men"]
    assert naive_code(cb, texts) == {(0, "t.a"), (1, "t.a")}
    check(cb, texts)


def test_zero_width_raw_regexes_code_nothing_in_either_coder() -> None:
    for cb in (codebook({"t.a": ["re:(?=(abc))"]}), codebook({"t.a": ["abc"]}, {"t.a": ["re:(?=(abc))"]})):
        texts = ["abc", "x abc y"]
        assert AutoCoder(cb).code_texts(texts) == naive_code(cb, texts)
    assert check(codebook({"t.a": ["re:(a)b"]}), ["ab"]) == {(0, "t.a", 0, 2)}  # a group is not the match


def test_words_at_segment_ends_and_no_match_across_segments() -> None:
    cb = codebook({"t.a": ["data"], "t.b": ["ძალადობ*"], "t.c": ["no data"], "t.d": ["ოჯახში ძალადობ*"]})
    texts = ["no", "data", "ოჯახში", "ძალადობ", "data!", "ძალადობა", "no data", "datas", "ოჯახში ძალადობ"]
    spans = check(cb, texts)
    assert (1, "t.a", 0, 4) in spans and (3, "t.b", 0, 7) in spans and (8, "t.d", 0, 14) in spans
    assert not any(s[0] in (0, 2) for s in spans)  # a phrase never joins the end of one text to the next
    assert not any(s[0] == 7 and s[1] == "t.a" for s in spans)


@pytest.mark.parametrize("gap", [" ", "  ", "   ", " — ", ",\n\n ", " [laughter] ", "\t \t \t \t", "_", "’"])
def test_phrase_gaps_of_any_length(gap: str) -> None:
    cb = codebook({"t.a": ["ოჯახში ძალადობ*"], "t.b": ["gender statistics office"], "t.c": ["women's rights"]})
    texts = [f"ოჯახში{gap}ძალადობის", f"x gender{gap}statistics{gap}office.", f"gender statistics{gap}office",
             f"women{gap}s{gap}rights", f"ოჯახში{gap}ძალადო", f"gender{gap}statistics{gap}offices"]
    spans = check(cb, texts)
    assert {s[0] for s in spans} == {0, 1, 2, 3}


def test_stars_inside_phrases_and_three_word_phrases() -> None:
    cb = codebook({"t.a": ["gender* statistic* office"], "t.b": ["ქალ* მიმართ ძალადობ*"], "t.c": ["a b c"]})
    texts = ["genders statistical office", "gender  statistics   office", "gendered stat office",
             "ქალთა მიმართ ძალადობა", "ქალების   მიმართ  ძალადობის", "ქალ მიმართ", "a b  c", "a   b c d", "a b cd"]
    spans = check(cb, texts)
    assert {s[0] for s in spans} == {0, 1, 3, 4, 6, 7}


def test_exclusions_cancel_only_their_sentence() -> None:
    cb = codebook({"t.a": ["data"], "t.b": ["data*"]}, exclude={"t.a": ["no data"], "t.b": ["datas"]})
    texts = ["We have no data. But data exist.", "No data here.", "data, and no data", "datas only. datas!",
             "datas and data"]
    assert AutoCoder(cb).code_texts(texts) == naive_code(cb, texts) == {(0, "t.a"), (4, "t.a"), (0, "t.b"),
                                                                         (1, "t.b"), (2, "t.b")}


def test_mtavruli_sigma_nul_and_markers_in_one_chunk() -> None:
    cb = codebook({"t.a": ["ძალადობ*"], "t.b": ["οδος"], "t.c": ["laughter"], "t.d": ["data"]})
    texts = ["ᲫᲐᲚᲐᲓᲝᲑᲐ", "ΟΔΟΣ", "ΟΔΟΣ ΚΑΙ", "[laughter] ok", "da\x00ta da\x00", "\x00data\x00"]
    spans = check(cb, texts)
    assert {(s[0], s[1]) for s in spans} == {(0, "t.a"), (1, "t.b"), (2, "t.b"), (5, "t.d")}


def test_lower_case_length_change_falls_back_per_segment() -> None:
    """İ lower-cases to two characters: the chunk is then prepared text by text, offsets stay right."""
    cb = codebook({"t.a": ["istanbul"], "t.b": ["data*"], "t.c": ["stanbul"]})
    texts = ["data first", "İstanbul data", "after İİ the datasets", "istanbul"]
    corpus, bases = prepare_chunk(texts)
    assert [corpus[b:b + len(t)] for b, t in zip(bases, texts, strict=True)] == [prepare(t) for t in texts]
    spans = check(cb, texts)
    assert (2, "t.b", 13, 21) in spans and (3, "t.a", 0, 8) in spans


def test_raw_regexes_see_each_text_alone() -> None:
    cb = codebook({"t.a": ["re:^data"], "t.b": ["re:sex$"], "t.c": ["re:\\bby\\s+sex\\b"]})
    texts = ["data by sex", "no data", "sex data", "by  sex"]
    spans = check(cb, texts)
    assert {(s[0], s[1]) for s in spans} == {(0, "t.a"), (0, "t.b"), (0, "t.c"), (3, "t.b"), (3, "t.c")}


def test_prepare_chunk_equals_prepare_per_text() -> None:
    texts = ["A—b’c_d", "", "[laughter]", "ΟΔΟΣ.", "x\x00y", "ᲫᲐᲚᲐ ძალა", "  "]
    corpus, bases = prepare_chunk(texts)
    assert [corpus[b:b + len(t)] for b, t in zip(bases, texts, strict=True)] == \
        [prepare(t.replace("\x00", " ")) for t in texts]
    assert corpus.count("\x00") == len(texts)
    from gtna_analysis.ingest.clean import (
        MARKERS,  # masking the joined text is per-segment only while tags have no gaps
    )

    assert all(tag.isalpha() for tag in MARKERS)


WORDS = ["ძალადობა", "ძალადობის", "ოჯახში", "ქალთა", "მიმართ", "gender", "genders", "statistics", "office", "data",
         "no", "ᲫᲐᲚᲐᲓᲝᲑᲐ", "İstanbul"]
GAPS = [" ", " ", "  ", "   ", ", ", " — ", ".\n", "!  ", "-", "_", " [pause] ", "\x00"]
PATTERNS = ["ძალადობ*", "ოჯახში ძალადობ*", "ქალ* მიმართ", "gender statistic* office", "gender* statistics",
            "data", "no data", "ძალადობა", "istanbul", "re:data\\s+no", "office"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(GAPS)), max_size=10).map(
           lambda parts: "".join(w + g for w, g in parts)), min_size=1, max_size=8),
       codes=st.lists(st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=3), min_size=1, max_size=4),
       chunk=st.integers(1, 4))
def test_fast_offsets_equal_the_reference(texts: list[str], codes: list[list[str]], chunk: int) -> None:
    cb = codebook({f"t.c{i}": ps for i, ps in enumerate(codes)})
    original = coding.CHUNK_SEGMENTS
    coding.CHUNK_SEGMENTS = chunk
    try:
        check(cb, texts)
    finally:
        coding.CHUNK_SEGMENTS = original


def test_compiled_coder_is_shared_per_codebook_content_and_rebuilt_after_an_edit(tmp_path) -> None:
    from shared_coding import SMALL_CODEBOOK, write

    from gtna_analysis.coding.codebook import load_codebook

    path = write(tmp_path / "cb.yml", SMALL_CODEBOOK)
    first = AutoCoder.for_codebook(load_codebook(path))
    assert AutoCoder.for_codebook(load_codebook(path)) is first  # same bytes: compiled once per process
    assert AutoCoder.for_codebook(load_codebook(path), lemmas=False) is not first  # another configuration
    edited = write(path, SMALL_CODEBOOK.replace("codebook: {id: small, version: 2", "codebook: {id: small, version: 3"))
    second = AutoCoder.for_codebook(load_codebook(edited))
    assert second is not first and second.coder.endswith("-v3")
    in_memory = codebook({"t.a": ["ქალ*"]})  # no file hash: never cached
    assert AutoCoder.for_codebook(in_memory) is not AutoCoder.for_codebook(in_memory)
    texts = ["ქალები და კაცები", "nothing"]
    assert AutoCoder.for_codebook(in_memory).code_texts(texts) == AutoCoder(in_memory).code_texts(texts)


def test_word_pattern_regexes_compile_only_when_used() -> None:
    source = "ტესტისთვისმოგონილ* სიტყვ*"  # in no codebook: no other test compiled its regex in this process
    pattern = compile_pattern(source)
    assert "regex" not in pattern.__dict__  # the scan keys settle most hits without it
    assert pattern.regex.match(" ტესტისთვისმოგონილი სიტყვები ", 1)
    assert compile_pattern(source) is pattern  # memoised: validation and the coder share it
    raw = compile_pattern("re:gend(er|ered)")
    assert "regex" in raw.__dict__  # a raw regex is compiled at once: that is its validation


@pytest.mark.parametrize("source", [r"\bthere were\b", r"(was|were) trained", r"\w+ing\b", r"s\s+\w", r"^the",
                                    r"e$", r"(?<=\s)t\w+", r"x*"])
def test_raw_regex_one_pass_finds_what_a_pass_per_segment_finds(source: str) -> None:
    """One pass over the scan text is used only when it finds exactly the per-segment matches (else None)."""
    import re

    texts = ["There were two trainings", "we were trained, there were", "", "the end", "testing  s x", "one"]
    corpus, bases = prepare_chunk(texts)
    regex = re.compile(source, re.IGNORECASE)
    per_segment = [(i, base + m.start(), base + m.end()) for i, (base, t) in enumerate(zip(bases, texts, strict=True))
                   for m in regex.finditer(corpus[base:base + len(t)]) if m.end() > m.start()]
    whole = coding._raw_matches(regex, corpus, bases, [len(t) for t in texts])
    assert whole is None or sorted(whole) == sorted(per_segment)
    if source in (r"\bthere were\b", r"(was|were) trained"):
        assert whole is not None and whole  # the common case takes the one-pass path
    if source in (r"^the", r"e$", r"(?<=\s)t\w+", r"x*"):
        assert whole is None  # anchors, look-around, empty or separator-crossing matches: per segment


def test_context_literal_prefilter_keeps_the_same_spans() -> None:
    cb = Codebook("t", "1", ["ka", "en"], {}, [Theme("t", {"en": "t"}, "#000000", (
        Code("t.platform", "t", {"en": "p"}, {"en": ("platform",)},
             requires={"en": ("online*", "re:\\bweb\\s+based\\b")}),
    ))])
    texts = ["The platform was online. Another platform here.", "A web-based platform.", "A platform alone."]
    assert AutoCoder(cb).code_texts(texts) == naive_code(cb, texts) == {(0, "t.platform"), (1, "t.platform")}
