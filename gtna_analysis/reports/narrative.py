"""Narrative text (Georgian and English) generated from the analysis tables through jinja2 templates.

No number in a report is typed by hand: templates receive the computed tables and only phrase them. Two
language rules live here rather than in templates:
- English: "1 interview", "5 interviews".
- Georgian: a noun after a numeral stays singular and the verb agrees in the singular ("5 რესპონდენტმა
  აღნიშნა", never "5 რესპონდენტებმა აღნიშნეს"); the noun takes the case the sentence needs, so the lexicon
  stores case forms (nominative, ergative, dative, genitive, locative).
Output is HTML-escaped (autoescape), because labels and quotes come from user files.
"""

from __future__ import annotations

import math
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from .i18n import FORMAT_WORDS, LEXICON, PERIOD_LABELS, PURPOSE_LABELS, SCOPE_LABELS


def noun(n: int | float, key: str, lang: str, case: str = "nom") -> str:
    """The noun form that agrees with the number ``n`` (see module docstring)."""
    entry = LEXICON[key][lang]
    if lang == "en":
        singular, plural = entry  # type: ignore[misc]
        return singular if n == 1 else plural
    return entry[case]  # type: ignore[index]


def count(n: int | float, key: str, lang: str, case: str = "nom") -> str:
    """'5 interviews' / '5 ინტერვიუში' — the number with its agreeing noun."""
    number = f"{n:g}" if isinstance(n, float) else str(n)
    return f"{number} {noun(n, key, lang, case)}"


def pct(share: float) -> str:
    return f"{round(share * 100):d}%" if not math.isnan(share) else "–"


def pct_of(part: int, whole: int, lang: str) -> str:
    """'4 of 5 interviews' / '5 ინტერვიუდან 4-ში' — a count out of a total, phrased as each language does."""
    if lang == "ka":
        return f"{count(whole, 'interview', 'ka', 'abl')} {part}-ში"
    return f"{part} of {count(whole, 'interview', 'en')}"


def hours(value: float | None, lang: str) -> str:
    if value is None or math.isnan(value):
        return "–"
    rounded = round(value, 1) if value % 1 else int(value)
    return f"{num(rounded, lang)} {noun(rounded, 'hour', lang)}"  # Georgian: decimal comma (9,2 საათი)


def num(value: float | None, lang: str) -> str:
    """A number as the language writes it: whole numbers plain, else one decimal (Georgian: decimal comma)."""
    if value is None or math.isnan(value):
        return "–"
    text = str(int(value)) if float(value).is_integer() else f"{value:.1f}"
    return text.replace(".", ",") if lang == "ka" else text


def scope_label(scope: str, lang: str) -> str:
    return SCOPE_LABELS.get(scope, {}).get(lang, scope)


def period_label(period: str, lang: str) -> str:
    return PERIOD_LABELS.get(period, {}).get(lang, period)


def purpose_label(purpose: str, lang: str) -> str:
    return PURPOSE_LABELS.get(purpose, {}).get(lang, purpose)


def days(value: float | None, hours_per_day: float = 8.0) -> str:
    if value is None:
        return "–"
    d = value / hours_per_day
    return f"{d:.1f}".rstrip("0").rstrip(".")


def workdays(hours_: float | None, lang: str, hours_per_day: int = 8) -> str:
    """'≈ 2.4 working days of 8 hours' / '≈ 2,4 რვასაათიანი სამუშაო დღე' (the noun agrees with the number;
    Georgian keeps it singular after any numeral)."""
    if hours_ is None or math.isnan(hours_):
        return "–"
    d = round(hours_ / hours_per_day, 1)
    if lang == "ka":
        return f"≈ {num(d, 'ka')} {_KA_DAY_LENGTH.get(hours_per_day, f'{hours_per_day}-საათიანი')} სამუშაო დღე"
    return f"≈ {num(d, 'en')} working {'day' if d == 1 else 'days'} of {hours_per_day} hours"


_KA_DAY_LENGTH = {8: "რვასაათიანი", 6: "ექვსსაათიანი", 4: "ოთხსაათიანი"}


def quoted(label: object, lang: str) -> str:
    """A label in the language's quotation marks: „…“ in Georgian, “…” in English."""
    return f"„{label}“" if lang == "ka" else f"“{label}”"


def and_list(items: list[str], lang: str, notes: list[str] | None = None) -> str:
    """'a, b and c' / 'a, b და c' (each item is escaped by the caller's autoescape).

    Unambiguous: when an item itself holds a comma or the conjunction ("Labour, health and social sector
    issues", „ძალადობა და დისკრიმინაცია“), every item is put in quotation marks, so the reader sees where one
    ends and the next begins. ``notes`` (one per item, e.g. " (2/3)") follow an item outside its quotation
    marks — „ძალადობა და დისკრიმინაცია“ (2/3), not „ძალადობა და დისკრიმინაცია (2/3)“ — and do not decide
    the quoting."""
    items = [str(i) for i in items]
    conj = " and " if lang == "en" else " და "
    if len(items) > 1 and any("," in i or conj in f" {i} " for i in items):
        items = [quoted(i, lang) for i in items]
    if notes is not None:
        items = [item + str(note) for item, note in zip(items, notes, strict=True)]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + conj + items[-1]


SOURCE_WORDS = {"auto": {"ka": "ავტომატური", "en": "automatic"}, "manual": {"ka": "ხელით შესრულებული", "en": "manual"}}


def source_label(source: str, lang: str) -> str:
    """'auto' / 'manual' coding sources in the report language."""
    return SOURCE_WORDS.get(source, {}).get(lang, source)


def fmt_word(fmt: str | None, lang: str, case: str = "") -> str:
    if fmt is None:
        return "–"
    key = f"{lang}_{case}" if case else lang
    return FORMAT_WORDS[fmt].get(key, FORMAT_WORDS[fmt][lang])


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("gtna_analysis", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
    env.filters.update(pct=pct, hours=hours, days=days, fmt_word_ka=lambda f: fmt_word(f, "ka"),
                       fmt_word_en=lambda f: fmt_word(f, "en"),
                       quote_ka=lambda x: quoted(x, "ka"), quote_en=lambda x: quoted(x, "en"))
    env.globals.update(count=count, noun=noun, fmt_word=fmt_word, and_list=and_list, num=num, scope_label=scope_label,
                       purpose_label=purpose_label, period_label=period_label, quoted=quoted, workdays=workdays,
                       source_label=source_label, pct_of=pct_of)
    return env


def render(template: str, **context: object) -> Markup:
    """Render ``templates/<template>`` with autoescaping; returns safe HTML."""
    return Markup(environment().get_template(template).render(**context))
