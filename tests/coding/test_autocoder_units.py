"""The auto-coder's table row by row, on codebooks small enough to spell out every cell.

The other coder tests compare the fast coder with ``naive_code`` and with each pattern's own regex; what both
coders share (the coding unit of a row, sentence splits, exclusions and context applied to the *rows*, the
matched text, the coder name, the compiled-coder cache) needs answers written out by hand. Each table here is
what a researcher reads in the codings sheet: the span a coding covers in the interview, the words that made it,
and whether the speaker wanted the thing or rejected it.
"""

from __future__ import annotations

import dataclasses
import pickle
from collections import OrderedDict

import ahocorasick
import pandas as pd
import pytest

from gtna_analysis.coding import autocoder
from gtna_analysis.coding.autocoder import AutoCoder, naive_code, sentence_bounds
from gtna_analysis.coding.codebook import Code, Codebook, Theme
from gtna_analysis.schema import CODING_COLUMNS


def codebook(*codes: Code, sha256: str = "") -> Codebook:
    return Codebook("units", "7", ["ka", "en"], {}, [Theme("t", {"en": "T"}, "#000000", codes)], sha256=sha256)


def segments(texts: list[str]) -> pd.DataFrame:
    """One interview, segment ``i`` starting at character ``1000 * i`` of it."""
    return pd.DataFrame({"segment_id": [f"S-{i}" for i in range(len(texts))], "interview_id": "I-1",
                         "agency": "moes", "start_char": [1000 * i for i in range(len(texts))], "text": texts})


def rows(table: pd.DataFrame) -> list[tuple]:
    """(segment, code, theme, start, end, matched text, n matches, polarity) of every row, in table order."""
    return list(table[["segment_id", "code_id", "theme_id", "start_char", "end_char", "matched_text", "n_matches",
                       "polarity"]].itertuples(index=False, name=None))


ONLINE_DATA = codebook(
    Code("t.online", "t", {"en": "Online"}, {"en": ("online",), "ka": ("ონლაინ*",)}),
    Code("t.data", "t", {"en": "Data"}, {"en": ("data",)}, {"en": ("no data",)}),
)
TEXTS = ["We want online training.\nOnline, online! No data here; data exist.",
         "ონლაინ ტრენინგი არ გვინდა. ONLINE is fine?",
         "No data.",
         "nothing to code"]


def test_segment_rows_name_the_codes_words_and_counts() -> None:
    table = AutoCoder(ONLINE_DATA).code(segments(TEXTS))
    assert list(table.columns) == CODING_COLUMNS
    assert rows(table) == [
        # one row per segment and code; matched words once each, in text order; every match counted
        ("S-0", "t.online", "t", 0, 66, "online; Online", 3, "stated"),
        ("S-0", "t.data", "t", 0, 66, "data", 1, "stated"),  # "no data" cancels only its own sentence
        ("S-1", "t.online", "t", 1000, 1042, "ონლაინ; ONLINE", 2, "stated"),
    ]  # S-2: its only match is cancelled; S-3: nothing
    assert set(table["source"]) == {"auto"} and set(table["coder"]) == {"auto:units-v7"}
    assert list(table["interview_id"]) == ["I-1"] * 3 and list(table["agency"]) == ["moes"] * 3
    assert table.index.equals(pd.RangeIndex(3))


def test_paragraph_rows_end_at_line_breaks() -> None:
    table = AutoCoder(ONLINE_DATA).code(segments(TEXTS), unit="paragraph")
    assert rows(table) == [
        ("S-0", "t.online", "t", 0, 24, "online", 1, "stated"),
        ("S-0", "t.online", "t", 25, 66, "Online; online", 2, "stated"),
        ("S-0", "t.data", "t", 25, 66, "data", 1, "stated"),
        ("S-1", "t.online", "t", 1000, 1042, "ონლაინ; ONLINE", 2, "stated"),
    ]


