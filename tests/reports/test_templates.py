"""Every report template rendered with edge values — 0, 1, 2 and many; ties; missing data — in both languages,
and the text read the way a reader would: no 'None' or 'nan', English plurals agree ('1 day', never '1 days'),
Georgian keeps the noun singular after a numeral, writes a decimal comma and holds no stray English."""

from __future__ import annotations

import itertools
import re
from types import SimpleNamespace

import lxml.html
import pandas as pd
import pytest

from gtna_analysis.reports import narrative, translations
from gtna_analysis.reports.analysis import Programme, Recommendation

COUNTS = (0, 1, 2, 12)
AGENCY = {"ka": "განათლება", "en": "MoES"}
LABELS = ["სტერეოტიპები და დამოკიდებულებები", "Gender statistics", "Labour, health and social sector issues"]
# Latin that may appear in a Georgian report: ids, codes, units and the statistic's name
ALLOWED_LATIN = {"GTNA", "sha", "gtna", "workbench", "Unicode", "NFC", "Q1", "Q8", "P1", "P2", "MOES", "Legal",
                 "Gender", "statistics", "Labour", "health", "and", "social", "sector", "issues", "UTC"}


def _ctx(lang: str, agency: str | None = "moes") -> SimpleNamespace:
    return SimpleNamespace(lang=lang, agency=agency, generated_at="2026-01-01 00:00 UTC")


def _text(html: str) -> str:
    """The text a reader sees: block elements separated by a space, whitespace collapsed."""
    html = re.sub(r"(</(?:p|td|th|dt|dd|li|h\d|footer|div|blockquote|tr)>|<br>)", r"\1 ", html or "<p></p>")
    return " ".join(lxml.html.fragment_fromstring(html, create_parent="div").text_content().split())


def _check(text: str, lang: str) -> None:
    assert text, "empty output"
    for bad in ("None", "nan", "{{", "{%", " .", " ,", "..", ",,", "; ;"):
        assert bad not in text.replace("…", ""), (bad, text)
    if lang == "en":
        assert not re.search(r"\b1 (interviews|participants|agencies|hours|days|working days)\b", text), text
        assert not re.search(r"\b1 (of them add|participant want) ", text), text  # the verb agrees too
        assert "1 of the 1 " not in text, text
        assert not re.search(r"\b([02-9]|\d\d+) (interview|participant|agency|hour|day)\b(?! of)", text), text
    else:
        assert not re.search(r"\d\.\d", re.sub(r"workbench [\d.]+|\d{4}-\d\d-\d\d", "", text)), text  # decimal comma
        assert not re.search(r"\d+ \w+(ებ)(ი|მა|ს|ის|ში|იდან)\b", text), text  # singular after numerals
        latin = set(re.findall(r"[A-Za-z]{2,}", text)) - ALLOWED_LATIN
        assert not latin, (latin, text)


def _render(name: str, lang: str, **kw) -> str:
    return _text(str(narrative.render(f"report/{name}.html.j2", **kw)))


@pytest.mark.parametrize("lang", ["ka", "en"])
@pytest.mark.parametrize("n", COUNTS)
def test_profile_priorities_breakdown(lang: str, n: int) -> None:
    prof = {"interviews": {"total": n, "group": min(n, 1), "individual": max(n - 1, 0)},
            "participants": {"total": n * 2}, "level": {"senior": n} if n else {}, "gender": {"female": n} if n else {}}
    _check(_render("profile", lang, ctx=_ctx(lang), prof=prof, per_agency=[(AGENCY[lang], prof)] if n else [],
                   thin=n <= 3), lang)
    prev = pd.DataFrame({"label": LABELS, "interviews": [n, n, max(n - 1, 0)], "participants": [n, n, 0],
                         "share_interviews": [1.0 if n else 0.0] * 3})  # a tie at the top
    text = _render("priorities", lang, ctx=_ctx(lang), prev=prev, n=n, thin=n <= 3, asked="Q1", question="რა?")
    _check(text, lang)
    if n:
        assert ("თანაბრად" in text) if lang == "ka" else ("Equally often" in text), text  # ties shown as ties
    _check(_render("breakdown", lang, ctx=_ctx(lang, None), smallest=n), lang)


def _contrast_rows(k: int) -> list[dict]:
    return [{"label": LABELS[i % 3], "share": 0.75, "share_others": 0.125} for i in range(k)]


@pytest.mark.parametrize("lang", ["ka", "en"])
@pytest.mark.parametrize(("agencies", "more", "less", "marked"),
                         [(1, 0, 0, 0), (2, 0, 0, 0), (3, 1, 0, 1), (5, 2, 1, 12)])
