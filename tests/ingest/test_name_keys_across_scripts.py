"""One key per name in both scripts (``names.canonical``): a name written in Mkhedruli in one place and in Latin
letters in another, or in another case form, is one person — for ``keep_names`` and for numbering third parties.

The Georgian side cuts a word at its longest case ending, which also takes a stem's own final -ა or -ო
(შენგელ-ია, ნინ-ო) while the Latin spelling keeps it (Shengelia, Nino): before the fix a ``keep_names`` entry in
one script did not keep the name in the other, and one person written in both scripts got two numbers."""

from __future__ import annotations

import pytest

from gtna_analysis.ingest.names import KeepNames, canonical, third_party_mentions
from tests.ingest.test_pseudonymise_edges import masked


@pytest.mark.parametrize(("forms", "key"), [
    # -ია surnames: nominative, genitive/dative, ergative, instrumental, with a postposition, particles, copula
    (("შენგელია", "შენგელიას", "შენგელიამ", "შენგელიათი", "შენგელიასთან", "შენგელიაც", "შენგელიაა",
      "Shengelia", "Schengelia", "Shengelia's"), "shengel"),
    (("ჟვანია", "ჟვანიას", "ჟვანიამ", "Zhvania", "Jvania"), "jvan"),
    # -ავა and -უა surnames
    (("ბოკუჩავა", "ბოკუჩავას", "ბოკუჩავამ", "Bokuchava"), "bokuchav"),
    (("ხუხუა", "ხუხუას", "ხუხუამ", "Khukhua"), "xuxu"),
    # -ო and -ა given names of the shipped list: keyed by their listed nominative, so Nino and Nina stay apart
    (("ნინო", "ნინოს", "ნინომ", "ნინოსთან", "ნინოც", "ნინოა", "ნინოო", "Nino", "Nino's"), "nino"),
    (("ნინა", "ნინას", "ნინამ", "Nina"), "nina"),
    # a consonant-stem given name: vocative, copula and ergative in Georgian, with and without -i in Latin
    (("ზურაბი", "ზურაბმა", "ზურაბის", "ზურაბო", "ზურაბია", "Zurab", "Zurabi", "Zurab's"), "zurab"),
    # -ე and -ი surnames, truncating (ბერიძ-ის), with the copula, and a Latin possessive after a vowel
    (("ბერიძე", "ბერიძის", "ბერიძეს", "ბერიძემ", "ბერიძეა", "ბერიძით", "Beridze", "Beridse", "Beridze's"),
     "beridz"),
    (("გელაშვილი", "გელაშვილის", "გელაშვილმა", "გელაშვილია", "Gelashvili", "Gelashvili's"), "gelashvil"),
    (("ჩიქოვანი", "ჩიქოვანის", "ჩიქოვანმა", "ჩიქოვანია", "Chikovani", "Ch'ikovani"), "chikovan"),
])
def test_every_form_in_both_scripts_has_one_key(forms: tuple[str, ...], key: str) -> None:
    assert {form: canonical(form) for form in forms} == dict.fromkeys(forms, key)


def test_listed_given_names_that_differ_in_their_last_vowel_keep_different_keys() -> None:
    """Only words that are not listed given names lose a final -a/-o: ნინო and ნინა are two people."""
    assert canonical("Nino") != canonical("Nina")
    assert canonical("ნინოს") != canonical("ნინას")


def test_a_three_letter_word_keeps_its_last_letters() -> None:
    assert canonical("ლია") == canonical("ლიაც") == canonical("Lia") == "lia"
    assert canonical("Ana") == "ana" and canonical("Eko") == "eko"  # no -a/-o cut below four letters


@pytest.mark.parametrize(("keep", "text"), [
    (["Tamar Shengelia"], "მინისტრმა თამარ შენგელიამ თქვა"),
    (["თამარ შენგელია"], "Minister Tamar Shengelia said so"),
    (["Nino Gabunia"], "ნინო გაბუნიასთან ვისაუბრე"),
    (["ნინო გაბუნია"], "I spoke with Nino Gabunia's deputy"),
])
def test_keep_names_in_one_script_keeps_the_name_in_the_other(keep: list[str], text: str) -> None:
    assert masked(("ლია ხელაძე",), text, keep=keep)[0] == text
    assert "[PERSON]" in masked(("ლია ხელაძე",), text)[0]  # and without the entry it is masked


def test_keep_names_does_not_keep_another_name_with_another_last_vowel() -> None:
    mention = third_party_mentions("ნინა გაბუნიამ თქვა")[0]
    assert not KeepNames(["Nino Gabunia"]).keeps(mention)
    assert KeepNames(["Nina Gabunia"]).keeps(mention)


def test_a_third_party_written_in_both_scripts_has_one_number() -> None:
    text, counts = masked(("ლია ხელაძე",), "თამარ შენგელიამ თქვა, რომ Tamar Shengelia მოვა. ნინო ხუხუა კი არა, "
                                          "Nino Khukhua's team.")
    assert text == "[PERSON] თქვა, რომ [PERSON] მოვა. [PERSON-2] კი არა, [PERSON-2] team."
    assert counts["third_party_name"] == 4


@pytest.mark.xfail(strict=True, reason="names.georgian_surname refuses words simplemma's Georgian dictionary knows, "
                                       "and it knows some surnames (ჟვანია, ბოკუჩავა, ჯიქია): found while writing "
                                       "these tests, not fixed here (detection, not keys)")
def test_a_surname_that_is_also_a_dictionary_word_is_a_third_party() -> None:
    assert [m.words for m in third_party_mentions("ნინო ჟვანიამ თქვა")] == [("ნინო", "ჟვანიამ")]
