"""Reading chat-style Latin Georgian (``ingest.translit``): the score of a reading is P(spelling | word) times
P(word), exactly — it is the evidence the script detector weighs against English and the legacy table — and a
stray apostrophe, a spelled ejective, long words that need the whole beam, and a word with no reading.

The decoder is called through ``_decode`` as well as ``read_chat_word``: the latter keeps its answers for the
process (``lru_cache``), the former is the search itself."""

from __future__ import annotations

import math

import pytest

from gtna_analysis.ingest.letter_model import georgian_model
from gtna_analysis.ingest.translit import (
    CHAT_SPELLINGS,
    Reading,
    _decode,
    chat_key,
    legacy_to_mkhedruli,
    read_chat_word,
)


def share(letter: str, spelling: str) -> float:
    return math.log(dict(CHAT_SPELLINGS[letter])[spelling])


@pytest.mark.parametrize(("typed", "georgian", "channel"), [
    ("gamarjoba", "გამარჯობა", share("ჯ", "j") + share("ო", "o")),
    ("k'argi", "კარგი", share("კ", "k'") + share("ი", "i")),  # the ejective's apostrophe read with its letter
    ("ar'a", "არა", math.log(0.02)),  # an apostrophe no spelling explains: read as nothing, at a cost
    ("xalxi", "ხალხი", 2 * share("ხ", "x") + share("ი", "i")),
])
def test_a_reading_scores_the_spelling_times_the_word(typed: str, georgian: str, channel: float) -> None:
    for reading in (_decode(chat_key(typed), georgian_model()), read_chat_word(typed)):
        assert reading.georgian == georgian
        assert reading.logprob == pytest.approx(channel + georgian_model().logprob(georgian), abs=1e-9)


@pytest.mark.parametrize(("typed", "georgian"), [
    ("tanasworoba", "თანასწორობა"),
    ("saxelmwifo", "სახელმწიფო"),
    ("ganatlebis", "განათლების"),
    ("saministros", "სამინისტროს"),
    ("chventvis", "ჩვენთვის"),
    ("Q’VELAS", "ყველას"),  # any apostrophe, any case
])
def test_long_chat_words(typed: str, georgian: str) -> None:
    assert _decode(chat_key(typed), georgian_model()).georgian == georgian


def test_a_word_with_no_reading_has_no_probability() -> None:
    assert _decode("''", georgian_model()) == Reading("", -math.inf)
    assert _decode("", georgian_model()) == Reading("", -math.inf)


def test_legacy_font_keys_are_one_letter_each_and_case_matters() -> None:
    assert legacy_to_mkhedruli("saqarTvelo") == "საქართველო"
    assert legacy_to_mkhedruli("Sesabamisad, 2024 wels!") == "შესაბამისად, 2024 წელს!"
