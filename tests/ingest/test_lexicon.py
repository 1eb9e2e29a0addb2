"""The build cache's copy of simplemma's dictionaries (ingest/lexicon.py): the same verdicts and lemmas as plain
simplemma, a copy tied to simplemma's version and data, damaged copies ignored and rewritten, nothing but
simplemma's data in it, and a rebuild after a transcript edit that decodes no dictionary."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import simplemma
from conftest import MINI_CODEBOOK, copy_sample_study
from simplemma.strategies.dictionaries import DEFAULT_DICTIONARY_FACTORY

from gtna_analysis.atomic import current_generation
from gtna_analysis.build import build, write_outputs
from gtna_analysis.ingest import lexicon, names
from gtna_analysis.ingest.lexicon import FlatDictionary, Lexicon, decode, encode, file_name

# Hand-picked words: dictionary forms, inflected forms (case endings, postpositions, plurals, syncope), place
# names, surnames and given names (unknown or known), capitalised and apostrophe forms.
GEORGIAN = ["ქართული", "ქართულის", "ქუთაისი", "ქუთაისში", "მასწავლებელი", "მასწავლებლის", "მასწავლებლებისთვის",
            "ტრენინგი", "ტრენინგებზე", "ძალადობა", "ძალადობისგან", "თანამშრომლებისთვის", "სამინისტროს",
            "გენდერული", "თანასწორობის", "ბერიძე", "ბერიძის", "ჟვანია", "ნინო", "ნინოსთან", "ზურაბმა",
            "ვეთანხმები", "აღნიშნა", "ქალბატონი", "ხოლმე", "და"]
ENGLISH = ["women", "Women", "woman", "went", "training", "trainings", "attended", "children", "Tbilisi",
           "tbilisi", "Beridze", "may", "May", "grace", "don't", "ministry", "ministries", "gender", "equality",
           "Smith", "the", "xyzzyq"]


def _sample(lang: str, step: int) -> list[str]:
    """Every ``step``-th word simplemma knows, and near misses of them (one letter more or less, other case)."""
    words = list(DEFAULT_DICTIONARY_FACTORY.get_dictionary(lang))[::step]
    near = [w + ("ს" if lang == "ka" else "s") for w in words] + [w[:-1] for w in words if len(w) > 1]
    return words + near + [w.capitalize() for w in words] + [w.upper() for w in words]


def install(monkeypatch: pytest.MonkeyPatch, lex: Lexicon) -> None:
    """Make ``lex`` the ``Lexicon`` that ``is_known``, ``lemmatize`` and ``build`` use, with empty memos."""
    monkeypatch.setattr(lexicon, "LEXICON", lex)
    monkeypatch.setattr("gtna_analysis.build.LEXICON", lex)
    monkeypatch.setattr(lexicon, "_LOOKUP", lexicon.DictionaryLookupStrategy(lex))
    monkeypatch.setattr(lexicon, "_LEMMATIZER", simplemma.Lemmatizer(
        lemmatization_strategy=lexicon.DefaultStrategy(dictionary_factory=lex)))
    names._known.cache_clear()


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[Lexicon]:
    """A ``Lexicon`` with nothing loaded, in use for the test (see ``install``)."""
    lex = Lexicon()
    install(monkeypatch, lex)
    yield lex
    names._known.cache_clear()


def _copy_in(directory: Path, lang: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / file_name(lang)
    path.write_bytes(encode(lang, DEFAULT_DICTIONARY_FACTORY.get_dictionary(lang)))
    return path


@pytest.mark.parametrize(("lang", "words"), [("ka", GEORGIAN), ("en", ENGLISH)])
def test_same_verdicts_and_lemmas_as_plain_simplemma(lang: str, words: list[str], tmp_path: Path,
                                                     fresh: Lexicon) -> None:
    _copy_in(tmp_path, lang)
    sample = words + _sample(lang, 997)
    with fresh.reading_from(tmp_path):
        assert isinstance(fresh.get_dictionary(lang), FlatDictionary)  # the copy answers, not simplemma
        known = [lexicon.is_known(w, lang) for w in sample]
        lemmas = [lexicon.lemmatize(w, lang) for w in sample]
    assert known == [simplemma.is_known(w, lang=lang) for w in sample]
    assert lemmas == [simplemma.lemmatize(w, lang=lang) for w in sample]
    assert any(known) and not all(known)  # the sample holds known words and unknown ones
    assert lexicon.is_known(words[0], lang) and not lexicon.is_known(words[-1] + "ქქქ", lang)


def test_the_copy_is_the_whole_dictionary(tmp_path: Path) -> None:
    """Every key with its value, in both directions, and the Mapping protocol."""
    original = DEFAULT_DICTIONARY_FACTORY.get_dictionary("en")
    copy = decode("en", encode("en", original))
    assert len(copy) == len(original) and sorted(copy) == sorted(original)
    assert all(copy.get(k) == original.get(k) for k in list(original)[::5])
    first = next(iter(original))
    assert first in copy and copy[first] == original[first] and "not-a-word-zzz" not in copy
    with pytest.raises(KeyError):
        copy["not-a-word-zzz"]


def test_the_copy_is_a_function_of_simplemma_alone(tmp_path: Path) -> None:
    """Same bytes from the str facade as from simplemma's bytes dict, and every time: no study, no order, no
    process state enters it (a build's copy is compared with this in test_a_rebuild_decodes_no_dictionary)."""
    mapping = DEFAULT_DICTIONARY_FACTORY.get_dictionary("en")
    as_str = {k: mapping[k] for k in reversed(list(mapping))}  # another order, str keys (the public fallback)
    assert encode("en", mapping) == encode("en", as_str) == encode("en", mapping)


def test_another_simplemma_version_or_data_means_another_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              fresh: Lexicon) -> None:
    old = _copy_in(tmp_path, "en")
    raw = old.read_bytes()
    lexicon.fingerprint.cache_clear()
    monkeypatch.setattr(simplemma, "__version__", "999.0")
    try:
        assert file_name("en") != old.name
        with pytest.raises(ValueError, match="another simplemma"):
            decode("en", raw)
        with fresh.reading_from(tmp_path):
            assert not isinstance(fresh.get_dictionary("en"), FlatDictionary)
        fresh.save(tmp_path)
        assert not old.exists() and (tmp_path / file_name("en")).is_file()  # the stale copy is removed
    finally:
        lexicon.fingerprint.cache_clear()
    monkeypatch.undo()
    # the same version with other data: the data file's bytes are part of the key
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(lexicon._DATA / "en.plzma", data / "en.plzma")
    monkeypatch.setattr(lexicon, "_DATA", data)
    lexicon.fingerprint.cache_clear()
    try:
        same = file_name("en")
        with (data / "en.plzma").open("ab") as f:
            f.write(b"\0")
        lexicon.fingerprint.cache_clear()
        assert file_name("en") != same
    finally:
        lexicon.fingerprint.cache_clear()


