"""A synthetic N-pattern codebook drawn from the corpus vocabulary, and the grep floor's pattern file.

Patterns look like the real codebook's: Georgian and English stems with ``*`` (the commonest kind), whole words
and two-word phrases taken from adjacent words of the text, spread over themes of codes, with an exclusion
pattern on every tenth code. Drawn with a seeded RNG from words that occur at least twice, so the patterns do hit
the corpus (a codebook that never matches would flatter any coder).
"""

from __future__ import annotations

import itertools
import random
import re
from collections import Counter
from pathlib import Path

import yaml

from .corpus import DEFAULT_SEED, segment_texts

_WORD = re.compile(r"[^\W\d_]+")
CODES_PER_THEME = 10


def _script(word: str) -> str:
    return "ka" if any("\u10d0" <= ch <= "\u10ff" for ch in word) else "en"


def vocabulary(texts: list[str]) -> tuple[Counter, Counter]:
    words: Counter = Counter()
    bigrams: Counter = Counter()
    for text in texts:
        tokens = _WORD.findall(text.lower())
        words.update(tokens)
        bigrams.update(itertools.pairwise(tokens))
    return words, bigrams


def synthetic_patterns(n: int, seed: int = DEFAULT_SEED, texts: list[str] | None = None) -> list[tuple[str, str]]:
    """``n`` distinct (language, pattern): ~60 % stems with ``*``, ~25 % whole words, ~15 % two-word phrases."""
    texts = texts if texts is not None else segment_texts(10, seed)
    words, bigrams = vocabulary(texts)
    rng = random.Random(seed + 1)
    singles = sorted(w for w, c in words.items() if c >= 2 and len(w) >= 6)
    pairs = sorted((a, b) for (a, b), c in bigrams.items() if c >= 2 and len(a) >= 4 and len(b) >= 4)
    out: dict[str, str] = {}
    while len(out) < n:
        kind = rng.random()
        if kind < 0.15 and pairs:
            a, b = rng.choice(pairs)
            pattern = f"{a} {b[:max(4, len(b) - 2)]}*" if rng.random() < 0.5 else f"{a} {b}"
            lang = _script(a)
        else:
            word = rng.choice(singles)
            pattern = f"{word[:max(4, len(word) - rng.randint(1, 3))]}*" if kind < 0.75 else word
            lang = _script(word)
        out.setdefault(pattern, lang)
    return [(lang, pattern) for pattern, lang in out.items()]


def write_codebook(path: Path, n_patterns: int = 1000, seed: int = DEFAULT_SEED, texts: list[str] | None = None,
                   patterns_per_code: int = 5) -> Path:
    """A valid codebook YAML with ``n_patterns`` include patterns (+ one exclude pattern per ten codes)."""
    patterns = synthetic_patterns(n_patterns, seed, texts)
    rng = random.Random(seed + 2)
    exclusions = synthetic_patterns(n_patterns // patterns_per_code // 10 + 1, seed + 3, texts)
    themes: list[dict] = []
    for codes_total, start in enumerate(range(0, len(patterns), patterns_per_code), 1):
        chunk = patterns[start:start + patterns_per_code]
        theme_no = (codes_total - 1) // CODES_PER_THEME + 1
        if len(themes) < theme_no:
            themes.append({"id": f"t{theme_no:03d}", "label": {"ka": f"თემა {theme_no}", "en": f"Theme {theme_no}"},
                           "codes": []})
        code: dict = {"id": f"t{theme_no:03d}.c{codes_total:04d}",
                      "label": {"ka": f"კოდი {codes_total}", "en": f"Code {codes_total}"},
                      "definition": "Synthetic benchmark code.", "patterns": {}}
        for lang, pattern in chunk:
            code["patterns"].setdefault(lang, []).append(pattern)
        if codes_total % 10 == 0 and exclusions:
            lang, pattern = exclusions[rng.randrange(len(exclusions))]
            code["exclude_patterns"] = {lang: [pattern]}
        themes[-1]["codes"].append(code)
    document = {"codebook": {"id": f"synthetic{n_patterns}", "version": 1, "languages": ["ka", "en"],
                             "title": {"ka": "სინთეტიკური კოდების წიგნი", "en": "Synthetic benchmark codebook"}},
                "themes": themes}
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")
    return path


def grep_patterns(codebook) -> tuple[list[str], int]:
    """The lower-cased literal anchors of every pattern (first word, ``*`` dropped) and how many raw regexes
    there are (grep -F cannot take those; they are left out of the floor)."""
    from gtna_analysis.coding.patterns import compile_pattern

    anchors: set[str] = set()
    raw = 0
    for code in codebook.codes:
        for table in (code.patterns, code.exclude_patterns):
            for items in table.values():
                for pattern in items:
                    compiled = compile_pattern(pattern)
                    if compiled.anchor is None:
                        raw += 1
                    else:
                        anchors.add(compiled.anchor.lower())
    return sorted(anchors), raw
