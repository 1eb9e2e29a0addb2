"""Quote excerpts: whole sentences, no leading marker, context for one-line answers, markers in the quote's own
language, enumerations recognised."""

from __future__ import annotations

import pytest

from gtna_analysis.reports.excerpts import excerpt, is_list_like, localise_markers, sentences

ANSWER = ("[laughter] Well. We do collect data. Gender statistics matter a lot for us, because the ministry "
          "reports to parliament every year and [laughter] the tables must be split by sex. That is new for many "
          "colleagues. Nothing else.")


def test_an_excerpt_starts_and_ends_at_sentence_boundaries() -> None:
    start = ANSWER.index("Gender statistics")
    text = excerpt(ANSWER, start, start + 17, "en")
    assert text.startswith("… Gender statistics matter")
    assert text.endswith("split by sex. …")  # whole sentence, and an ellipsis for what follows


def test_a_short_sentence_gets_the_next_one_for_context() -> None:
    answer = "Yes. Violence is the first priority. The police and schools must report every case they see today."
    start = answer.index("Violence")
    text = excerpt(answer, start, start + 8, "en")
    assert text == "… Violence is the first priority. The police and schools must report every case they see today."


def test_leading_and_trailing_markers_are_dropped_and_inner_ones_localised() -> None:
    text = excerpt(ANSWER, 0, 5, "ka")
    assert not text.startswith("[")
    inner = excerpt("[laughter] ჩვენ ვაგროვებთ მონაცემებს [laughter] და ვაანალიზებთ სქესის მიხედვით, ყოველ წელს, "
                    "სამინისტროს ყველა დეპარტამენტში ერთად. [pause]", 0, 10, "ka")
    assert inner == "ჩვენ ვაგროვებთ მონაცემებს [იცინის] და ვაანალიზებთ სქესის მიხედვით, ყოველ წელს, სამინისტროს " \
                    "ყველა დეპარტამენტში ერთად."
    assert localise_markers("a [laughter] b [inaudible]", "en") == "a [laughter] b [inaudible]"
    assert localise_markers("ა [laughter] ბ [inaudible]", "ka") == "ა [იცინის] ბ [გაუგებარია]"


def test_a_long_sentence_is_cut_only_when_it_alone_exceeds_the_limit() -> None:
    long = " ".join(["word"] * 100) + ". Next sentence here."
    text = excerpt(long, 0, 4, "en", max_words=70)
    assert text.endswith(" …") and len(text.split()) == 71


def test_sentences_and_enumerations() -> None:
    assert len(sentences("One. Two! Three? Four…")) == 4
    assert is_list_like("Then the legal frame: the Law on Gender Equality, CEDAW, the Istanbul Convention, the "
                        "domestic violence law.")
    assert not is_list_like("We need training on budgeting, because nobody here has done it before.")


@pytest.mark.parametrize("sentence", [
    "Well, you know, in our ministry, honestly, we need training on budgeting and planning for the coming years.",
    "So, I think, yes, of course, the regional staff should come first, because they meet the citizens.",
    "კარგი, ანუ, მოკლედ, ჩვენთან, ვფიქრობ, ყველაზე მეტად გენდერული ბიუჯეტირების ტრენინგი გვჭირდება.",
    "იცით, მართალი გითხრათ, ალბათ, ორდღიანი ტრენინგი საკმარისი იქნება ჩვენი თანამშრომლებისთვის.",
])
def test_spoken_asides_between_commas_are_not_an_enumeration(sentence: str) -> None:
    assert not is_list_like(sentence)


@pytest.mark.parametrize("sentence", [
    "Well, the topics: gender budgeting, statistics, data analysis, reporting, monitoring.",
    "ანუ, თემები: გენდერული ბიუჯეტირება, სტატისტიკა, ძალადობა, ქვოტები, დისკრიმინაცია.",
    "We covered CEDAW, the Istanbul Convention, quotas, the pay gap, sexual harassment.",
])
def test_an_enumeration_with_an_aside_is_still_an_enumeration(sentence: str) -> None:
    assert is_list_like(sentence)
