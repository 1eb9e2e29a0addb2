"""Do two code trees judge Latin words and paragraphs identically? (script detection: ``translit``, ``letter_model``,
``script_detect``.)

    python -m benchmarks.script_detect_equivalence <old tree> [<new tree>]   # new tree: this one

Why: a change that only makes the judging faster (or stores the letter models' tables differently) must not move
a single float: every script verdict is a comparison of these numbers, and a paragraph near the margin would flip.
Each tree is run in its own process (``--child``, ``PYTHONPATH`` = the tree) over the same inputs, and the parent
compares, for every word, ``repr`` of ``read_chat_word`` and ``score_word`` (float.hex added, so a difference in
the last bit shows), and for every paragraph ``repr`` of ``detect`` and of ``convert`` to both Georgian kinds.

The words: every Latin word of the test paragraphs (tests/ingest/data/script_paragraphs.yaml), of the sample
study's transcripts and of the test fixtures (tests/**), a sample of simplemma's English forms, and chat-style
spellings of a sample of simplemma's Georgian forms made with the project's own romaniser (national spelling and
its one- or two-letter variants, with and without apostrophes, with random capitals). The paragraphs: the test
paragraphs, the transcripts' lines and sentences made of the sampled words. Fixed seed: the same inputs each run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from gtna_analysis.ingest.romanise import transliterate

# the older scientific romanisation: ejectives marked with an apostrophe (chat typing keeps it or drops it)
_EJECTIVES = {"კ": "k'", "პ": "p'", "ტ": "t'", "ყ": "q'", "წ": "ts'", "ჭ": "ch'"}


def with_apostrophes(form: str) -> str:
    return "".join(_EJECTIVES.get(letter) or transliterate(letter) for letter in form)

ROOT = Path(__file__).resolve().parent.parent
_LATIN = re.compile(r"[A-Za-z]+(?:['’‘`ʼ][A-Za-z]+)*['’‘`ʼ]?")
SEED = 17


def _text_files() -> list[Path]:
    files = sorted((ROOT / "data" / "raw" / "transcripts").rglob("*.md"))
    files += sorted(p for p in (ROOT / "tests").rglob("*") if p.suffix in {".py", ".yaml", ".yml", ".md", ".txt"})
    return files


def build_inputs(english: int = 3000, georgian: int = 2000) -> tuple[list[str], list[str]]:
    """(words, paragraphs) to judge, the same each run."""
    import yaml
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    from gtna_analysis.ingest.romanise import romanisations

    rng = random.Random(SEED)
    cases = yaml.safe_load((ROOT / "tests" / "ingest" / "data" / "script_paragraphs.yaml").read_text("utf-8"))
    paragraphs = [case["text"] for case in cases]
    for path in sorted((ROOT / "data" / "raw" / "transcripts").rglob("*.md")):
        body = path.read_text(encoding="utf-8").split("\n---", 1)[-1]
        paragraphs += [" ".join(line.split()) for line in body.splitlines() if line.strip()]
    words = {w for text in paragraphs for w in _LATIN.findall(text)}
    for path in _text_files():
        words.update(_LATIN.findall(path.read_text(encoding="utf-8", errors="replace")))
    factory = DefaultDictionaryFactory()
    english_forms = sorted(k for k in factory.get_dictionary("en") if re.fullmatch(r"[A-Za-z']+", k))
    words.update(rng.sample(english_forms, english))
    georgian_forms = sorted(k for k in factory.get_dictionary("ka") if re.fullmatch(r"[\u10d0-\u10f0]+", k))
    chat: list[str] = []
    for form in rng.sample(georgian_forms, georgian):
        spelled = [transliterate(form), *sorted(romanisations(form, limit=12)), with_apostrophes(form)]
        for word in (spelled[0], rng.choice(spelled), rng.choice(spelled)):
            if rng.random() < 0.1 and len(word) > 1:  # an apostrophe no spelling explains ("ar'a")
                cut = rng.randrange(1, len(word))
                word = f"{word[:cut]}'{word[cut:]}"
            if rng.random() < 0.15:
                word = word.capitalize()
            elif rng.random() < 0.05:
                i = rng.randrange(len(word))
                word = word[:i] + word[i].upper() + word[i + 1:]
            chat.append(word)
    words.update(chat)
    words = {w for w in words if w}
    pool = sorted(words)
    for _ in range(600):  # sentences of mixed words: chat, English and both
        size = rng.randint(3, 14)
        source = rng.choice((chat, english_forms, pool))
        paragraphs.append(" ".join(rng.choice(source) for _ in range(size)) + rng.choice((".", "?", "", "!")))
    return sorted(words), paragraphs


def _float_hex(value: object) -> str:
    return ",".join(v.hex() for v in vars(value).values() if isinstance(v, float))


def child(inputs: Path) -> int:
    """Judge every word and paragraph with the code on ``PYTHONPATH``; print one JSON line."""
    from gtna_analysis.ingest.script_detect import CHAT_LATIN, LEGACY_FONT, convert, detect, score_word
    from gtna_analysis.ingest.translit import read_chat_word

    data = json.loads(inputs.read_text(encoding="utf-8"))
    out = {"words": [], "paragraphs": []}
    for word in data["words"]:
        reading, scores = read_chat_word(word), score_word(word)
        out["words"].append(f"{reading!r} {_float_hex(reading)} {scores!r} {_float_hex(scores)}")
    for text in data["paragraphs"]:
        found = detect(text)
        out["paragraphs"].append(" ".join([repr(found), repr(convert(text, CHAT_LATIN)),
                                           repr(convert(text, LEGACY_FONT))]))
    print(json.dumps(out, ensure_ascii=False))
    return 0


def run_tree(tree: Path, inputs: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", str(inputs)], env=env,
                          cwd=tree, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path, nargs="?")
    parser.add_argument("new", type=Path, nargs="?", default=ROOT)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child)
    if args.old is None:
        parser.error("the old tree is required")
    words, paragraphs = build_inputs()
    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / "inputs.json"
        inputs.write_text(json.dumps({"words": words, "paragraphs": paragraphs}, ensure_ascii=False), "utf-8")
        old, new = run_tree(args.old, inputs), run_tree(args.new, inputs)
    differ = 0
    for kind, items in (("words", words), ("paragraphs", paragraphs)):
        bad = [(item, a, b) for item, a, b in zip(items, old[kind], new[kind], strict=True) if a != b]
        differ += len(bad)
        print(f"{kind}: {len(items)} compared, {len(bad)} differ")
        for item, a, b in bad[:10]:
            print(f"  {item!r}\n    old: {a}\n    new: {b}")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
