"""Narrative phrasing: number agreement in both languages, escaping, thin-evidence warnings."""

from __future__ import annotations

from gtna_analysis.reports import narrative


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


def test_templates_escape_user_text() -> None:
    class Ctx:
        lang = "en"
    html = narrative.render("report/quotes.html.j2", ctx=Ctx(), blocks=[
        {"label": "<b>x</b>", "color": "#000", "quotes": [
            {"quote": "<script>alert(1)</script>", "speaker": "I-1, P1", "question_id": "Q1"}]}])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
