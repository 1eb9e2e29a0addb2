"""The script detector's numbers, pinned bit for bit: the chat reading and the three word scores of a few hundred
varied Latin words, and the verdict on every test paragraph, as the code of commit 8a42ec3 computed them
(``tests/ingest/data/script_scores_frozen.json``; floats as ``float.hex``).

Why: ``translit._decode``, ``letter_model`` and ``script_detect.score_word`` are rewritten for speed from time to
time (issue #17), and the letter models' tables change their storage; neither may move a single float, because
every verdict is a comparison of these numbers and a paragraph near the margin would flip. Approximate checks
(pytest.approx) would let a reordered sum through; these compare the exact bits.

When the model is changed on purpose (a spelling share, a weight, the training recipe or simplemma's data), write
the file again with ``PYTHONPATH=$PWD python -m tests.ingest.test_script_scores_frozen`` and say why in the commit.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
import yaml

from gtna_analysis.ingest.romanise import transliterate
from gtna_analysis.ingest.script_detect import detect, score_word
from gtna_analysis.ingest.translit import read_chat_word

DATA = Path(__file__).parent / "data"
FROZEN = DATA / "script_scores_frozen.json"
_LATIN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*'?")
# the older scientific romanisation: ejectives marked with an apostrophe (chat typing keeps it or drops it)
_EJECTIVES = {"კ": "k'", "პ": "p'", "ტ": "t'", "ყ": "q'", "წ": "ts'", "ჭ": "ch'"}


def with_apostrophes(form: str) -> str:
    return "".join(_EJECTIVES.get(letter) or transliterate(letter) for letter in form)


def _paragraphs() -> list[str]:
    return [case["text"] for case in yaml.safe_load((DATA / "script_paragraphs.yaml").read_text("utf-8"))]


def _words() -> list[str]:
    """Every Latin word of the test paragraphs, English forms, and chat spellings of Georgian forms (romanised
    with and without apostrophes, some capitalised): the kinds of word the detector weighs."""
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    from gtna_analysis.ingest.romanise import romanisations

    rng = random.Random(17)
    words = set(rng.sample(sorted({w for text in _paragraphs() for w in _LATIN.findall(text)}), 200))
    factory = DefaultDictionaryFactory()
    english = sorted(k for k in factory.get_dictionary("en") if re.fullmatch(r"[A-Za-z']+", k))
    words.update(rng.sample(english, 150))
    georgian = sorted(k for k in factory.get_dictionary("ka") if re.fullmatch(r"[\u10d0-\u10f0]+", k))
    for form in rng.sample(georgian, 100):
        spelled = [transliterate(form), *sorted(romanisations(form, limit=12)), with_apostrophes(form)]
        words.add(spelled[0])
        variant = rng.choice(spelled)
        if rng.random() < 0.2 and len(variant) > 1:  # an apostrophe no spelling explains ("ar'a")
            cut = rng.randrange(1, len(variant))
            variant = f"{variant[:cut]}'{variant[cut:]}"
        words.add(variant.capitalize() if rng.random() < 0.3 else variant)
    return sorted(words)


def _word_record(word: str) -> dict:
    reading, scores = read_chat_word(word), score_word(word)
    return {"georgian": reading.georgian, "chat_logprob": reading.logprob.hex(),
            "scores": [scores.english.hex(), scores.chat.hex(), scores.legacy.hex()]}


def _paragraph_record(text: str) -> dict:
    found = detect(text)
    return {"kind": found.kind, "confident": found.confident, "margin": found.margin.hex(),
            "scores": [[kind, score.hex()] for kind, score in found.scores]}


@pytest.fixture(scope="module")
def frozen() -> dict:
    return json.loads(FROZEN.read_text(encoding="utf-8"))


def test_the_frozen_file_covers_varied_words(frozen: dict) -> None:
    words = frozen["words"]
    assert len(words) >= 300
    assert any("'" in w for w in words) and any(w[0].isupper() for w in words)
    assert any(r["scores"][2] == float("-inf").hex() for r in words.values())  # legacy impossible
    assert any(r["scores"][2] != float("-inf").hex() for r in words.values())


def test_every_word_scores_exactly_as_frozen(frozen: dict) -> None:
    differ = {word: (record, _word_record(word)) for word, record in frozen["words"].items()
              if _word_record(word) != record}
    assert not differ, f"{len(differ)} of {len(frozen['words'])} words score differently, e.g. " \
        f"{next(iter(differ.items()))}"


def test_every_paragraph_is_judged_exactly_as_frozen(frozen: dict) -> None:
    differ = [text for text, record in frozen["paragraphs"].items() if _paragraph_record(text) != record]
    assert not differ, f"{len(differ)} paragraphs judged differently, e.g. {differ[0]!r}"


def write() -> None:
    """Write the frozen file from the code on the path (see the module docstring)."""
    data = {"words": {w: _word_record(w) for w in _words()},
            "paragraphs": {text: _paragraph_record(text) for text in _paragraphs()}}
    FROZEN.write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{FROZEN}: {len(data['words'])} words, {len(data['paragraphs'])} paragraphs")


if __name__ == "__main__":
    write()
