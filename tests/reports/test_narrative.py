"""Narrative phrasing: number agreement in both languages, escaping, thin-evidence warnings."""

from __future__ import annotations

from gtna_analysis.reports import narrative, translations


def test_english_plural_agreement() -> None:
    assert narrative.count(1, "interview", "en") == "1 interview"
    assert narrative.count(5, "interview", "en") == "5 interviews"
    assert narrative.count(0, "participant", "en") == "0 participants"


def test_georgian_noun_stays_singular_after_numerals_and_takes_the_case() -> None:
    assert narrative.count(1, "participant", "ka", "erg") == "1 რესპონდენტმა"
    assert narrative.count(7, "participant", "ka", "erg") == "7 რესპონდენტმა"       # never რესპონდენტებმა
    assert narrative.count(5, "interview", "ka", "loc") == "5 ინტერვიუში"
    assert narrative.count(12, "agency", "ka", "gen") == "12 უწყების"   # not უწყებების


def test_percent_and_hours() -> None:
    assert narrative.pct(0.5) == "50%"
    assert narrative.hours(16.0, "en") == "16 hours"
    assert narrative.hours(1.0, "en") == "1 hour"
    assert narrative.hours(12.5, "ka") == "12,5 საათი"  # Georgian writes a decimal comma
    assert narrative.num(2.5, "ka") == "2,5" and narrative.num(2.5, "en") == "2.5" and narrative.num(3.0, "ka") == "3"
    assert narrative.days(12.0) == "1.5"


def test_and_list() -> None:
    assert narrative.and_list(["a", "b", "c"], "en") == "a, b and c"
    assert narrative.and_list(["ა", "ბ"], "ka") == "ა და ბ"
    assert narrative.and_list([], "ka") == "" and narrative.and_list(["ა"], "ka") == "ა"


def test_lists_stay_unambiguous_when_labels_hold_the_conjunction_or_commas() -> None:
    ka = narrative.and_list(["სტერეოტიპები და დამოკიდებულებები", "ძალადობა"], "ka")
    assert ka == "„სტერეოტიპები და დამოკიდებულებები“ და „ძალადობა“"
    en = narrative.and_list(["Labour, health and social sector issues", "Gender statistics"], "en")
    assert en == "“Labour, health and social sector issues” and “Gender statistics”"


def test_list_notes_stay_outside_the_quotation_marks() -> None:
    ka = narrative.and_list(["სტერეოტიპები და დამოკიდებულებები", "ძალადობა"], "ka", [" (2/3)", ""])
    assert ka == "„სტერეოტიპები და დამოკიდებულებები“ (2/3) და „ძალადობა“"
    en = narrative.and_list(["Legal frame", "Basic concepts"], "en", [" (MoES, Geostat)", " (online part: 1)"])
    assert en == "Legal frame (MoES, Geostat) and Basic concepts (online part: 1)"  # a note's comma quotes nothing


def test_counts_out_of_a_total_and_working_days() -> None:
    assert narrative.pct_of(5, 5, "ka") == "5 ინტერვიუდან 5-ში"
    assert narrative.pct_of(1, 3, "en") == "1 of 3 interviews"
    assert narrative.workdays(8.0, "en") == "≈ 1 working day of 8 hours"           # not "1 days"
    assert narrative.workdays(19.8, "en") == "≈ 2.5 working days of 8 hours"
    assert narrative.workdays(19.8, "ka") == "≈ 2,5 რვასაათიანი სამუშაო დღე"       # decimal comma, the 8-hour day kept
    assert narrative.source_label("auto", "ka") == "ავტომატური" and narrative.source_label("manual", "en") == "manual"


def test_templates_escape_user_text() -> None:
    class Ctx:
        lang = "en"
    quote = translations.annotate({"quote": "<script>alert(1)</script>", "speaker": "I-1, P1", "question_id": "Q1",
                                   "language": "en"}, "en", translations.EMPTY)
    html = narrative.render("report/quotes.html.j2", ctx=Ctx(), blocks=[
        {"label": "<b>x</b>", "color": "#000", "quotes": [quote]}])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
