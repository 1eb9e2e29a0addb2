"""``letter_model._ngram_counts`` (order-grams plus word tails) equals counting every n-gram of every word."""

from __future__ import annotations

from collections import Counter

import pytest

from gtna_analysis.ingest.letter_model import _END, _START, _ngram_counts


def _every_ngram(words: list[str], order: int) -> Counter[str]:
    pad = _START * (order - 1)
    counts: Counter[str] = Counter()
    for n in range(1, order + 1):
        counts.update(s[i:i + n] for w in words for s in [pad + w + _END] for i in range(len(s) - n + 1))
    return counts


@pytest.mark.parametrize("order", [1, 2, 3, 4, 5])
def test_counts_equal_counting_every_ngram(order):
    words = ["", "a", "ab", "და", "და", "ტრენინგი", "chventvis", "the", "the", "the", "ძალადობისგან"]
    assert _ngram_counts(words, order) == _every_ngram(words, order)
