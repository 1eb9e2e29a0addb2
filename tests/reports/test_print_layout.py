"""The report's print CSS keeps charts, quotes and headings with what they belong to — checked on PDFs printed
the way ``gtna report --format pdf`` prints (documents.write_pdfs), from pages built to force each problem:
a chart taller than a page, a quote and a heading that fall on a page boundary. Each case is printed once
without the report's CSS, to show the check sees the split, and once with it.
(The sample reports themselves are checked in test_reports.py, test_pdf_is_a4_with_page_numbers_…)"""

from __future__ import annotations

import base64
import os
import re
import shutil
from pathlib import Path

import pytest

from gtna_analysis.paths import templates_dir
from tests.reports.pdf_pages import orphaned_headings, tagged_elements

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _needs_chromium() -> None:
    if not (os.environ.get("GTNA_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")):
        if os.environ.get("CI"):
            pytest.fail("CI must have Debian chromium (.ci/run installs it)")
        pytest.skip("chromium not installed (apt-get install chromium): the print layout cannot be checked")


def report_css() -> str:
    """The <style> block the report template adds (screen and print rules)."""
    template = (templates_dir() / "nbconvert" / "gtna_report" / "index.html.j2").read_text(encoding="utf-8")
    return re.search(r"\{% block extra_css %\}(.*?)\{% endblock extra_css %\}", template, re.S).group(1)


def _svg(width: int, height: int) -> str:
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}">'
           f'<rect width="{width}" height="{height}" fill="#0072B2"/></svg>')
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _chart(alt: str, width: int, height: int) -> str:
    return (f'<figure class="gtna-chart"><div class="gtna-chart-scroll gtna-chart-wide">'
            f'<img src="{_svg(width, height)}" alt="{alt}" width="{width}" height="{height}"></div></figure>')


SPACER = '<div style="height:{mm}mm;background:#EEE"><p>filler</p></div>'
QUOTE = ('<blockquote class="gtna-quote"><p>' + "ერთი წინადადება სწავლების შესახებ, რომელიც გრძელდება. " * 14
         + "</p><footer>— MOES-01, P1 · Q7</footer></blockquote>")
CASES = {
    # a chart taller than an A4 page (2600 CSS px ≈ 690 mm at the printed width). A chart that fits on a page
    # is never cut (Chromium moves an image whole), so the tall one is the chart case that needs the CSS.
    "tall chart": _chart("tall chart", 700, 2600),
    # a quote of ~10 lines that starts 20 mm above the foot of page 1
    "quote at the foot": SPACER.format(mm=245) + QUOTE,
    # a heading on the last lines of page 1, followed by a chart that cannot fit there
    "heading at the foot": SPACER.format(mm=240) + '<h2 class="gtna-section">3. შედარება</h2>'
    + _chart("after heading", 700, 400),
}


def _print(tmp_path: Path, name: str, css: str) -> Path:
    from gtna_analysis.reports import documents

    html = tmp_path / (re.sub(r"\W+", "_", name) + ("_styled" if css else "_plain") + ".html")
    html.write_text(f'<!DOCTYPE html><html lang="ka"><head><meta charset="utf-8">{css}</head>'
                    f'<body class="jp-Notebook"><main>{CASES[name]}</main></body></html>', encoding="utf-8")
    documents.write_pdfs([html])
    return html.with_suffix(".pdf")


def _split(pdf: Path) -> list[tuple[str, list[int]]]:
    """Figures and quotes drawn on more than one page, and headings parted from what follows them."""
    elements = tagged_elements(pdf)
    split = [(e.role, sorted(e.pages)) for e in elements if e.role in ("Figure", "BlockQuote") and len(e.pages) > 1]
    return split + [(role, [page]) for role, page in orphaned_headings(elements)]


@pytest.mark.parametrize("name", list(CASES))
def test_print_css_keeps_each_chart_quote_and_heading_whole(tmp_path: Path, name: str) -> None:
    _needs_chromium()
    assert _split(_print(tmp_path, name, "")), f"{name}: without the report CSS the page should split it"
    styled = _print(tmp_path, name, report_css())
    assert _split(styled) == [], name
    roles = {e.role for e in tagged_elements(styled)}
    assert roles & {"Figure", "BlockQuote"}, roles  # the element is there (tagged), not dropped