@pytest.mark.parametrize("damage", ["truncate", "flip_key_byte", "flip_last_byte", "header", "empty", "append"])
def test_a_damaged_copy_is_ignored_and_written_again(damage: str, tmp_path: Path, fresh: Lexicon) -> None:
    path = _copy_in(tmp_path, "en")
    good = path.read_bytes()
    bad = bytearray(good)
    body = good.index(b"\n", len(lexicon.MAGIC)) + 1
    if damage == "truncate":
        bad = bad[:len(bad) // 2]
    elif damage == "flip_key_byte":  # a letter of a key, inside the keys blob
        sizes = json.loads(good[len(lexicon.MAGIC):body - 1])["sizes"]
        bad[body + sizes["key_ends"] + sizes["value_ends"] + sizes["value_of"] + 1000] ^= 0x20
    elif damage == "flip_last_byte":
        bad[-1] ^= 0x01
    elif damage == "header":
        bad[body - 5] = ord("#")
    elif damage == "empty":
        bad = bytearray()
    else:
        bad += b"\0"
    path.write_bytes(bytes(bad))
    with pytest.raises(ValueError):
        decode("en", bytes(bad))
    with fresh.reading_from(tmp_path):
        assert not isinstance(fresh.get_dictionary("en"), FlatDictionary)  # simplemma's own, decoded
        assert [lexicon.is_known(w, "en") for w in ENGLISH] == [simplemma.is_known(w, lang="en") for w in ENGLISH]
    fresh.save(tmp_path)
    assert path.read_bytes() == good


def test_an_unwritable_cache_is_no_error(tmp_path: Path, fresh: Lexicon) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    fresh.get_dictionary("en")
    fresh.save(blocker / "cache")  # cannot create the folder: nothing written, nothing raised


def test_a_rebuild_decodes_no_dictionary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: Lexicon) -> None:
    """First build: copies written, byte-identical to ones made from simplemma alone (no participant text).
    Then, in a process that has loaded nothing, a rebuild after a transcript edit reads the copies and never
    asks simplemma to decode, and writes the same bytes as a build without cache."""
    study = copy_sample_study(tmp_path / "raw", codebook=MINI_CODEBOOK)
    out = tmp_path / "processed"
    write_outputs(build(study, cache_dir=out / ".cache"), out)
    copies = sorted((out / ".cache").glob("*.lexicon"))
    assert [p.name for p in copies] == sorted(file_name(lang) for lang in ("ka", "en"))
    for path in copies:
        lang = path.name.split("-")[1]
        assert path.read_bytes() == encode(lang, DEFAULT_DICTIONARY_FACTORY.get_dictionary(lang))

    changed = study / "transcripts" / "moes" / "MOES-03.md"
    changed.write_text(changed.read_text(encoding="utf-8").replace(
        "ასეთ შემთხვევაში რა ხდება?", "ასეთ შემთხვევაში რა ხდება ხოლმე, ბატონო ზურაბ?"), encoding="utf-8")

    class NoDecoding:
        def get_dictionary(self, lang: str) -> None:
            raise AssertionError(f"simplemma's {lang} dictionary decoded")

    rebuilt = Lexicon()  # as in a new process: nothing loaded
    install(monkeypatch, rebuilt)
    monkeypatch.setattr(lexicon, "DEFAULT_DICTIONARY_FACTORY", NoDecoding())
    warm = build(study, cache_dir=out / ".cache")
    assert warm.reread == ["moes/MOES-03.md"]
    assert isinstance(rebuilt.get_dictionary("ka"), FlatDictionary)
    write_outputs(warm, out)
    monkeypatch.undo()
    names._known.cache_clear()
    fresh_out = write_outputs(build(study), tmp_path / "fresh")

    def published(folder: Path) -> dict[str, str]:
        generation = current_generation(folder)
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in generation.iterdir() if p.is_file()}

    assert published(out) == published(fresh_out)