def test_sentence_rows_and_the_polarity_of_each_sentence() -> None:
    table = AutoCoder(ONLINE_DATA).code(segments(TEXTS), unit="sentence")
    assert rows(table) == [
        ("S-0", "t.online", "t", 0, 24, "online", 1, "stated"),
        ("S-0", "t.online", "t", 25, 40, "Online; online", 2, "stated"),
        ("S-0", "t.data", "t", 55, 66, "data", 1, "stated"),  # the space after ";" is not part of the sentence
        ("S-1", "t.online", "t", 1000, 1026, "ონლაინ", 1, "rejected"),  # "… არ გვინდა": not wanted
        ("S-1", "t.online", "t", 1027, 1042, "ONLINE", 1, "stated"),
    ]
    whole = AutoCoder(ONLINE_DATA).code(segments(TEXTS[1:2]))
    assert rows(whole) == [("S-0", "t.online", "t", 0, 42, "ონლაინ; ONLINE", 2, "stated")]  # one stated mention


def test_match_rows_are_the_words() -> None:
    table = AutoCoder(ONLINE_DATA).code(segments(TEXTS), unit="match")
    assert rows(table) == [
        ("S-0", "t.online", "t", 8, 14, "online", 1, "stated"),
        ("S-0", "t.online", "t", 25, 31, "Online", 1, "stated"),
        ("S-0", "t.online", "t", 33, 39, "online", 1, "stated"),
        ("S-0", "t.data", "t", 55, 59, "data", 1, "stated"),
        ("S-1", "t.online", "t", 1000, 1006, "ონლაინ", 1, "rejected"),
        ("S-1", "t.online", "t", 1027, 1033, "ONLINE", 1, "stated"),
    ]


def test_sentence_spans_are_trimmed_and_hold_a_phrase_that_runs_past_the_full_stop() -> None:
    cb = codebook(Code("t.sex", "t", {"en": "s"}, {"en": ("data sex",)}),
                  Code("t.online", "t", {"en": "o"}, {"en": ("online",)}))
    texts = ["we lack data. Sex is not recorded", "online training \n  more online  \n"]
    assert rows(AutoCoder(cb).code(segments(texts), unit="sentence")) == [
        ("S-0", "t.sex", "t", 0, 17, "data. Sex", 1, "rejected"),  # the sentence ends at "data.", the match later
        ("S-1", "t.online", "t", 1000, 1015, "online", 1, "stated"),  # " \n" after "training" trimmed
        ("S-1", "t.online", "t", 1019, 1030, "online", 1, "stated"),  # leading and trailing blanks trimmed
    ]
    one_blank = rows(AutoCoder(cb).code(segments(["online yes\nno"]), unit="sentence"))
    assert one_blank == [("S-0", "t.online", "t", 0, 10, "online", 1, "stated")]  # the line break trimmed
    assert rows(AutoCoder(cb).code(segments(texts), unit="paragraph"))[1:] == [
        ("S-1", "t.online", "t", 1000, 1016, "online", 1, "stated"),
        ("S-1", "t.online", "t", 1017, 1032, "online", 1, "stated"),
    ]


def test_inflected_matches_cover_the_whole_word_and_exclusions_stay_on_the_surface() -> None:
    cb = codebook(Code("t.v", "t", {"en": "v"}, {"ka": ("ძალადობ*",)}, {"ka": ("ოჯახში ძალადობა",)}),
                  Code("t.w", "t", {"en": "w"}, {"ka": ("ძალადობა",)}))
    texts = ["ოჯახში ძალადობის შემთხვევა. ოჯახში ძალადობა არ არის", "ძალადობისგან დაცვა"]
    assert rows(AutoCoder(cb).code(segments(texts), unit="match")) == [
        # the exclusion names one surface form: it cancels "ოჯახში ძალადობა", not the genitive "ოჯახში ძალადობის"
        ("S-0", "t.v", "t", 7, 16, "ძალადობის", 1, "stated"),
        # the dictionary form reaches the genitive through the stem text, and the row ends where the word ends
        ("S-0", "t.w", "t", 7, 16, "ძალადობის", 1, "stated"),
        ("S-0", "t.w", "t", 35, 43, "ძალადობა", 1, "rejected"),
        ("S-1", "t.v", "t", 1000, 1012, "ძალადობისგან", 1, "stated"),
        ("S-1", "t.w", "t", 1000, 1012, "ძალადობისგან", 1, "stated"),
    ]
    surface = rows(AutoCoder(cb, lemmas=False).code(segments(texts), unit="match"))
    assert [(r[0], r[1], r[3]) for r in surface] == [("S-0", "t.v", 7), ("S-0", "t.w", 35), ("S-1", "t.v", 1000)]
    # the reference coder: lemmas by default, exclusions on the surface only there too
    assert naive_code(cb, texts) == {(0, "t.v"), (0, "t.w"), (1, "t.v"), (1, "t.w")}
    assert naive_code(cb, texts, lemmas=False) == {(0, "t.v"), (0, "t.w"), (1, "t.v")}
    # an exclusion in its dictionary form cancels that form only, not the inflected ones, in both coders
    dictionary = codebook(Code("t.x", "t", {"en": "x"}, {"ka": ("ძალადობ*",)}, {"ka": ("ძალადობა",)}))
    others = ["ძალადობის შემთხვევა", "ძალადობა არ არის"]
    assert AutoCoder(dictionary).code_texts(others) == naive_code(dictionary, others) == {(0, "t.x")}


