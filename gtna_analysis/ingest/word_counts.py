"""How often words occur in running interview text, Georgian and English: the frequent-word half of the letter
models (letter_model.py).

Why: simplemma's word lists say which forms exist, not how often they are said. Short function words (და, კი,
ასე; the, is, yes) carry most of the evidence in a short answer, and a list treats them like any rare form. The
counts come from the Mkhedruli and English transcripts of the fictional sample studies shipped with the
project (data/raw, data/eval); participant names from the headers (and words starting with their
stems: inflected forms) are left out, and so is every word seen
only once. Regenerate after the samples change:

    python -m gtna_analysis.ingest.word_counts data/raw data/eval
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from functools import cache
from pathlib import Path

COUNTS_FILE = Path(__file__).with_name("data") / "word_counts.tsv"
_GEORGIAN_WORD = re.compile(r"[\u10d0-\u10f0]+")
_ENGLISH_WORD = re.compile(r"[A-Za-z]+")
_LABEL = re.compile(r"^(?:\[[\d:.,]+\]\s*)?[^\s:]{1,30}(?:\s\d{1,2})?\s*:\s")
_MIN_COUNT = 2


@cache
def word_counts(lang: str) -> Counter[str]:
    """Word -> count in the shipped sample transcripts of language ``lang`` (ka | en)."""
    counts: Counter[str] = Counter()
    for line in COUNTS_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            language, word, count = line.split("\t")
            if language == lang:
                counts[word] = int(count)
    return counts


def derive(study_dirs: list[Path]) -> dict[str, Counter[str]]:
    """Count the words of every transcript body under ``<study>/transcripts``, by the header's language."""
    from gtna_analysis.ingest.readers import read_transcript

    counts = {"ka": Counter[str](), "en": Counter[str]()}
    names: set[str] = set()
    for study in study_dirs:
        for path in sorted((study / "transcripts").rglob("*.md")):
            raw = read_transcript(path)
            header = dict(raw.header or {})
            lang = str(header.get("language", "ka"))
            for person in header.get("participants") or []:
                names.update(str(person.get("name", "")).casefold().split())
            for body in raw.body:
                text = _LABEL.sub("", body.text)
                words = _GEORGIAN_WORD.findall(text) if lang == "ka" else \
                    [w.lower() for w in _ENGLISH_WORD.findall(text)]
                counts.setdefault(lang, Counter()).update(words)
    # a name's inflected forms too (მაია → მაიას, მაიამ): drop every word starting with a name's stem
    stems = tuple(n[:-1] if len(n) >= 4 else n for n in names if len(n) >= 3)
    return {lang: Counter({w: c for w, c in found.items() if c >= _MIN_COUNT and not w.casefold().startswith(stems)})
            for lang, found in counts.items()}


def main(argv: list[str]) -> int:
    counts = derive([Path(a) for a in argv])
    lines = ["# language\tword\tcount — derived by gtna_analysis/ingest/word_counts.py from " + " ".join(argv)]
    for lang in sorted(counts):
        lines += [f"{lang}\t{w}\t{c}" for w, c in sorted(counts[lang].items(), key=lambda kv: (-kv[1], kv[0]))]
    COUNTS_FILE.parent.mkdir(exist_ok=True)
    COUNTS_FILE.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{COUNTS_FILE}: " + ", ".join(f"{lang} {len(c)} words" for lang, c in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
