"""Polarity of a mention, sentence by sentence: (sentence, the mention, expected polarity)."""

from __future__ import annotations

import pytest

from gtna_analysis.coding.polarity import HYPOTHETICAL, REJECTED, STATED, classify, combine

S, R, H = STATED, REJECTED, HYPOTHETICAL

CASES = [
    # --- English: stated
    ("We need training on gender-sensitive budgeting.", "budgeting", S),
    ("In person is best for us, definitely.", "In person", S),
    ("The most important thing is practical cases.", "practical cases", S),
    ("I'm not against online, it saves travel.", "online", S),
    ("I have nothing against an online part.", "online", S),
    ("Not only the law, but also practical cases.", "practical cases", S),
    ("Nobody said no to practical exercises, they are what works.", "practical exercises", S),
    ("It's not that we don't need the law module, we do.", "law module", S),
    # --- English: rejected
    ("We don't need another lecture on the law.", "lecture", R),
    ("Not online again, please.", "online", R),
    ("Online is not an option for our staff.", "Online", R),
    ("Rather than online, we want people in one room.", "online", R),
    ("Instead of a lecture, give us exercises.", "lecture", R),
    ("A lecture? No, that doesn't work here.", "lecture", R),
    ("Two days would be a luxury for this department.", "Two days", R),
    ("We are tired of presentations about concepts.", "presentations", R),
    ("Webinars are useless for this audience.", "Webinars", R),
    ("Not online but in person.", "online", R),
    ("Not online but in person.", "in person", S),
    ("Online doesn't work with our internet.", "Online", R),
    ("Enough of the theory, we know the concepts.", "theory", R),
    # --- English: hypothetical
    ("If it were online, maybe two hours would do.", "online", H),
    ("Maybe a short e-course could be added later.", "e-course", H),
    ("It could be blended, I don't know.", "blended", H),
    ("If it's in person we want it in Tbilisi, we need that.", "in person", S),
    # --- Georgian: stated
    ("ჩვენთვის პირისპირ ტრენინგი სჯობს.", "პირისპირ", S),
    ("ონლაინის წინააღმდეგი არ ვარ, დროს ზოგავს.", "ონლაინ", S),
    ("პრაქტიკული მაგალითები აუცილებლად უნდა იყოს.", "პრაქტიკული მაგალითები", S),
    ("გვჭირდება ტრენინგი გენდერულ ბიუჯეტირებაზე.", "ბიუჯეტირებაზე", S),
    ("ვერ ვიტყვი, რომ კანონი ყველამ იცის, ამიტომ კანონზეც ვისაუბროთ.", "კანონზეც", S),
    ("ლექციები კი არა, პრაქტიკა გვინდა.", "პრაქტიკა", S),
    ("ონლაინ არა, ოღონდ პირისპირ ერთი დღე.", "პირისპირ", S),
    # --- Georgian: rejected
    ("ონლაინ ტრენინგი არ გვჭირდება.", "ონლაინ", R),
    ("ონლაინ არა, ოღონდ პირისპირ ერთი დღე.", "ონლაინ", R),
    ("ლექციები კი არა, პრაქტიკა გვინდა.", "ლექციები", R),
    ("ლექციის ნაცვლად სავარჯიშოები გვირჩევნია.", "ლექციის", R),
    ("კანონზე კიდევ ერთი ლექცია ზედმეტია.", "ლექცია", R),
    ("ონლაინ კურსები აღარ გვინდა.", "ონლაინ", R),
    ("ორი დღე ვერ გამოვყოფთ, ეს შეუძლებელია.", "ორი დღე", R),
    ("ვებინარები უაზრობაა ჩვენი თანამშრომლებისთვის.", "ვებინარები", R),
    ("ონლაინის წინააღმდეგი ვარ.", "ონლაინ", R),
    ("ნურც ონლაინ კურსს შემოგვთავაზებთ.", "ონლაინ", R),
    # --- Georgian: hypothetical
    ("თუ ონლაინ იქნება, მაშინ ორი საათი.", "ონლაინ", H),
    ("შეიძლება შერეული ფორმატიც, არ ვიცი.", "შერეული", H),
    ("ონლაინ რომ ყოფილიყო, იქნებ უფრო მეტი დაესწრებოდა.", "ონლაინ", H),
    ("იქნებ ვიდეოებიც დაემატოს.", "ვიდეოებიც", H),
    ("ონლაინ? არა, ჩვენთან ინტერნეტი ცუდია.", "ონლაინ", R),
    ("ლექცია — არა, გთხოვთ, მუხლები ზეპირად ვიცით.", "ლექცია", R),
    ("დიდი დარბაზი, სლაიდები — არა, მადლობა.", "სლაიდები", R),
    ("ეს — კი, სემინარი ღირს.", "სემინარი", S),
    ("ერთი დღე ცოტაა, ეს უკვე გამოვცადეთ.", "ერთი დღე", R),
    ("მთელი დღით ვერავინ გაგიშვებს.", "მთელი დღით", R),
    ("One day is too short for this.", "One day", R),
]


@pytest.mark.parametrize(("sentence", "mention", "expected"), CASES, ids=[f"{i:02d}" for i in range(len(CASES))])
def test_polarity(sentence: str, mention: str, expected: str) -> None:
    start = sentence.index(mention)
    assert classify(sentence, start, start + len(mention)) == expected


def test_enough_cases_in_both_languages() -> None:
    georgian = [c for c in CASES if any("\u10d0" <= ch <= "\u10ff" for ch in c[0])]
    assert len(CASES) >= 40 and len(georgian) >= 18 and len(CASES) - len(georgian) >= 18
    assert {c[2] for c in georgian} == {S, R, H} == {c[2] for c in CASES if c not in georgian}


def test_a_stated_mention_wins_over_a_rejected_one() -> None:
    assert combine([R, S]) == S and combine([R, H]) == H and combine([R]) == R and combine([]) == S
