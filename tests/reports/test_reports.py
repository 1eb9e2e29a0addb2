"""End to end: build the sample study (plus a hostile 'canary' agency), render every report with papermill in
parallel, and check the HTML as a reader would get it: offline, escaped, Georgian, no names, deterministic.
The browser checks (network, console, script execution, screenshot) run in headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest

from gtna_analysis import __version__
from gtna_analysis.cli import main
from gtna_analysis.reports import batch as reporting

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "raw"
OUTPUT = ROOT / "tests" / "output"
CANARY_SCRIPT = "<script>window.__pwned = 1</script>"
CANARY_IMG = '<img src="x" onerror="window.__pwned = 2">'
CANARY_TRANSCRIPT = f"""---
interview_id: CANARY-01
agency: canary
date: 2018-05-30
mode: individual
language: en
interviewer: INT1
participants:
  - {{id: P1, name: Zurab Canaridze, role: tester, gender: male, level: mid}}
---
Interviewer: [Q1] What are your agency's priorities in the field of gender equality?
P1: Domestic violence and violence against women {CANARY_SCRIPT} are our first priority. {CANARY_IMG}
Sex-disaggregated data and gender statistics come next, said Zurab.
Interviewer: [Q6] What type of training would suit you best?
P1: Blended training {CANARY_SCRIPT}, online modules and a workshop in person. {CANARY_IMG}
Interviewer: [Q7] How long should the training module be?
P1: Two days {CANARY_IMG} would be right {CANARY_SCRIPT}.
Interviewer: [Q8] Which topics should the content of the training cover?
P1: Gender-responsive budgeting, the Istanbul Convention and referral of domestic violence cases {CANARY_SCRIPT}.
"""


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("canary") / "raw"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("codings"))
    study_yml = root / "study.yml"
    study_yml.write_text(study_yml.read_text(encoding="utf-8") + (
        "  - id: canary\n"
        "    name: {ka: \"<b>კანარის</b> უწყება\", en: \"Canary <i>agency</i>\"}\n"
        "    short: {ka: კანარი, en: Canary}\n"), encoding="utf-8")
    (root / "transcripts" / "canary").mkdir()
    (root / "transcripts" / "canary" / "CANARY-01.md").write_text(CANARY_TRANSCRIPT, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def rendered(study: Path) -> Path:
    processed = study.parent / "processed"
    out = study.parent / "reports"
    # what `make reports` runs: the build, then the reports, with the workers starting while the build runs
    assert main(["report", "--all", "--build", "--study", str(study), "--processed", str(processed), "--out",
                 str(out), "--jobs", "2", "--format", "docx", "-q"]) == 0
    assert (processed / "CURRENT").exists()
    return out


def _html_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_every_agency_and_language_is_rendered_and_linked(rendered: Path) -> None:
    expected = {f"{a}/{lang}.html" for a in ("moes", "molhsa", "geostat", "canary", "cross_agency")
                for lang in ("ka", "en")}
    found = {p.relative_to(rendered).as_posix() for p in _html_files(rendered)} - {"index.html"}
    assert found == expected
    index = lxml.html.parse(str(rendered / "index.html")).getroot()
    links = {a.get("href") for a in index.iter("a")}
    assert links == expected | {r.replace(".html", ".docx") for r in expected}  # Word copies: --format docx
    for report in expected:  # executed notebooks are kept next to the HTML
        assert (rendered / report).with_suffix(".ipynb").exists()


def test_reports_load_nothing_from_the_network_and_run_no_script(rendered: Path) -> None:
    for path in _html_files(rendered):
        doc = lxml.html.parse(str(path)).getroot()
        assert not list(doc.iter("script")), path
        assert not [e for e in doc.iter("link") if "stylesheet" in (e.get("rel") or "")], path
        for element in doc.iter():
            for attr in ("src", "href", "data", "poster"):
                value = (element.get(attr) or "").strip().lower()
                assert not value.startswith(("http:", "https:", "//")), (path, attr, value)
        csp = [m for m in doc.iter("meta") if m.get("http-equiv") == "Content-Security-Policy"]
        assert csp and "default-src 'none'" in csp[0].get("content"), path
        assert not re.search(r"@import|url\(\s*['\"]?https?:", path.read_text(encoding="utf-8")), path


def test_transcript_and_label_markup_is_escaped(rendered: Path) -> None:
    for lang in ("ka", "en"):
        text = (rendered / "canary" / f"{lang}.html").read_text(encoding="utf-8")
        assert "window.__pwned" in text                       # the canary is quoted …
        assert CANARY_SCRIPT not in text and CANARY_IMG not in text  # … but never as markup
        assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in text
        assert "<b>კანარის</b>" not in text and "<i>agency</i>" not in text
    index = (rendered / "index.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;კანარის&lt;/b&gt;" in index


def test_reports_hide_code_and_parameters_and_embed_charts(rendered: Path) -> None:
    for path in _html_files(rendered):
        if path.name == "index.html":
            continue
        text = path.read_text(encoding="utf-8")
        doc = lxml.html.fromstring(text)
        assert not doc.xpath('//*[contains(@class, "jp-InputArea") or contains(@class, "injected-parameters")]')
        assert "ReportContext.load" not in text and "import " not in doc.text_content(), path
        images = list(doc.iter("img"))
        assert images and all(img.get("src", "").startswith("data:image/svg+xml;base64,") for img in images), path
        assert len(doc.xpath('//figure[@class="gtna-chart"]/div[contains(@class, "gtna-chart-narrow")]')) * 2 \
            == len(images)  # every chart: a wide and a narrow drawing
        assert all(len(img.get("alt", "")) > 10 for img in images), path  # chart titles as alt text
        assert doc.get_element_by_id("method") is not None
        footer = " ".join(" ".join(doc.xpath('//footer[@class="gtna-footer"]//text()')).split())
        which = "cross-agency" if path.parent.name == "cross_agency" else path.parent.name
        assert footer == f"gtna-workbench {__version__} · GTNA — {which} ({path.stem})", path


def test_georgian_report_is_in_georgian(rendered: Path) -> None:
    doc = lxml.html.parse(str(rendered / "moes" / "ka.html")).getroot()
    text = " ".join(doc.xpath("//body//text()[not(ancestor::style)]"))
    georgian = len(re.findall(r"[\u10d0-\u10ff]", text))
    latin = len(re.findall(r"[A-Za-z]", text))
    assert georgian > 3 * latin
    assert "რეკომენდებული სასწავლო მოდული" in text
    assert "საქართველოს განათლებისა და მეცნიერების სამინისტრო" in text


def test_reports_carry_no_participant_names(rendered: Path, study: Path) -> None:
    """No header name, in any inflected form, in any HTML, executed notebook or index (the canary's "Zurab"
    appears in its transcript text, so the check is not vacuous)."""
    from conftest import assert_no_header_names

    assert "Zurab." in (study / "transcripts" / "canary" / "CANARY-01.md").read_text(encoding="utf-8")
    assert_no_header_names(study, rendered)
    assert_no_header_names(study, study.parent / "processed")


def _strip_timestamps(text: str) -> str:
    return re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", "<ts>", text)


def test_rendering_is_deterministic_apart_from_the_timestamp(rendered: Path, study: Path, tmp_path: Path) -> None:
    processed = study.parent / "processed"
    summary = reporting.render_reports(processed, tmp_path, agencies=["geostat"], languages=["en"],
                                       include_cross=False, study=study)
    assert summary.ok
    again = _strip_timestamps((tmp_path / "geostat" / "en.html").read_text(encoding="utf-8"))
    first = _strip_timestamps((rendered / "geostat" / "en.html").read_text(encoding="utf-8"))
    assert again == first


def test_a_failing_notebook_is_saved_with_its_error_and_the_rest_continue(
        rendered: Path, study: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    processed = study.parent / "processed"
    real_plan = reporting.plan_jobs

    def plan_with_a_bad_job(*args, **kwargs):
        jobs = real_plan(*args, **kwargs)
        bad = reporting.Job(jobs[0].notebook, {**jobs[0].parameters, "agency": "no_such_agency"},
                            tmp_path / "broken" / "en.html", tmp_path / "broken" / "en.ipynb", "broken/en")
        return [bad, *jobs]

    monkeypatch.setattr(reporting, "plan_jobs", plan_with_a_bad_job)
    code = main(["report", "--agency", "geostat", "--lang", "en", "--study", str(study), "--processed",
                 str(processed), "--out", str(tmp_path), "-q"])
    assert code == 1
    assert (tmp_path / "geostat" / "en.html").exists()
    saved = (tmp_path / "broken" / "en.ipynb").read_text(encoding="utf-8")
    assert "no_such_agency" in saved and "ValueError" in saved
    assert "ValueError" in (tmp_path / "broken" / "en.html").read_text(encoding="utf-8")
    index = lxml.html.parse(str(tmp_path / "index.html")).getroot()
    assert [a.text for a in index.iter("a") if a.get("class") == "failed"] == ["Failed"]


def test_unknown_agency_on_the_command_line_is_a_clear_error(rendered: Path, study: Path,
                                                            capsys: pytest.CaptureFixture) -> None:
    code = main(["report", "--agency", "nope", "--study", str(study), "--processed",
                 str(study.parent / "processed"), "--out", str(study.parent / "x")])
    assert code == 1
    assert "unknown agency 'nope'" in capsys.readouterr().err


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.browser
def test_reports_in_headless_chromium(rendered: Path) -> None:
    """Open every report: no network request, no console error, the canary never runs; keep screenshots."""
    browser_path = _chromium()
    if browser_path is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have Debian chromium (.ci/run installs it)")
        pytest.skip("chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    OUTPUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=browser_path, args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"])
        for path in _html_files(rendered):
            page = browser.new_page(viewport={"width": 1100, "height": 1400})
            requests: list[str] = []
            problems: list[str] = []
            page.on("request", lambda r: requests.append(r.url))  # noqa: B023
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)  # noqa: B023
            page.on("pageerror", lambda e: problems.append(str(e)))  # noqa: B023
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            assert page.evaluate("typeof window.__pwned") == "undefined", path
            assert requests == [path.as_uri()], (path, requests)
            assert not problems, (path, problems)
            if path.parent.name in ("moes", "canary") or path.name == "index.html":
                name = "index" if path.name == "index.html" else f"{path.parent.name}_{path.stem}"
                page.screenshot(path=str(OUTPUT / f"{name}.png"), full_page=True)
            page.close()
        browser.close()
    assert (OUTPUT / "moes_ka.png").stat().st_size > 50_000


def test_make_reports_entry_points_exist() -> None:
    result = subprocess.run([sys.executable, "-m", "gtna_analysis", "report", "--help"], capture_output=True,
                            text=True, check=True)
    assert "--jobs" in result.stdout and "examples:" in result.stdout


# ---- every device: phone, desktop and print (issue 15) -------------------------------------------------------

DEVICE_REPORTS = ("moes/ka", "moes/en", "geostat/en", "cross_agency/ka", "cross_agency/en")
MEASURE = """() => {
  const vw = document.documentElement.clientWidth;
  const visible = e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
                         return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'; };
  const small = [];
  for (const e of document.body.querySelectorAll('*')) {
    const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (own && visible(e) && parseFloat(getComputedStyle(e).fontSize) < 10)
      small.push(e.tagName + ' ' + getComputedStyle(e).fontSize + ' ' + e.textContent.trim().slice(0, 30));
  }
  const charts = [...document.querySelectorAll('figure.gtna-chart img')].filter(visible).map(img => ({
    variant: img.parentElement.className, shown: img.clientWidth,
    effective: parseFloat(img.dataset.minFontPx) * img.clientWidth / parseFloat(img.getAttribute('width')),
    box: img.parentElement.getBoundingClientRect().right}));
  const tables = [...document.querySelectorAll('table.gtna-table')].filter(visible).map(t => ({
    scroller: t.parentElement.classList.contains('gtna-table-scroll'),
    overflow: getComputedStyle(t.parentElement).overflowX,
    box: t.parentElement.getBoundingClientRect().right, reach: t.parentElement.scrollWidth >= t.scrollWidth}));
  const method = [...document.querySelectorAll('.gtna-method dd')].map(d => d.getBoundingClientRect().right);
  return {vw, page: document.documentElement.scrollWidth, small, charts, tables, method};
}"""


def _browser(p):
    browser_path = _chromium()
    if browser_path is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have Debian chromium (.ci/run installs it)")
        pytest.skip("chromium not installed (apt-get install chromium)")
    return p.chromium.launch(executable_path=browser_path, args=[
        "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"])


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_reports_fit_phone_and_desktop(rendered: Path, width: int) -> None:
    """At 390 and 1280 px: nothing overflows the page sideways, no text under 10 px (charts included, measured
    as their smallest font × displayed/natural width), tables scroll in their own box, the method block wraps."""
    from playwright.sync_api import sync_playwright

    OUTPUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page(viewport={"width": width, "height": 900}, device_scale_factor=2)
        for name in (*DEVICE_REPORTS, "index"):
            path = rendered / ("index.html" if name == "index" else f"{name}.html")
            page.goto(path.as_uri())
            m = page.evaluate(MEASURE)
            assert m["page"] <= m["vw"], (name, width, "page scrolls sideways", m["page"], m["vw"])
            assert not m["small"], (name, width, m["small"][:5])
            if name != "index":
                assert m["charts"], name
                want = "gtna-chart-narrow" if width < 640 else "gtna-chart-wide"
                assert all(want in c["variant"] for c in m["charts"]), (name, width)
                assert all(c["effective"] >= 9.99 for c in m["charts"]), (name, width, m["charts"])
                assert all(c["box"] <= m["vw"] for c in m["charts"]), (name, width)
                assert all(t["scroller"] and t["overflow"] == "auto" and t["reach"] and t["box"] <= m["vw"]
                           for t in m["tables"]), (name, width, m["tables"])
                assert m["method"] and max(m["method"]) <= m["vw"], (name, width, m["method"])
            if name in ("moes/ka", "cross_agency/ka"):
                page.screenshot(path=str(OUTPUT / f"{name.replace('/', '_')}_{width}.png"), full_page=True)
        browser.close()


def test_pdf_is_a4_with_page_numbers_running_title_and_georgian_headings(rendered: Path) -> None:
    """``gtna report --format pdf`` as the batch runs it: A4, fonts embedded, every page numbered 'n / N' with
    the report's title at the top, Georgian headings extractable as text, sections not forced onto new pages,
    and no chart, quote or heading parted across pages."""
    from gtna_analysis.reports import documents
    from gtna_analysis.reports.i18n import TITLES

    if shutil.which("pdftotext") is None or _chromium() is None:
        pytest.skip("needs chromium and poppler-utils (pdftotext)")
    paths = [rendered / "moes" / "ka.html", rendered / "moes" / "en.html", rendered / "cross_agency" / "en.html"]
    assert documents.convert(paths, ("html", "pdf")) == ("pdf",)
    for html in paths:
        pdf = html.with_suffix(".pdf")
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert "(A4)" in info, info
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:]), fonts  # every font embedded
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        per_page = text.split("\f")[:pages]
        for number, content in enumerate(per_page, start=1):
            assert re.search(rf"\b{number}\s*/\s*{pages}\b", content), (pdf, number)  # layout may drop spaces
            assert "GTNA · " in content, (pdf, number)
        lang = html.stem
        for section in ("profile", "training", "method"):
            assert TITLES[section][lang] in text, (pdf, section)
        if lang == "ka":
            assert "საქართველოს განათლებისა და მეცნიერების სამინისტრო" in text
            # no forced page break per section: some page holds the end of one section and the next heading
            headings = [TITLES[s]["ka"] for s in ("profile", "priorities", "position", "training")]
            assert any(sum(h in page_ for h in headings) >= 2 for page_ in per_page)
            assert pages <= 9  # 10 A4 pages before outputs could flow across pages (issue 15), 8 after
        _assert_printed_whole(html, pdf)


def _assert_printed_whole(html: Path, pdf: Path) -> None:
    """Every chart and every quote of the report on one page, no heading left at the foot of a page, and page 1
    at least three-quarters full (the tagged PDF says where each element was drawn; see pdf_pages)."""
    from tests.reports.pdf_pages import orphaned_headings, page_fill, tagged_elements

    tree = lxml.html.parse(str(html)).getroot()
    charts = [img.get("alt") for img in tree.xpath('//figure[@class="gtna-chart"]//div[contains(@class, '
                                                   '"gtna-chart-wide")]/img')]
    quotes = len(tree.xpath("//blockquote"))
    elements = tagged_elements(pdf)
    figures = {e.alt: e.pages for e in elements if e.role == "Figure" and e.alt}
    assert charts and sorted(figures) == sorted(charts), (pdf, charts, sorted(figures))
    for alt, pages in figures.items():
        assert len(pages) == 1, (pdf, "chart split across pages", alt, sorted(pages))
    assert all(len(e.pages) == 1 for e in elements if e.role == "Figure"), pdf  # the <figure> around it too
    printed_quotes = [e.pages for e in elements if e.role == "BlockQuote"]
    assert len(printed_quotes) == quotes > 0, (pdf, len(printed_quotes), quotes)
    assert all(len(pages) == 1 for pages in printed_quotes), (pdf, "quote split", printed_quotes)
    assert orphaned_headings(elements) == [], pdf
    assert page_fill(pdf, 1) >= 0.75, (pdf, "page 1 is mostly empty", page_fill(pdf, 1))


def test_docx_opens_and_holds_the_charts_tables_and_georgian_headings(rendered: Path) -> None:
    import docx

    from gtna_analysis.reports.i18n import TITLES

    for name, lang in (("moes/ka", "ka"), ("cross_agency/en", "en")):
        path = rendered / f"{name}.docx"
        document = docx.Document(str(path))
        html = lxml.html.parse(str(rendered / f"{name}.html")).getroot()
        charts = len(html.xpath('//figure[@class="gtna-chart"]'))
        assert len(document.inline_shapes) == charts > 2
        assert all(shape._inline.docPr.get("descr") for shape in document.inline_shapes)  # alt text
        headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
        for section in ("profile", "priorities", "training", "method"):
            assert any(TITLES[section][lang] in h for h in headings), (name, section, headings)
        tables = document.tables
        assert tables, name
        if name == "moes/ka":
            questions = [t for t in tables if t.rows[0].cells[0].text == "კითხვა"]
            assert questions and len(questions[0].columns) == 5 and len(questions[0].rows) > 5
            body = "\n".join(p.text for p in document.paragraphs)
            assert "&lt;" not in body and not re.search(r"<[a-z/]", body)  # text, never markup ("p < 0,05" is text)
