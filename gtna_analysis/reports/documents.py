"""PDF and Word copies of rendered reports, so ministry staff can print, file, edit and adopt them.

- **PDF**: the report's own HTML printed by headless Chromium (Playwright driving the system ``chromium``):
  A4, the print CSS of the report template (page numbers and running title in @page margin boxes, charts and
  quotes never split), fonts embedded by Chromium, tagged for accessibility, with an outline of the headings.
- **Word (.docx)**: rebuilt with python-docx from the executed notebook next to the HTML: each HTML fragment a
  section shows becomes headings, paragraphs, quotes, lists and real Word tables (editable, not pictures), and
  each chart the 2× PNG stored with it (Word cannot show the SVG the web page uses).

Both are written atomically next to the HTML (``moes/en.pdf``, ``moes/en.docx``).
"""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

from gtna_analysis.atomic import atomic_path
from gtna_analysis.console import OUTPUT, Output
from gtna_analysis.errors import GtnaError

FORMATS = ("html", "pdf", "docx")
PDF_MARGIN = {"top": "15mm", "bottom": "15mm", "left": "15mm", "right": "15mm"}  # as @page


def chromium_path() -> str:
    """The system Chromium; a clear error when it is missing (PDF export cannot work without it)."""
    found = os.environ.get("GTNA_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise GtnaError.at("chromium", None, "PDF export needs headless Chromium, which is not installed",
                           "apt-get install chromium (or set GTNA_CHROMIUM to its path)")
    return found


def convert(html_paths: Iterable[Path], formats: Iterable[str], output: Output = OUTPUT) -> tuple[str, ...]:
    """Write the requested document formats next to each HTML report; returns the formats written."""
    wanted = tuple(f for f in dict.fromkeys(formats) if f != "html")
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise GtnaError.at("--format", None, f"unknown format {unknown[0]!r}", f"formats: {', '.join(FORMATS)}")
    paths = list(html_paths)
    if not wanted or not paths:
        return ()
    if "pdf" in wanted:
        write_pdfs(paths, output)
    if "docx" in wanted:
        for path in paths:
            write_docx(path.with_suffix(".ipynb"), path.with_suffix(".docx"))
            output.detail(f"wrote {path.with_suffix('.docx')}")
    return wanted


