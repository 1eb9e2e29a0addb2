"""One cold measurement of script detection (the comparisons in ``benchmarks/measured/script-detect-speed.md``).

Run with ``PYTHONPATH`` set to the code tree to measure (this worktree, or an export of an older commit):

    PYTHONPATH=<tree> python benchmarks/script_detect_child.py <transcript.md> <cache folder>

Why a fresh process per measurement: a rebuild starts with empty caches (``read_chat_word``, ``score_word``, the
models' n-gram caches), and that first pass over the words is what issue #17 pays for. The models and the
lexicon are loaded first, outside the timed part, from the cache folder a build would use (the flat lexicon copy
is written there on the first run): what is timed is ``detect`` over the paragraphs as ``clean_paragraph`` hands
them to it, plus ``convert`` for the ones it converts. Prints one ``BENCH-RESULT`` JSON line (CPU seconds).
"""

from __future__ import annotations

import json
import sys
import time
import unicodedata
from pathlib import Path


def paragraphs(path: Path) -> list[str]:
    """The transcript body's non-empty lines, as ``clean_paragraph`` passes them to ``detect``."""
    from gtna_analysis.ingest.turns import spoken_part

    body = path.read_text(encoding="utf-8").split("\n---", 1)[-1]
    lines = [" ".join(unicodedata.normalize("NFC", line).split()) for line in body.splitlines()]
    return [spoken_part(line) for line in lines if line]


def main(transcript: str, cache: str) -> int:
    from gtna_analysis.ingest import script_detect
    from gtna_analysis.ingest.letter_counts import LETTER_COUNTS
    from gtna_analysis.ingest.letter_model import english_model, georgian_model
    from gtna_analysis.ingest.lexicon import LEXICON

    texts = paragraphs(Path(transcript))
    with LEXICON.reading_from(cache), LETTER_COUNTS.reading_from(cache):
        for model in (georgian_model(), english_model()):
            model.listed("x")  # maps the lexicon copy: loading, not judging
        LEXICON.save(cache)
        start = time.process_time()
        detections = [script_detect.detect(text) for text in texts]
        for text, found in zip(texts, detections, strict=True):
            if found.converts:
                script_detect.convert(text, found.kind)
        cpu = time.process_time() - start
    words = {w for text in texts for w, _ in script_detect.latin_words(text)}
    print("BENCH-RESULT " + json.dumps({"cpu_s": cpu, "paragraphs": len(texts), "distinct_words": len(words),
                                        "detections": [repr(d) for d in detections]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
