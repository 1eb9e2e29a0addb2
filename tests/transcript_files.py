"""Makers of transcript files in other programs' formats (Word .docx, OpenDocument .odt, legacy-font text),
shared by the reader tests and the end-to-end build tests."""

from __future__ import annotations

from pathlib import Path

from gtna_analysis.ingest.clean import LEGACY_TO_MKHEDRULI

_TO_LEGACY = {v: k for k, v in LEGACY_TO_MKHEDRULI.items()}


def legacy(text: str) -> str:
    """What a pre-Unicode Georgian document stores for ``text`` (AcadNusx font, Latin keys)."""
    return "".join(_TO_LEGACY.get(ch, ch) for ch in text)


def make_docx(path: Path, paragraphs: list[str], table: list[list[str]] | None = None,
              soft_break: tuple[str, str] | None = None) -> Path:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if soft_break:
        paragraph = document.add_paragraph(soft_break[0])
        paragraph.add_run().add_break()
        paragraph.add_run(soft_break[1])
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    document.save(str(path))
    return path


def make_odt(path: Path, paragraphs: list[str], line_break: tuple[str, str] | None = None) -> Path:
    from odf import text
    from odf.opendocument import OpenDocumentText

    document = OpenDocumentText()
    for value in paragraphs:
        document.text.addElement(text.P(text=value))
    if line_break:
        paragraph = text.P(text=line_break[0])
        paragraph.addElement(text.LineBreak())
        paragraph.addText(line_break[1])
        section = text.Section(name="s1")
        section.addElement(paragraph)
        document.text.addElement(section)
    document.save(str(path))
    return path