def write_pdfs(html_paths: list[Path], output: Output = OUTPUT) -> None:
    """Print each report to an A4 PDF with one headless Chromium (started once for the batch)."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"])
        try:
            page = browser.new_page()
            page.route(re.compile(r"^(?!file:|data:)"), lambda route: route.abort())  # never the network
            for html_path in html_paths:
                page.goto(html_path.resolve().as_uri())
                page.emulate_media(media="print")
                target = html_path.with_suffix(".pdf")
                with atomic_path(target) as tmp:
                    page.pdf(path=str(tmp), format="A4", prefer_css_page_size=True, print_background=True,
                             margin=PDF_MARGIN, tagged=True, outline=True)
                output.detail(f"wrote {target}")
        finally:
            browser.close()


# ---- Word -------------------------------------------------------------------------------------------------

_SKIP = {"style", "script", "nav", "sup"}


def write_docx(ipynb: Path, target: Path) -> None:
    """The executed report notebook as an editable Word document (headings, text, quotes, tables, charts)."""
    import nbformat
    from docx import Document
    from docx.shared import Pt

    nb = nbformat.read(str(ipynb), as_version=4)
    doc = Document()
    doc.styles["Normal"].font.size = Pt(10.5)
    params = nb.metadata.get("papermill", {}).get("parameters", {})
    doc.core_properties.title = f"GTNA — {params.get('agency') or 'cross-agency'} ({params.get('lang', '')})"
    doc.core_properties.language = params.get("lang", "")
    for cell in nb.cells:
        if cell.cell_type != "code" or "remove_cell" in cell.get("metadata", {}).get("tags", []):
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            html = data.get("text/html")
            html = "".join(html) if isinstance(html, list) else html
            if html and "gtna-chart" in html and "image/png" in data:
                _picture(doc, data["image/png"], out.get("metadata", {}).get("image/png", {}).get("alt", ""))
            elif html:
                _html(doc, html)
            elif "image/png" in data:
                _picture(doc, data["image/png"], "")
    with atomic_path(target) as tmp:
        doc.save(str(tmp))


def _picture(doc, png_b64: str, alt: str) -> None:
    from docx.shared import Cm

    doc.add_picture(io.BytesIO(base64.b64decode(png_b64)), width=Cm(16))
    shape = doc.inline_shapes[-1]
    shape._inline.docPr.set("descr", alt)  # alt text for screen readers (python-docx has no public setter)


def _html(doc, fragment: str) -> None:
    import lxml.html

    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    _block(doc, root)


def _block(doc, element) -> None:
    """Block-level HTML → Word paragraphs; inline content is gathered by :func:`_runs`."""
    for child in element:
        if not isinstance(child.tag, str):
            continue
        tag = child.tag.lower()
        cls = child.get("class") or ""
        if tag in _SKIP:
            continue
        if tag == "h1":
            doc.add_heading(_text(child), level=0)
        elif tag in ("h2", "h3", "h4"):
            doc.add_heading(_text(child), level={"h2": 1, "h3": 2, "h4": 3}[tag])
        elif tag == "p":
            if not _text(child):
                continue
            style = "Intense Quote" if "gtna-thin" in cls or "gtna-notice" in cls else None
            _runs(doc.add_paragraph(style=style), child)
        elif tag == "blockquote":
            for part in child:
                if isinstance(part.tag, str) and part.tag.lower() == "footer":
                    para = doc.add_paragraph(style="Quote")
                    para.add_run(_text(part)).italic = True
                elif isinstance(part.tag, str):
                    _runs(doc.add_paragraph(style="Quote"), part)
        elif tag in ("ul", "ol"):
            for li in child.iter("li"):
                _runs(doc.add_paragraph(style="List Bullet" if tag == "ul" else "List Number"), li)
        elif tag == "table":
            _table(doc, child)
        elif tag == "dl":
            _definitions(doc, child)
        else:  # div, header, section, figure …
            _block(doc, child)


def _runs(paragraph, element) -> None:
    """Inline HTML (text, <strong>, <em>, <a>, <br>) as runs of one paragraph; whitespace collapsed as a
    browser would (template line breaks are not line breaks in the text)."""
    pieces: list[tuple[str, str]] = [("", element.text or "")]
    for child in element:
        if isinstance(child.tag, str):
            tag = child.tag.lower()
            if tag == "br":
                pieces.append(("br", ""))
            elif tag not in _SKIP:
                pieces.append((tag, _text(child, inline=True)))
        pieces.append(("", child.tail or ""))
    text = "".join(t for _, t in pieces)
    leading = len(text) - len(text.lstrip())
    for i, (tag, piece) in enumerate(pieces):
        if tag == "br":
            paragraph.add_run().add_break()
            continue
        piece = re.sub(r"\s+", " ", piece)
        if i == 0 or leading:
            piece, leading = piece.lstrip(), 0 if piece.strip() else leading
        if i == len(pieces) - 1:
            piece = piece.rstrip()
        if piece:
            run = paragraph.add_run(piece)
            run.bold = tag in ("strong", "b") or None
            run.italic = tag in ("em", "i") or None


def _text(element, inline: bool = False) -> str:
    parts = [t for t in element.xpath(".//text()[not(ancestor::sup) and not(ancestor::style)]")]
    text = "".join(parts)
    return text if inline else " ".join(text.split())


def _table(doc, table) -> None:
    rows = [[_text(c) for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("th", "td")]
            for tr in table.iter("tr")]
    rows = [r for r in rows if r]
    if not rows:
        return
    width = max(len(r) for r in rows)
    out = doc.add_table(rows=len(rows), cols=width)
    out.style = "Table Grid"
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            out.cell(i, j).text = value
            if i == 0 and table.find(".//th") is not None:
                for run in out.cell(i, j).paragraphs[0].runs:
                    run.bold = True


def _definitions(doc, dl) -> None:
    pairs = []
    term = None
    for child in dl:
        if not isinstance(child.tag, str):
            continue
        if child.tag.lower() == "dt":
            term = _text(child)
        elif child.tag.lower() == "dd":
            pairs.append((term or "", _text(child)))
    if not pairs:
        return
    out = doc.add_table(rows=len(pairs), cols=2)
    out.style = "Table Grid"
    for i, (term_, value) in enumerate(pairs):
        out.cell(i, 0).text = term_
        out.cell(i, 1).text = value