def test_context_keeps_only_the_sentences_that_have_it() -> None:
    cb = codebook(Code("t.platform", "t", {"en": "p"}, {"en": ("platform",)}, requires={"en": ("online*",)}),
                  Code("t.data", "t", {"en": "d"}, {"en": ("data",)}))
    texts = ["A platform. The platform is online; data too.", "A platform and data.", "Onlineness of a platform."]
    assert rows(AutoCoder(cb).code(segments(texts), unit="sentence")) == [
        ("S-0", "t.platform", "t", 12, 35, "platform", 1, "stated"),
        ("S-0", "t.data", "t", 36, 45, "data", 1, "stated"),
        ("S-1", "t.data", "t", 1000, 1020, "data", 1, "stated"),  # a platform without its context: no row
        ("S-2", "t.platform", "t", 2000, 2025, "platform", 1, "stated"),
    ]
    assert rows(AutoCoder(cb).code(segments(texts)))[0] == ("S-0", "t.platform", "t", 0, 45, "platform", 1, "stated")


def test_context_and_exclusions_together_in_every_segment() -> None:
    """A segment without any code needing context must not end the context check of the segments after it."""
    cb = codebook(Code("t.platform", "t", {"en": "p"}, {"en": ("platform",)}, {"en": ("platform shoes",)},
                       requires={"en": ("online*",)}),
                  Code("t.data", "t", {"en": "d"}, {"en": ("data",)}))
    texts = ["Only data here.", "A platform alone.", "Platform shoes online. A platform online.",
             "Platform shoes online."]
    expected = {(0, "t.data"), (2, "t.platform")}
    assert AutoCoder(cb).code_texts(texts) == naive_code(cb, texts) == expected
    assert rows(AutoCoder(cb).code(segments(texts), unit="sentence")) == [
        ("S-0", "t.data", "t", 0, 15, "data", 1, "stated"),
        ("S-2", "t.platform", "t", 2023, 2041, "platform", 1, "stated"),  # the excluded sentence is not the row
    ]


def test_an_exclusion_without_its_codes_match_does_not_end_the_check_of_later_segments() -> None:
    cb = codebook(Code("t.a", "t", {"en": "a"}, {"en": ("statistics",)}, {"en": ("no data",)}),
                  Code("t.b", "t", {"en": "b"}, {"en": ("online",)}))
    texts = ["no data, only online", "no data and no statistics", "statistics. no data"]
    assert AutoCoder(cb).code_texts(texts) == naive_code(cb, texts) == {(0, "t.b"), (2, "t.a")}


def test_a_raw_regex_matching_only_empty_strings_codes_nothing() -> None:
    cb = codebook(Code("t.a", "t", {"en": "a"}, {"en": ("re:\\b",)}))
    texts = ["data and more", "no data"]
    assert AutoCoder(cb).code_texts(texts) == naive_code(cb, texts) == set()
    assert len(AutoCoder(cb).code(segments(texts))) == 0


