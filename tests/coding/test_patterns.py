"""Pattern semantics and the fast auto-coder: Georgian stems, word boundaries, phrases, exclusions, units, speed.

The fast coder (one Aho-Corasick pass) must give exactly what the naive one-regex-per-pattern coder gives; a
hypothesis test drives both with random texts and random codebooks built from a small bilingual vocabulary.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shared_coding import SMALL_CODEBOOK, sample_codebook, sample_tables, write

from gtna_analysis.coding.autocoder import AutoCoder, naive_code
from gtna_analysis.coding.codebook import Code, Codebook, Theme, load_codebook
from gtna_analysis.coding.patterns import PatternError, compile_pattern, match_text


def matches(pattern: str, text: str, lemmas: bool = False) -> bool:
    """Surface semantics by default (what the pattern itself says); ``lemmas`` adds inflection-aware matching."""
    return (0, "t.c") in naive_code(one_code([pattern]), [text], lemmas) and \
        AutoCoder(one_code([pattern]), lemmas=lemmas).code_texts([text]) == {(0, "t.c")}


def one_code(patterns: list[str], exclude: list[str] | None = None) -> Codebook:
    code = Code("t.c", "t", {"en": "c"}, {"ka": tuple(patterns)},
                {"ka": tuple(exclude)} if exclude else {})
    return Codebook("t", "1", ["ka", "en"], {}, [Theme("t", {"en": "t"}, "#000000", (code,))])


@pytest.mark.parametrize(("pattern", "text", "expected"), [
    ("ძალადობ*", "ოჯახში ძალადობასთან ბრძოლა", True),          # Georgian suffix continuation
    ("ძალადობ*", "ძალადობისგან", True),
    ("ძალადობ*", "არაძალადობრივი კომუნიკაცია", False),       # a match starts at a word boundary
    ("ძალადობა", "ძალადობის შემთხვევა", False),              # no star: the whole word (on the surface)
    ("ოჯახში ძალადობ*", "ოჯახში — ძალადობა", True),          # phrase words across punctuation
    ("ოჯახში ძალადობ*", "ოჯახში\n ძალადობის", True),
    ("ოჯახში ძალადობ*", "ოჯახშიც ძალადობა", False),
    ("sex-disaggregated", "sex disaggregated data", True),
    ("sex-disaggregated", "Sex‑Disaggregated (non-breaking hyphen)", True),
    ("gender statistic*", "GENDER STATISTICS unit", True),     # case-insensitive
    ("gender statistic*", "transgender statistics", False),
    ("ძალადობ*", "ᲫᲐᲚᲐᲓᲝᲑᲐ სათაურში", True),                 # Mtavruli capitals lower-case to Mkhedruli
    ("women's", "womens rights", False),
    ("women's", "women’s rights", True),
    ("cedaw", "CEDAW-ის ანგარიში", True),
    ("re:\\bdata\\s+by\\s+sex\\b", "Data, by sex!", True),     # raw regex on the normalised text
    ("ძალადობ*", "[laughter] ძალადობა", True),
    ("laughter", "[laughter] ok", False),                      # markers are blanked before matching
])
def test_pattern_semantics(pattern: str, text: str, expected: bool) -> None:
    assert matches(pattern, text) is expected


def test_match_text_keeps_offsets() -> None:
    text = "İstanbul — ძალადობა, CEDAW!"
    assert len(match_text(text)) == len(text)
    assert match_text("A-b’c") == "a b c"


@pytest.mark.parametrize(("pattern", "message"), [
    ("", "empty"), ("  ", "empty"), ("*", "only allowed at the end"), ("ძა*ლა", "only allowed at the end"),
    ("ab*c", "only allowed at the end"), ("კა*", "too short"), ("re:(unclosed", "bad regex"),
    ("re:a*", "matches the empty string"), ("— !", "no letters"),
])
def test_bad_patterns(pattern: str, message: str) -> None:
    with pytest.raises(PatternError, match=message):
        compile_pattern(pattern)


def test_exclusion_is_per_sentence_and_per_code() -> None:
    cb = one_code(["data"], exclude=["no data"])
    texts = ["We have no data. But data exist elsewhere.", "There is no data here.", "data, and no data"]
    assert AutoCoder(cb).code_texts(texts) == naive_code(cb, texts) == {(0, "t.c")}


def test_coding_units_and_offsets(tmp_path: Path) -> None:
    text = "პირველი წინადადება. ოჯახში ძალადობა ხშირია!\nმეორე აბზაცი: domestic violence."
    seg = pd.DataFrame([{"segment_id": "S-001", "interview_id": "S", "agency": "moes", "start_char": 100,
                         "text": text}])
    cb = load_codebook(write(tmp_path / "cb.yml", SMALL_CODEBOOK))
    coder = AutoCoder(cb)
    whole = coder.code(seg)
    assert whole[["start_char", "end_char"]].values.tolist() == [[100, 100 + len(text)]]
    assert whole.iloc[0]["n_matches"] == 2 and whole.iloc[0]["source"] == "auto"
    assert whole.iloc[0]["coder"] == "auto:small-v2"
    sentences = coder.code(seg, unit="sentence")
    spans = [text[s - 100:e - 100] for s, e in zip(sentences["start_char"], sentences["end_char"], strict=True)]
    assert spans == ["ოჯახში ძალადობა ხშირია!", "მეორე აბზაცი: domestic violence."]
    paragraphs = coder.code(seg, unit="paragraph")
    assert [text[s - 100:e - 100] for s, e in zip(paragraphs["start_char"], paragraphs["end_char"], strict=True)] \
        == text.split("\n")
    words = coder.code(seg, unit="match")
    assert [text[s - 100:e - 100] for s, e in zip(words["start_char"], words["end_char"], strict=True)] \
        == ["ოჯახში ძალადობა", "domestic violence"]
    with pytest.raises(ValueError, match="unit"):
        coder.code(seg, unit="page")


def test_sample_codings_point_into_the_documents() -> None:
    t = sample_tables("codings", "documents", "segments")
    docs = t["documents"].set_index("interview_id")["text"]
    auto = t["codings"][t["codings"]["source"] == "auto"]
    seg = t["segments"].set_index("segment_id")
    assert len(auto) > 500 and auto["code_id"].nunique() > 80
    for row in auto.head(200).itertuples():
        assert docs[row.interview_id][row.start_char:row.end_char] == seg.loc[row.segment_id, "text"]
        for word in row.matched_text.split("; "):
            assert word in seg.loc[row.segment_id, "text"]


VOCAB = ["ძალადობა", "ძალადობის", "ოჯახში", "ოჯახშიც", "სტატისტიკა", "მონაცემები", "ონლაინ", "ონლაინკურსი",
         "gender", "statistics", "data", "no", "online", "women's", "violence", "violent", "ქალთა", "ქალი"]
SEPS = [" ", " ", " ", ", ", ". ", " — ", "\n", "-", "’", " [laughter] "]
PATTERN_WORDS = ["ძალადობ*", "ოჯახში", "სტატისტიკ*", "მონაცემებ*", "ონლაინ", "ონლაინ*", "gender", "statistic*",
                 "data", "violen*", "women's", "ქალთა", "ქალ*"]

texts_st = st.lists(st.tuples(st.sampled_from(VOCAB), st.sampled_from(SEPS)), max_size=14).map(
    lambda parts: "".join(w + s for w, s in parts))
pattern_st = st.lists(st.sampled_from(PATTERN_WORDS), min_size=1, max_size=3).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(texts_st, min_size=1, max_size=6),
       codes=st.lists(st.tuples(st.lists(pattern_st, min_size=1, max_size=3), st.lists(pattern_st, max_size=1)),
                      min_size=1, max_size=4))
def test_fast_coder_equals_naive(texts: list[str], codes: list[tuple[list[str], list[str]]]) -> None:
    theme_codes = tuple(Code(f"t.c{i}", "t", {"en": str(i)}, {"ka": tuple(p)}, {"en": tuple(x)} if x else {})
                        for i, (p, x) in enumerate(codes))
    cb = Codebook("t", "1", ["ka", "en"], {}, [Theme("t", {"en": "t"}, "#000000", theme_codes)])
    assert AutoCoder(cb).code_texts(texts) == naive_code(cb, texts)


def test_fast_coder_equals_naive_on_the_sample() -> None:
    t = sample_tables("segments")
    texts = t["segments"]["text"].tolist()
    cb = sample_codebook()
    assert AutoCoder(cb).code_texts(texts) == naive_code(cb, texts)


def test_thousand_pattern_codebook_equals_naive() -> None:
    """Many overlapping stems and words (speed is measured in benchmarks/, not here)."""
    words = [w for t in sample_tables("segments")["segments"]["text"] for w in t.split() if len(w) > 5]
    vocab = sorted({match_text(w).strip().split(" ")[0] for w in words} - {""})[:1000]
    codes = tuple(Code(f"t.c{i}", "t", {"en": str(i)}, {"ka": tuple(f"{w[:-2]}*" if len(w) > 6 else w
                                                                       for w in vocab[i::50])})
                  for i in range(50))
    cb = Codebook("big", "1", ["ka", "en"], {}, [Theme("t", {"en": "t"}, "#000000", codes)])
    assert sum(c.n_patterns for c in cb.codes) >= 900
    texts = sample_tables("segments")["segments"]["text"].tolist()
    found = AutoCoder(cb).code_texts(texts)
    assert len(found) > 100
    assert found == naive_code(cb, texts)


def test_chunked_coding_equals_one_pass(monkeypatch) -> None:
    """Coding in chunks (for memory) gives exactly the codings of a single pass."""
    from gtna_analysis.coding import autocoder as coding

    codebook = load_codebook(Path(__file__).resolve().parents[2] / "data" / "raw" / "codebook.yml")
    texts = ["ოჯახში ძალადობა და გენდერული სტატისტიკა.", "Blended training, two days, in person.",
             "სქესის მიხედვით დაყოფილი მონაცემები არ გვაქვს", "nothing here"] * 7
    segments = pd.DataFrame({"segment_id": [f"S-{i:03d}" for i in range(len(texts))], "interview_id": "I",
                             "agency": "a", "start_char": range(0, 100 * len(texts), 100), "text": texts})
    coder = coding.AutoCoder(codebook)
    whole, whole_texts = coder.code(segments, "sentence"), coder.code_texts(texts)
    monkeypatch.setattr(coding, "CHUNK_SEGMENTS", 3)
    assert coder.code(segments, "sentence").equals(whole)
    assert coder.code_texts(texts) == whole_texts
    assert len(whole) > 0


@pytest.mark.parametrize(("pattern", "text", "expected"), [
    ("ძალადობა", "ძალადობის შემთხვევა", True),                 # dictionary form reaches the genitive
    ("ძალადობა", "ძალადობისგან დაცვა", True),                  # case ending + postposition
    ("მასწავლებელი", "მასწავლებლების გადამზადება", True),       # syncope: the stem changes
    ("ტრენინგი", "ტრენინგებზე ვისაუბროთ", True),               # plural -ებ- + postposition -ზე
    ("თანამშრომელი", "თანამშრომლებისთვის", True),
    ("ოჯახური ძალადობა", "ოჯახურ ძალადობაზეც ვისაუბროთ", True),  # a phrase: both words inflected
    ("ყველასთვის", "ყველა თანამშრომელი", False),                # an inflected pattern word means that form
    ("attended", "we attend every year", False),
    ("inspector", "labour inspectors visit", True),             # English plural
    ("woman", "women in leadership", True),                     # irregular plural
    ("train", "we were trained last year", True),               # verb forms
    ("ქალი", "ქალაქის მერია", False),                           # a different word that starts the same
    ("policy", "police officers", False),
    ("data", "database administrators", False),
])
def test_lemma_matching_reaches_inflected_forms(pattern: str, text: str, expected: bool) -> None:
    assert matches(pattern, text, lemmas=True) is expected


def test_requires_keeps_an_ambiguous_word_only_in_context() -> None:
    code = Code("t.c", "t", {"en": "c"}, {"en": ("inspector*",)}, requires={"en": ("labour", "working condition*")})
    cb = Codebook("t", "1", ["ka", "en"], {}, [Theme("t", {"en": "t"}, "#000000", (code,))])
    texts = ["The police inspector came to the school.", "Labour inspectors check working hours.",
             "Inspectors visit. Working conditions are checked.", "The inspectors check working conditions."]
    assert AutoCoder(cb).code_texts(texts) == naive_code(cb, texts) == {(1, "t.c"), (3, "t.c")}
