"""The report sections come from one list (sections.SECTIONS): the notebooks render it, headings follow it."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import jupytext
import pytest
from markupsafe import Markup
from shared_coding import built_sample

from gtna_analysis.reports import sections

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def shown(request: pytest.FixtureRequest) -> dict[str, list[str]]:
    """Section ids of the headings each kind of report displays, in display order."""
    study, processed = built_sample()
    out: dict[str, list[str]] = {}
    for kind, agency in (("agency", "moes"), ("cross", None)):
        ctx = sections.ReportContext.load(processed, agency, "en", study)
        items: list[object] = []
        original = sections.show

        def collect(*parts: object, _items: list[object] = items, word_copy: bool = False) -> None:
            for part in parts:
                (_items.extend(part) if isinstance(part, list | tuple) else _items.append(part))

        sections.show = collect
        try:
            sections.show_report(ctx)
        finally:
            sections.show = original
        html = "".join(str(i) for i in items if isinstance(i, Markup))
        out[kind] = re.findall(r'<h2 id="([a-z_]+)" class="gtna-section">', html)
    return out


@pytest.mark.parametrize("kind", ["agency", "cross"])
def test_show_report_renders_every_section_in_order(shown: dict[str, list[str]], kind: str) -> None:
    assert shown[kind] == sections.SECTIONS[kind]


def test_every_listed_section_has_parts() -> None:
    listed = {name for names in sections.SECTIONS.values() for name in names}
    assert listed == set(sections.SECTION_PARTS)


def test_unknown_section_is_refused() -> None:
    study, processed = built_sample()
    ctx = sections.ReportContext.load(processed, "moes", "en", study)
    with pytest.raises(ValueError, match="no section 'cooccurrence'"):
        sections.section(ctx, "cooccurrence")  # a cross-agency section


@pytest.mark.parametrize("name", ["agency_report", "cross_agency"])
def test_report_notebooks_do_not_repeat_the_section_list(name: str) -> None:
    source = "\n".join(c.source for c in jupytext.read(ROOT / "notebooks" / f"{name}.ipynb").cells
                       if c.cell_type == "code")
    assert "report.show_report(ctx, word_copy=word_copy)" in source
    called = set(re.findall(r"report\.(\w+)\(", source)) - {"show_report", "show"}
    assert called <= {"ReportContext"}, called


@pytest.mark.parametrize("lang", ["en", "ka"])
def test_every_recommendation_element_links_to_quotes_that_exist(lang: str) -> None:
    study, processed = built_sample()
    ctx = sections.ReportContext.load(processed, "moes", lang, study)
    html = str(sections.training_text(ctx))
    links = set(re.findall(r'href="#(ev-\d+)"', html))
    targets = set(re.findall(r'id="(ev-\d+)"', html))
    assert links and links <= targets and targets <= links  # every claim cites, every quote is cited
    assert re.search(r'<strong>(?:Format|ფორმატი):</strong>[^<]*(?:<[^>]+>[^<]*)*?<sup class="gtna-ref">', html)


@pytest.mark.parametrize("word_copy", [False, True])
def test_a_chart_carries_a_png_only_for_the_word_copy(word_copy: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page shows the SVG either way; the PNG (a third drawing of each chart) is stored only when a Word copy
    will be made from the notebook (``gtna report --format docx``)."""
    import IPython.display

    shown: list[tuple] = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: shown.append((objs, kw)))
    study, processed = built_sample()
    ctx = sections.ReportContext.load(processed, "moes", "en", study)
    sections.show(sections.section(ctx, "priorities"), word_copy=word_copy)
    charts = [objs[0] for objs, _ in shown if isinstance(objs[0], dict) and "gtna-chart" in objs[0]["text/html"]]
    assert charts, "the priorities section shows a chart"
    for data in charts:
        assert "data:image/svg+xml;base64," in data["text/html"]
        assert ("image/png" in data) is word_copy
        if word_copy:
            assert base64.b64decode(data["image/png"]).startswith(b"\x89PNG")
