"""Training preferences from realistic answers (Georgian and English): format, duration in hours, content topics."""

from __future__ import annotations

import pandas as pd
import pytest
from shared_coding import sample_tables

from gtna_analysis.coding.preferences import (
    HOURS_PER_DAY,
    duration_mentions,
    extract_durations,
    extract_preferences,
    segment_format,
)


def hours(text: str) -> list[tuple[float, float]]:
    return [(lo, hi) for lo, hi, _ in extract_durations(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("ორდღიანი, მეტი არა.", [(16, 16)]),
    ("ორ-სამდღიანი ტრენინგი იქნება კარგი.", [(16, 24)]),
    ("ორი-სამი დღე.", [(16, 24)]),
    ("ორიდან სამ დღემდე.", [(16, 24)]),
    ("2-3 days would be enough.", [(16, 24)]),
    ("Two or three hours online, in small pieces.", [(2, 3)]),
    ("4-საათიანი 3 სესია, კვირაში ერთი.", [(12, 12)]),
    ("ოთხსაათიანი სამი სესია.", [(12, 12)]),
    ("ერთდღიანი ან, უკეთესი, ორი სესია ოთხ-ოთხი საათით.", [(8, 8)]),  # both readings are 8 hours: one mention
    ("ორი სესია სამ-სამი საათით.", [(6, 6)]),
    ("Three sessions of four hours each.", [(12, 12)]),
    ("Better to have two half-days a few weeks apart than one long day.", [(8, 8)]),
    ("ორი ნახევარდღიანი სესია.", [(8, 8)]),
    ("The workshop — a half-day.", [(4, 4)]),
    ("მე ნახევარ დღეს ვიტყოდი — ოთხი საათი.", [(4, 4)]),
    ("A day and a half is realistic.", [(12, 12)]),
    ("დღენახევარი საკმარისია.", [(12, 12)]),
    ("For the workshop, two days, so about sixteen hours.", [(16, 16)]),
    ("Maybe two days plus one day a few weeks later.", [(24, 24)]),
    ("ჯერ ორი დღე, მერე, ერთი თვის შემდეგ, კიდევ ერთი დღე.", [(24, 24)]),
    # negated, rejected, conditional, 'within' and rate mentions are not a wanted length
    ("ორ დღეს ვერავინ გამოყოფს, განსაკუთრებით კვარტლის ბოლოს.", []),
    ("სამ დღეს კი ხელმძღვანელობა არ გაგვიშვებს.", []),
    ("A full day is already difficult for us.", []),
    ("ერთ დღეში მხოლოდ შესავალს მოვასწრებთ.", []),
    ("ნახევარი დღე ბევრად ადვილია, ვიდრე სამი დღე.", [(4, 4)]),
    ("One day rather than three days.", [(8, 8)]),
    ("სამი დღე იდეალური იქნებოდა, თუ ერთი დღე პრაქტიკას დაეთმობა.", [(24, 24)]),
    ("An hour a day for two weeks.", []),
    ("იგივე საათები გამოვა, რაც სამდღიანში.", []),
    # bounds are preferences: "no more than two days"
    ("მე ორ დღეზე მეტს ვერ დავთმობ.", [(16, 16)]),
    ("I cannot be away more than two days.", [(16, 16)]),
    ("ორ-სამ საათზე მეტი არა.", [(2, 3)]),
])
def test_durations(text: str, expected: list[tuple[float, float]]) -> None:
    assert hours(text) == [(float(a), float(b)) for a, b in expected]


def test_units_and_parts() -> None:
    assert HOURS_PER_DAY == 8.0
    found = duration_mentions("ონლაინ ნაწილი დაახლოებით ოთხი-ხუთი საათი, პირისპირ კი — ორი დღე.")
    assert [(d.lo, d.hi, d.part) for d in found] == [(4, 5, "online"), (16, 16, "in_person")]
    found = duration_mentions("The online part maybe two or three hours. The workshop — a half-day.")
    assert [(d.lo, d.hi, d.part) for d in found] == [(2, 3, "online"), (4, 4, "in_person")]