def test_a_given_name_spelled_as_an_english_word_is_no_name() -> None:
    """``GivenNames.latin_name`` asks whether a spelling is an English word when it is looked up (not for all
    ~2,000 spellings of the list up front): the answer must be the one the list used to be filtered by."""
    given = names.given_names()
    spellings = sorted(given.latin)
    english = [s for s in spellings if names.known_english(s)]
    assert {"marina", "davit", "sofia", "tea"} <= set(english)  # known English words: no names
    assert len(english) < len(spellings) // 10
    for spelling in spellings:
        found = given.latin_name(spelling.capitalize())
        assert (found is None) == (spelling in english), spelling
    assert given.latin_name("Marinas") is None and given.latin_name("Giorgis") == "გიორგი"


def test_a_copy_is_checked_in_full_once_then_trusted_until_it_changes(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Each process maps the copy; the CRC over all of it runs when a process first meets the file in its present
    state. A copy damaged afterwards (rewritten: its modification time changes) is checked again and refused."""
    path = _copy_in(tmp_path, "en")
    crcs: list[int] = []
    real_crc = lexicon.zlib.crc32

    def counted_crc(data) -> int:
        crcs.append(len(data))
        return real_crc(data)

    monkeypatch.setattr(lexicon.zlib, "crc32", counted_crc)
    verdicts = [simplemma.is_known(w, lang="en") for w in ENGLISH]
    for process in range(3):
        lex = Lexicon()
        install(monkeypatch, lex)
        with lex.reading_from(tmp_path):
            mapping = lex.get_dictionary("en")
            assert isinstance(mapping, FlatDictionary) and not isinstance(mapping.raw, bytes)  # mapped, not read
            assert [lexicon.is_known(w, "en") for w in ENGLISH] == verdicts
        assert len(crcs) == 1, f"process {process}"
    bad = bytearray(path.read_bytes())
    bad[-1] ^= 0x01
    path.write_bytes(bytes(bad))
    lex = Lexicon()
    install(monkeypatch, lex)
    with lex.reading_from(tmp_path):
        assert not isinstance(lex.get_dictionary("en"), FlatDictionary)
    assert len(crcs) == 2
    names._known.cache_clear()


def test_a_mapped_copy_answers_as_the_bytes_do(tmp_path: Path) -> None:
    path = _copy_in(tmp_path, "ka")
    lex = Lexicon()
    with lex.reading_from(tmp_path):
        mapped = lex.get_dictionary("ka")
    read = decode("ka", path.read_bytes())
    assert isinstance(mapped, FlatDictionary) and len(mapped) == len(read)
    for word in [*GEORGIAN, "", "ა", "ჰ" * 40]:
        assert mapped.get(word) == read.get(word) == DEFAULT_DICTIONARY_FACTORY.get_dictionary("ka").get(word)
    assert list(mapped)[::5000] == list(read)[::5000]
    lex.save(tmp_path / "other")  # the mapped file is written to another folder as it is
    assert (tmp_path / "other" / path.name).read_bytes() == path.read_bytes()
