"""The letter model's probabilities (``ingest.letter_model``) worked out by hand on a one-word corpus: Witten-Bell
interpolation down to add-one unigrams, the word's end, unseen histories, the word list and the running-text counts
mixed in as the module docstring's formula says; and the two shipped models (order, alphabet, lists).

Why by hand: every script decision (English, chat Latin, legacy font) is a comparison of these numbers, so a
wrong count or weight would shift every verdict without failing a test that only checks verdicts."""

from __future__ import annotations

import math

import pytest

from gtna_analysis.ingest.letter_model import _END, LetterModel, english_model, georgian_model

# "ab" padded is ^ab$ (order 2): unigrams ^ a b $ once each (4), bigrams ^a ab b$; the vocabulary is the
# alphabet (a, b) plus the end symbol, 3. Unigram P(x) = (count + 1) / (4 + 3).
P1_SEEN = 2 / 7
# A seen history with one follower (total 1, distinct 1): P = (count(hx) + 1 * P1(x)) / (1 + 1).
P_FOLLOWS = (1 + P1_SEEN) / 2  # 9/14
P_UNSEEN_PAIR = P1_SEEN / 2  # 1/7


@pytest.fixture
def tiny() -> LetterModel:
    return LetterModel(["ab"], order=2, alphabet_size=2)


def test_witten_bell_by_hand(tiny: LetterModel) -> None:
    assert math.exp(tiny.next_logprob("", "a")) == pytest.approx(P_FOLLOWS)  # after the start symbol
    assert math.exp(tiny.next_logprob("a", "b")) == pytest.approx(P_FOLLOWS)
    assert math.exp(tiny.next_logprob("b", _END)) == pytest.approx(P_FOLLOWS)
    assert math.exp(tiny.next_logprob("a", "a")) == pytest.approx(P_UNSEEN_PAIR)
    assert math.exp(tiny.next_logprob("", "b")) == pytest.approx(P_UNSEEN_PAIR)
    assert math.exp(tiny.next_logprob("z", "a")) == pytest.approx(P1_SEEN)  # an unseen history: the unigram
    assert math.exp(tiny.next_logprob("z", "q")) == pytest.approx(1 / 7)  # an unseen letter: add-one
    assert tiny.next_logprob("zzzza", "b") == tiny.next_logprob("a", "b")  # only the last order-1 letters count


def test_words_and_their_end(tiny: LetterModel) -> None:
    assert tiny.ngram_logprob("ab") == pytest.approx(3 * math.log(P_FOLLOWS))
    assert tiny.ngram_logprob("ba") == pytest.approx(3 * math.log(P_UNSEEN_PAIR))
    assert tiny.end_logprob("ab") == pytest.approx(math.log(P_FOLLOWS))
    assert tiny.end_logprob("aa") == pytest.approx(math.log(P_UNSEEN_PAIR))
    assert tiny.logprob("ab") == pytest.approx(tiny.ngram_logprob("ab"))  # no list, no counts: n-grams alone


def test_a_unigram_model() -> None:
    model = LetterModel(["ab"], order=1, alphabet_size=2)  # a b $ once each, vocabulary 3
    assert math.exp(model.next_logprob("ab", "a")) == pytest.approx(2 / 6)
    assert model.ngram_logprob("ab") == pytest.approx(3 * math.log(2 / 6))


def test_the_word_list_and_the_counts_are_mixed_in() -> None:
    listed = LetterModel(["ab"], order=2, alphabet_size=2, listed=lambda w: w == "ab", list_size=10)
    ngram_ab, ngram_ba = P_FOLLOWS ** 3, P_UNSEEN_PAIR ** 3
    assert listed.logprob("ab") == pytest.approx(math.log(0.7 / 10 + 0.3 * ngram_ab))
    assert listed.logprob("ba") == pytest.approx(math.log(0.3 * ngram_ba))
    counted = LetterModel(["ab"], order=2, alphabet_size=2, listed=lambda w: w == "ab", list_size=10,
                          frequent={"ab": 3, "b": 1})
    assert counted.logprob("ab") == pytest.approx(math.log(0.4 * 3 / 4 + 0.6 * (0.07 + 0.3 * ngram_ab)))
    assert counted.logprob("ba") == pytest.approx(math.log(0.6 * 0.3 * ngram_ba))
    # mix() takes an n-gram score with channel costs already added (translit's decoder)
    assert counted.mix("ab", math.log(0.5)) == pytest.approx(math.log(0.3 + 0.6 * (0.07 + 0.3 * 0.5)))


def test_the_shipped_models() -> None:
    georgian, english = georgian_model(), english_model()
    assert georgian.order == english.order == 4
    assert georgian.listed("და") and not georgian.listed("დაა")
    assert english.listed("the") and english.listed("tbilisi") and english.listed("monday")  # capitalised forms
    assert not english.listed("qqq")
    # a frequent short word beats a listed long one, which beats letters no word has
    assert georgian.logprob("და") > georgian.logprob("ტრენინგი") > georgian.logprob("ხხხხ") + 40
    assert english.logprob("the") > english.logprob("training") > english.logprob("xqzv")
    assert georgian.logprob("ტრენინგი") > english.logprob("ტრენინგი") + 20  # each model knows its own alphabet
