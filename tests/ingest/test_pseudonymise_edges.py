"""Pseudonymisation beyond the common cases (``ingest.pseudonymise``): the counts the manifest reports, names written
surname first or in Cyrillic, English-word names in Latin headers, one third party across several mentions,
``keep_names``, names hyphenated across lines with stray spaces, and what may be written about participants."""

from __future__ import annotations

from gtna_analysis.ingest.interview import InterviewMeta, Participant
from gtna_analysis.ingest.pseudonymise import (
    Pseudonymiser,
    StudyNames,
    anonymous_participants,
    join_hyphenated_lines,
    name_tokens,
)


def meta(*names: str, roles: tuple[str, ...] = ()) -> InterviewMeta:
    people = [Participant(f"P{i + 1}", name, roles[i] if i < len(roles) else "") for i, name in enumerate(names)]
    return InterviewMeta("MOES-01", "moes", "individual" if len(names) == 1 else "group", "ka", people,
                         interviewer="INT1")


def masked(names: tuple[str, ...], text: str, keep: list[str] | None = None) -> tuple[str, dict[str, int]]:
    pseudonymiser = Pseudonymiser.for_interview(meta(*names), keep_names=keep)
    return pseudonymiser.apply(text), dict(pseudonymiser.counts)


def test_every_phone_and_personal_number_is_counted() -> None:
    text, counts = masked(("ლია ხელაძე",), "დამირეკეთ 555 12 34 56 ან 599 11 22 33, პირადი 01024012345 და 01024012346")
    assert text == "დამირეკეთ [PHONE] ან [PHONE], პირადი [PERSONAL-NO] და [PERSONAL-NO]"
    assert (counts["phone"], counts["personal_number"]) == (2, 2)
    text, counts = masked(("ლია ხელაძე",), "წელს 2018 555 12 34 56 2019 და 2020 599 11 22 33")
    assert text == "წელს 2018 [PHONE] 2019 და 2020 [PHONE]" and counts["phone"] == 2  # years around them stay


def test_tbilisi_number_in_brackets() -> None:
    text, counts = masked(("ლია ხელაძე",), "დამირეკეთ (212 34 56) ნომერზე")
    assert not any(ch.isdigit() for ch in text) and counts["phone"] == 1


def test_name_written_surname_first() -> None:
    """ბერიძე ნინო: ნინო is the given name, so ნინო next to another surname is somebody else (a third party),
    while ნინო alone is the participant."""
    text, counts = masked(("ბერიძე ნინო",), "ნინო მჭედლიძე მოვიდა, ნინომ თქვა")
    assert text == "[PERSON] მოვიდა, [P1] თქვა"
    assert (counts["participant_name"], counts["third_party_name"]) == (1, 1)


def test_a_participant_known_by_one_name_is_masked_next_to_any_surname() -> None:
    """With only a first name in the header nothing says the surname is somebody else's: mask it as hers."""
    assert masked(("ნინო",), "ნინო მჭედლიძე მოვიდა")[0] == "[P1] მჭედლიძე მოვიდა"


def test_english_word_names_in_a_latin_header() -> None:
    text, _ = masked(("Mark Smith",), "Yesterday Mark said we should mark it, and Smith agreed.")
    assert text == "Yesterday [P1] said we should mark it, and [P1] agreed."


def test_cyrillic_and_two_letter_names() -> None:
    assert masked(("Нино Беридзе",), "Вчера Нино сказала, что Беридзе права.")[0] == \
        "Вчера [P1] сказала, что [P1] права."
    assert masked(("ია ბერიძე",), "იამ თქვა, რომ ია მოვა.")[0] == "[P1] თქვა, რომ [P1] მოვა."
    assert name_tokens("ია ბერიძე") == ["ია", "ბერიძე"]


def test_one_third_party_across_mentions() -> None:
    """A given name with a title, then the full name, then title and surname are one person; the same surname with
    another given name is another."""
    text, counts = masked(("ლია ხელაძე",), "ბატონმა ზაალმა თქვა. მერე ზაალ ხარაიშვილმა დაამატა. ბატონი ხარაიშვილი "
                                          "წავიდა. ლევან ხარაიშვილი კი დარჩა.")
    assert text == "ბატონმა [PERSON] თქვა. მერე [PERSON] დაამატა. ბატონი [PERSON] წავიდა. [PERSON-2] კი დარჩა."
    assert counts["third_party_name"] == 4


def test_keep_names_through_for_interview() -> None:
    assert masked(("ლია ხელაძე",), "მინისტრმა თეა წულუკიანმა თქვა", keep=["თეა წულუკიანი"])[0] == \
        "მინისტრმა თეა წულუკიანმა თქვა"
    assert masked(("ლია ხელაძე",), "მინისტრმა თეა წულუკიანმა თქვა")[0] == "მინისტრმა [PERSON] თქვა"


def test_hyphenated_name_with_stray_spaces_is_joined() -> None:
    names = StudyNames([meta("ნინო ბერიძე")])
    lines = ["ინტერვიუერი: კითხვა", "P1: ჩემი კოლეგა ბერი-  ", "  ძეც ამბობდა, რომ", "კარგი-", "ა."]
    assert join_hyphenated_lines(lines, names) == ["ინტერვიუერი: კითხვა", "P1: ჩემი კოლეგა ბერიძეც",
                                                   "ამბობდა, რომ", "კარგი-", "ა."]


def test_what_is_written_about_participants_has_no_names() -> None:
    interview = meta("ნინო ბერიძე", "ლია ხელაძე", roles=("ნინო ბერიძის ასისტენტი", "უფროსი სპეციალისტი"))
    pseudonymiser = Pseudonymiser.for_interview(interview)
    written = anonymous_participants(interview, pseudonymiser)
    assert [(p.id, p.name, p.role) for p in written] == [("P1", "", "[P1] ასისტენტი"),
                                                         ("P2", "", "უფროსი სპეციალისტი")]