def test_compiled_coders_keep_the_languages_and_lemmas_asked_for(fresh_cache: OrderedDict) -> None:
    in_memory = codebook(Code("t.w", "t", {"en": "w"}, {"ka": ("ძალადობა",), "en": ("online",)}))
    texts = ["ძალადობის შემთხვევა", "ონლაინ online"]
    for cb in (in_memory, dataclasses.replace(in_memory, sha256="hash-w")):  # never cached, and cached
        assert AutoCoder.for_codebook(cb).code_texts(texts) == {(0, "t.w"), (1, "t.w")}
        assert AutoCoder.for_codebook(cb, lemmas=False).code_texts(texts) == {(1, "t.w")}  # the genitive: lemmas
        assert AutoCoder.for_codebook(cb, languages=("ka",)).code_texts(texts) == {(0, "t.w")}
    assert len(fresh_cache) == 3


def test_a_paragraph_starts_after_a_line_break_at_the_very_start() -> None:
    cb = codebook(Code("t.o", "t", {"en": "o"}, {"en": ("online",)}))
    assert rows(AutoCoder(cb).code(segments(["\nonline\n", "x\n\nonline"]), unit="paragraph")) == [
        ("S-0", "t.o", "t", 1, 7, "online", 1, "stated"), ("S-1", "t.o", "t", 1003, 1009, "online", 1, "stated")]


def test_languages_restrict_the_patterns_used() -> None:
    texts = ["ონლაინ და online"]
    english = AutoCoder(ONLINE_DATA, languages=("en",)).code(segments(texts), unit="match")
    georgian = AutoCoder(ONLINE_DATA, languages=("ka",)).code(segments(texts), unit="match")
    assert list(english["matched_text"]) == ["online"] and list(georgian["matched_text"]) == ["ონლაინ"]


def test_no_rows_and_an_unknown_unit() -> None:
    empty = AutoCoder(ONLINE_DATA).code(segments(["nothing", "to code"]))
    assert list(empty.columns) == CODING_COLUMNS and len(empty) == 0
    assert {c: str(empty[c].dtype) for c in ("start_char", "end_char", "n_matches")} == dict.fromkeys(
        ("start_char", "end_char", "n_matches"), "int64")
    assert len(AutoCoder(ONLINE_DATA).code(segments([]))) == 0
    with pytest.raises(ValueError, match=r"unit must be one of \('segment', 'paragraph', 'sentence', 'match'\)"):
        AutoCoder(ONLINE_DATA).code(segments(TEXTS), unit="word")


def test_sentence_bounds() -> None:
    assert sentence_bounds("A. B! C? D։ E… F; G\nH 3.5 x.y end.") == [0, 2, 5, 8, 11, 14, 17, 20]
    assert sentence_bounds("Wait... what?! Yes") == [0, 7, 14]
    assert sentence_bounds("One.") == [0] and sentence_bounds("") == [0]
    assert sentence_bounds("line\n\nnext") == [0, 5, 6]


@pytest.fixture
def fresh_cache(monkeypatch: pytest.MonkeyPatch) -> OrderedDict:
    cache: OrderedDict = OrderedDict()
    monkeypatch.setattr(autocoder, "_COMPILED", cache)
    return cache


def test_the_compiled_coder_cache_keeps_the_four_last_used(fresh_cache: OrderedDict) -> None:
    books = [dataclasses.replace(ONLINE_DATA, sha256=f"hash-{i}") for i in range(6)]
    first = [AutoCoder.for_codebook(b) for b in books[:4]]
    assert AutoCoder.for_codebook(books[0]) is first[0]  # used again: now the most recent
    AutoCoder.for_codebook(books[4])  # a fifth codebook pushes out the least recently used (books[1])
    assert len(fresh_cache) == 4
    assert AutoCoder.compiled(books[1]) is None
    assert AutoCoder.compiled(books[0]) is first[0] and AutoCoder.compiled(books[2]) is first[2]
    assert AutoCoder.for_codebook(books[1]) is not first[1]
    assert AutoCoder.compiled(books[5]) is None  # never compiled
    assert AutoCoder.compiled(ONLINE_DATA) is None  # no file hash: never cached


def test_compiled_is_only_the_default_configuration(fresh_cache: OrderedDict) -> None:
    book = dataclasses.replace(ONLINE_DATA, sha256="hash-x")
    english = AutoCoder.for_codebook(book, languages=("en",))
    surface = AutoCoder.for_codebook(book, lemmas=False)
    assert AutoCoder.compiled(book) is None
    assert AutoCoder.for_codebook(book, languages=("en",)) is english and english is not surface
    default = AutoCoder.for_codebook(book)
    assert AutoCoder.compiled(book) is default
    texts = ["ონლაინ and online"]
    assert list(english.code(segments(texts), unit="match")["matched_text"]) == ["online"]