@pytest.mark.parametrize(("text", "expected"), [
    ("მე შერეულს ვამჯობინებდი.", "blended"),
    ("ცალსახად პირისპირ. ონლაინ კურსს ჩვენთან არავინ გაივლის, სიმართლე გითხრათ.", "in_person"),
    ("ონლაინ ჩვენ ვერ გავაკეთებთ, ინსპექტორები სულ გასვლებზე არიან. პირისპირ და კონკრეტული დღეები.", "in_person"),
    ("ჩემთვის — პირისპირ. ონლაინ კურსებს ნაკლებად ვენდობი.", "in_person"),
    ("ონლაინ მოდული ყველაზე პრაქტიკულია, რადგან ასობით თანამშრომელს სემინარზე ვერ გაიყვან.", "online"),
    ("ეგ მისაღებია, თუ ონლაინ ნაწილი მოკლე იქნება.", "blended"),
    ("პირისპირ, ინტერაქტიული. ონლაინ ტრენინგი... ინტერნეტი რეგიონებში ყველგან კარგი არ არის.", "in_person"),
    ("Blended, definitely. Only online would not work here.", "blended"),
    ("In person, definitely. I could imagine a small e-learning part for the basics.", "blended"),
    ("For all staff, a short online module would be good, but not the full workshop.", "online"),
    ("A face-to-face workshop is what we need.", "in_person"),
    ("An online workshop would be enough.", "online"),
    ("კარგი იქნებოდა შერეული ჯგუფი, რომ ერთმანეთს გავუგოთ.", None),  # a mixed *group*, not a format
    ("Nobody takes online courses seriously here.", None),
])
def test_formats(text: str, expected: str | None) -> None:
    assert segment_format(text) == expected


def answers(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame([{"interview_id": "X-01", "agency": "moes", "segment_id": f"X-01-{i:03d}",
                          "speaker_id": "P1", "speaker_role": role, "question_id": q, "text": text}
                         for i, (role, q, text) in enumerate(rows, start=1)])


def test_durations_only_from_training_answers() -> None:
    segments = answers([
        ("participant", "Q9", "სამინისტროს წარმომადგენელს ორი საათის მოსმენა არ სჭირდება, ონლაინ მოდული კი კარგია."),
        ("participant", "Q7", "ორდღიანი."),
        ("participant", "Q3", "ორი წლის წინ ერთდღიანი სემინარი გვქონდა."),
        ("interviewer", "Q7", "ორი დღე საკმარისია?"),
    ])
    codings = pd.DataFrame(columns=["segment_id", "interview_id", "agency", "code_id", "theme_id",
                                    "matched_text", "source", "coder"])
    topics = {"Q3": "past_training", "Q7": "training_duration", "Q9": "participants"}
    prefs = extract_preferences(segments, codings, topics)
    assert prefs[["segment_id", "kind"]].values.tolist() == [["X-01-001", "format"], ["X-01-002", "duration"]]
    assert prefs.set_index("kind").loc["duration", "duration_hours"] == 16.0
    assert prefs.set_index("kind").loc["format", "format"] == "online"
    assert list(prefs.columns[:11]) == ["interview_id", "agency", "speaker_id", "segment_id", "kind", "format",
                                        "duration_hours_min", "duration_hours_max", "duration_hours",
                                        "topic_code_id", "evidence"]


def test_topics_count_once_whatever_the_source() -> None:
    segments = answers([("participant", "Q8", "საბაზისო ცნებები და სამართლებრივი ჩარჩო.")])
    row = {"segment_id": "X-01-001", "interview_id": "X-01", "agency": "moes", "theme_id": "training_content"}
    codings = pd.DataFrame([
        {**row, "code_id": "training_content.concepts", "matched_text": "საბაზისო", "source": "auto", "coder": "a"},
        {**row, "code_id": "training_content.concepts", "matched_text": "", "source": "manual", "coder": "nino"},
        {**row, "code_id": "training_content.legal_frame", "matched_text": "", "source": "manual", "coder": "nino"},
        {**row, "code_id": "gbv.referral", "theme_id": "gbv", "matched_text": "x", "source": "auto", "coder": "a"},
    ])
    prefs = extract_preferences(segments, codings, {"Q8": "training_content"})
    topics = prefs[prefs["kind"] == "topic"].set_index("topic_code_id")
    assert sorted(topics.index) == ["training_content.concepts", "training_content.legal_frame"]
    assert topics.loc["training_content.concepts", "evidence"] == "საბაზისო"
    assert topics.loc["training_content.legal_frame", "evidence"] == "manual:nino"
    assert topics.loc["training_content.concepts", "question_id"] == "Q8"


def test_sample_study_preferences() -> None:
    prefs = sample_tables("preferences")["preferences"]
    assert {"format", "duration", "topic"} <= set(prefs["kind"])
    durations = prefs[prefs["kind"] == "duration"]
    assert durations["duration_hours"].between(0.5, 40).all()
    assert (durations["duration_hours_min"] <= durations["duration_hours_max"]).all()
    formats = prefs[prefs["kind"] == "format"]
    assert set(formats["format"]) <= {"in_person", "online", "blended"}
    # GEOSTAT-01-034 (participants question): "ორი საათის მოსმენა არ სჭირდება" is not a duration
    assert "GEOSTAT-01-034" not in set(durations["segment_id"])
    by_segment = durations.groupby("segment_id")["duration_hours"].apply(sorted).to_dict()
    assert by_segment["GEOSTAT-02-020"] == [2.5, 4.0, 8.0]  # online 2-3 h, a half-day, two half-days
    assert by_segment["MOLHSA-01-029"] == [20.0, 24.0]  # 2-3 days, and 2 days + 1 day later