def test_position(lang: str, agencies: int, more: int, less: int, marked: int) -> None:
    for agency in ("moes", None):
        _check(_render("position", lang, ctx=_ctx(lang, agency), more=_contrast_rows(more),
                       less=_contrast_rows(less), marked=marked, n_agencies=agencies, asked="Q1"), lang)


def _recommendation(n: int, hours: float | None, tied: bool, from_designs: bool) -> Recommendation:
    counts = {"in_person": n, "online": n if tied else max(n - 1, 0)} if n else {}
    content = pd.DataFrame({"label": LABELS[: min(n, 3)], "participants": [n] * min(n, 3)})
    return Recommendation(
        agency="moes", n_interviews=n, n_participants=n * 2, format_counts=counts,
        format="in_person" if n else None, format_tied=sorted(counts) if tied and n else (["in_person"] if n else []),
        duration_hours_median=hours, duration_hours_low=hours / 2 if hours else None,
        duration_hours_high=hours * 2 if hours else None, n_duration_participants=n, content=content,
        participants=pd.DataFrame({"label": LABELS[:n and 2]}), evidence_segments=[], thin=n <= 3,
        format_support="online" if n else None, n_support=n, support_purpose="materials" if n else None,
        n_upper_bound=n, upper_bound_hours=hours, from_designs=from_designs,
        tiers=[{"scope": "managers", "n": n, "hours": hours, "format": "online"}] if n else [],
        n_reviewed=n, content_groups=[(n, LABELS[:2])] if n else [], second_format="online" if n else None,
        n_second_format=max(n - 1, 0), n_rejecting_format=n, n_follow_up=n,
        avoid_periods=[("summer", n)] if n else [])


@pytest.mark.parametrize("lang", ["ka", "en"])
@pytest.mark.parametrize(("n", "hours", "tied", "from_designs"),
                         [(0, None, False, True), (1, 8.0, False, True), (2, 19.8, True, True),
                          (12, 4.0, False, False), (2, 12.5, False, True)])
def test_training(lang: str, n: int, hours: float | None, tied: bool, from_designs: bool) -> None:
    programme = Programme(LABELS[:n and 2], 3, [{"agency": AGENCY[lang], "topics": LABELS[:1], "hours": hours,
                                                  "format": "online"}] if n else [],
                          {label: [AGENCY[lang], "საქსტატი"] for label in LABELS[:2]})
    quote = translations.annotate({"quote": "ციტატა.", "language": "ka", "speaker": "MOES-01, P1",
                                   "question_id": "Q8", "n": 1}, lang, translations.EMPTY)
    for agency, plan in (("moes", None), (None, programme)):
        text = _render("training", lang, ctx=_ctx(lang, agency), rec=_recommendation(n, hours, tied, from_designs),
                       evidence=[quote] if n else [], programme=plan if n else None, refs={"format": [1]})
        _check(text, lang)
        if hours == 8.0:
            assert ("≈ 1 რვასაათიანი სამუშაო დღე" in text) if lang == "ka" else ("≈ 1 working day of 8 hours" in text)
        if hours == 19.8 and lang == "ka":
            assert "19,8 საათი" in text and "≈ 2,5 რვასაათიანი" in text


@pytest.mark.parametrize("lang", ["ka", "en"])
@pytest.mark.parametrize("n", COUNTS)
def test_quotes_questions_method_cooccurrence(lang: str, n: int) -> None:
    quotes = [translations.annotate({"quote": q, "language": ql, "speaker": "MOES-01, P1", "question_id": "Q1"},
                                    lang, translations.EMPTY)
              for q, ql in itertools.islice(itertools.cycle([("ციტატა [იცინის].", "ka"), ("A quote.", "en")]), n)]
    text = _render("quotes", lang, ctx=_ctx(lang), blocks=[{"label": LABELS[0], "color": "#000", "quotes": quotes}])
    if lang == "ka":
        assert "A quote" not in text or "თარგმანი მზადდება" in text
    rows = [{"question_id": f"Q{i + 1}", "question": "რა?", "answers": n, "interviews": n, "words": n * 10,
             "top_themes": ""} for i in range(n)]
    _check(_render("questions", lang, ctx=_ctx(lang), rows=rows) or "x", lang) if n else None
    manifest = {"codebook": {"id": "gtna", "version": 1, "sha256": "1f3a" * 16}, "data_hash": "9c2d" * 4}
    sources = {"auto": n, "manual": n} if n else {}
    method = _render("method", lang, ctx=_ctx(lang), m=manifest, version="0.1", sources=sources, n_codes=n,
                     n_segments=n)
    _check(method, lang)
    assert ("ავტომატური" in method) if (lang == "ka" and n) else True
    _check(_render("cooccurrence", lang, ctx=_ctx(lang), empty=not n), lang)