def test_remember_keeps_a_coder_of_the_same_codebook_only(fresh_cache: OrderedDict) -> None:
    book, other = (dataclasses.replace(ONLINE_DATA, sha256=h) for h in ("hash-a", "hash-b"))
    loaded = pickle.loads(pickle.dumps(AutoCoder(book)))
    AutoCoder.remember(other, loaded)  # a cached coder of another codebook version is not this one's
    assert AutoCoder.compiled(other) is None
    AutoCoder.remember(book, loaded)
    assert AutoCoder.compiled(book) is loaded and AutoCoder.for_codebook(book) is loaded
    AutoCoder.remember(ONLINE_DATA, AutoCoder(ONLINE_DATA))  # no hash: nothing to key it by
    assert len(fresh_cache) == 1
    for i in range(5):
        extra = dataclasses.replace(ONLINE_DATA, sha256=f"hash-{i}")
        AutoCoder.remember(extra, AutoCoder(extra))
    assert len(fresh_cache) == 4 and AutoCoder.compiled(book) is None


def test_a_pickled_coder_codes_the_same_and_its_automata_store_value_indexes() -> None:
    """The build cache keeps the compiled coder pickled; its automata hold integers (indexes into ``_values``),
    which pickle as a flat buffer instead of one pickled object per key."""
    coder = AutoCoder(ONLINE_DATA)
    loaded = pickle.loads(pickle.dumps(coder))
    for one in (coder, loaded, coder._stem, loaded._stem):
        assert one.automaton.store == ahocorasick.STORE_INTS
        assert sorted(index for _key, index in one.automaton.items()) == list(range(len(one._values)))
    assert dict(loaded.automaton.items()) == dict(coder.automaton.items()) != {}
    assert [pickle.loads(v) for v in loaded._values] == coder._values
    assert rows(loaded.code(segments(TEXTS), unit="match")) == rows(coder.code(segments(TEXTS), unit="match"))
    assert loaded.code_texts(TEXTS) == coder.code_texts(TEXTS) == {(0, "t.online"), (0, "t.data"), (1, "t.online")}


def test_an_unpickled_coder_unpickles_its_parts_only_when_they_are_used() -> None:
    """Loading the compiled coder from the build cache must be cheap: the literal rules stay one blob until
    ``rules`` is asked for, and a key's value is unpickled at the key's first hit; both give the originals."""
    coder = AutoCoder(ONLINE_DATA)
    loaded = pickle.loads(pickle.dumps(coder))
    assert loaded._rules is None and isinstance(loaded._literal_rules, bytes)
    assert all(isinstance(v, bytes) for v in loaded._values)
    assert loaded.code_texts(["online"]) == {(0, "t.online")}
    hit = {index for key, index in loaded.automaton.items() if key == " online "}
    assert hit and all(isinstance(loaded._values[i], tuple) == (i in hit) for i in range(len(loaded._values)))
    assert loaded._rules is None  # coding needed no literal rule
    assert loaded.rules == coder.rules and loaded.n_rules == len(coder.rules)
    again = pickle.loads(pickle.dumps(loaded))  # a coder loaded from the cache is cached again as it came
    assert again.rules == coder.rules and [pickle.loads(v) for v in again._values] == coder._values


def test_long_and_short_scans_find_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long text is scanned with the automaton that holds its values (built once, not pickled), a short one
    with the integer automaton and values unpickled at their first hit: the same codings either way."""
    coder = pickle.loads(pickle.dumps(AutoCoder(ONLINE_DATA)))
    short = rows(coder.code(segments(TEXTS), unit="match"))
    assert "_direct" not in coder.__dict__
    monkeypatch.setattr(autocoder, "DIRECT_SCAN", 0)
    fresh = AutoCoder(ONLINE_DATA)
    assert rows(fresh.code(segments(TEXTS), unit="match")) == short
    assert rows(coder.code(segments(TEXTS), unit="match")) == short and "_direct" in coder.__dict__
    assert "_direct" not in pickle.loads(pickle.dumps(coder)).__dict__  # never pickled