@pytest.mark.parametrize("lang", ["ka", "en"])
def test_training_when_every_participant_chose_the_format(lang: str) -> None:
    """'preferred by all 3', not '3 of the 3'; a format after a comma is predicative ('about 8 hours, in person')."""
    base = _recommendation(3, 8.0, False, True)
    rec = Recommendation(**{**base.__dict__, "format_counts": {"in_person": 3}, "format_tied": ["in_person"],
                            "tiers": [{"scope": "managers", "n": 3, "hours": 8.0, "format": "in_person"}]})
    text = _render("training", lang, ctx=_ctx(lang), rec=rec, evidence=[], programme=None, refs={"format": [1]})
    _check(text, lang)
    if lang == "ka":
        assert "ფორმატის შესახებ მოსაზრება გამოთქვა 3 რესპონდენტმა და ყველამ ეს ფორმატი ამჯობინა." in text
    else:
        assert "preferred by all 3 participants who stated a format." in text
        assert ", in person (" in text and "in-person (" not in text


@pytest.mark.parametrize("lang", ["ka", "en"])
@pytest.mark.parametrize(("preferring", "support", "durations", "same_length"),
                         [(1, 1, 1, True), (2, 2, 2, True), (3, 1, 3, False), (12, 12, 12, True), (2, 1, 0, False)])
def test_follow_up_sentences_read_naturally_for_one_two_and_many(lang: str, preferring: int, support: int,
                                                                 durations: int, same_length: bool) -> None:
    """After the format sentence, the support sentence refers to the people who chose that format: 'This
    participant' / „ამ რესპონდენტს“ when one did, 'All of them' / „ყველა მათგანს“ when all did, 'One of
    them' / „მათგან ერთს“, 'N of them' / „მათგან N-ს“ otherwise — never „მათგან 1-ს“ (least of all after a
    single answer). The duration sentence never says 'all asked for' of a single answer."""
    base = _recommendation(preferring, 8.0, False, True)
    low, high = (8.0, 8.0) if same_length else (4.0, 16.0)
    rec = Recommendation(**{**base.__dict__, "format_counts": {"in_person": preferring},
                            "format_tied": ["in_person"], "n_support": support, "n_duration_participants": durations,
                            "duration_hours_low": low, "duration_hours_high": high,
                            "duration_hours_median": 8.0 if durations else None})
    text = _render("training", lang, ctx=_ctx(lang), rec=rec, evidence=[], programme=None, refs={})
    _check(text, lang)
    assert not re.search(r"მათგან 1-ს|\b1 of them\b|\ball asked for\b", text), text
    if lang == "ka":
        expected = ("ამ რესპონდენტს დამატებით" if preferring == 1 else "ყველა მათგანს დამატებით"
                    if support == preferring else "მათგან ერთს დამატებით" if support == 1
                    else f"მათგან {support}-ს დამატებით")
        length = ("ეს მხოლოდ ერთი რესპონდენტის პასუხია." if durations == 1 else
                  f"{durations} რესპონდენტის პასუხი ერთნაირია."
                  if same_length else f"({durations} რესპონდენტის პასუხის საფუძველზე)")
    else:
        expected = ("This participant also wants" if preferring == 1 else "All of them also want"
                    if support == preferring else "One of them adds an online" if support == 1
                    else f"{support} of them add an online")
        length = ("only one participant stated a length." if durations == 1 else
                  f"all {durations} participants who stated a length asked for the same." if same_length
                  else f"(based on {durations} participants)")
    assert expected in text, text
    if durations:
        assert length in text, text
    else:
        assert ("ხანგრძლივობა არ დასახელებულა" if lang == "ka" else "No duration was stated") in text, text


def test_a_translated_quote_shows_its_original_as_dedani() -> None:
    """The original beneath a translation is „დედანი“ (the term for the original of a translated text), in every
    Georgian label; the English report says 'original'."""
    record = {"quote": "A quote.", "language": "en", "speaker": "MOES-05, P1", "question_id": "Q1"}
    shown = translations.annotate(record, "ka", translations.Translations({("ka", translations.key("A quote.")):
                                                                         "ციტატა."}))
    text = _render("quotes", "ka", ctx=_ctx("ka"), blocks=[{"label": LABELS[0], "color": "#000", "quotes": [shown]}])
    assert "დედანი" in text and "ორიგინალ" not in text, text
    assert "ციტატა." in text and "A quote." in text
