"""Word and OpenDocument transcripts beyond the common layouts (``ingest.readers.docx_reader`` / ``odt_reader``):
merged table cells, ODF white-space rules, what is not running text, and the messages for damaged files."""

from __future__ import annotations

import zipfile
from pathlib import Path

from transcript_files import make_docx

from gtna_analysis.ingest.readers import read_transcript

from .test_readers import error_of

# --- Word ---------------------------------------------------------------------------------------------------

def test_docx_merged_cells_are_read_once(tmp_path: Path) -> None:
    """Word repeats a horizontally merged cell for every grid column it spans; the row must not say it twice, and
    the cells after it must still be read."""
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "P1"  # speaker spread over the number and speaker columns
    table.cell(0, 2).text = "ჩემი პასუხი"
    table.cell(1, 0).text = "ინტერვიუერი"
    table.cell(1, 1).merge(table.cell(1, 2)).text = "შემდეგი კითხვა"
    path = tmp_path / "merged.docx"
    document.save(str(path))
    raw = read_transcript(path)
    assert [b.text for b in raw.body] == ["P1: ჩემი პასუხი", "ინტერვიუერი: შემდეგი კითხვა"]
    assert raw.path == path  # warnings and errors about the transcript name this file


def test_docx_header_problems_name_the_file(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "list.docx", ["---", "- just", "- a list", "---", "P1: hi"])
    assert error_of(path).startswith(f"{path}:1: front matter must be a YAML mapping")


def test_damaged_docx_message_says_what_to_do(tmp_path: Path) -> None:
    data = make_docx(tmp_path / "full.docx", ["P1: hi"]).read_bytes()
    cut = tmp_path / "cut.docx"
    cut.write_bytes(data[: len(data) // 2])
    assert error_of(cut) == (f"{cut}:1: not a readable .docx file: truncated or corrupt (PackageNotFoundError) "
                             "(hint: open it in Word or LibreOffice and save it again)")
    other = tmp_path / "other.docx"
    with zipfile.ZipFile(other, "w") as archive:  # a zip, but no Word document inside
        archive.writestr("a.txt", "hi")
    assert error_of(other) == (f"{other}:1: not a readable .docx file: truncated or corrupt (KeyError) "
                               "(hint: open it in Word or LibreOffice and save it again)")


# --- OpenDocument -------------------------------------------------------------------------------------------

_ODT_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"')
_MANIFEST = """<?xml version="1.0" encoding="utf-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:media-type="application/vnd.oasis.opendocument.text" manifest:full-path="/"/>
 <manifest:file-entry manifest:media-type="text/xml" manifest:full-path="content.xml"/>
</manifest:manifest>"""


def odt(path: Path, body: str) -> Path:
    """An .odt whose ``office:text`` holds ``body`` (ODF XML written by hand, as generators other than
    LibreOffice write it)."""
    content = (f'<?xml version="1.0" encoding="utf-8"?>\n<office:document-content {_ODT_NS} office:version="1.2">'
               f"<office:body><office:text>{body}</office:text></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", _MANIFEST)
        archive.writestr("content.xml", content)
    return path


def test_odt_spaces_tabs_and_line_breaks_follow_odf_rules(tmp_path: Path) -> None:
    """``text:s`` is one space unless ``text:c`` says how many; ``text:tab`` is a tab; the lines either side of a
    ``text:line-break`` are trimmed like paragraphs."""
    path = odt(tmp_path / "spaces.odt",
               "<text:p>P1: ერთი<text:s/>სივრცე, სამი<text:s text:c=\"3\"/>სივრცე</text:p>"
               "<text:p>P1: ცხრილი<text:tab/>ჩანართით</text:p>"
               "<text:p>ინტერვიუერი: პირველი ხაზი <text:line-break/> მეორე ხაზი</text:p>")
    assert [b.text for b in read_transcript(path).body] == [
        "P1: ერთი სივრცე, სამი   სივრცე", "P1: ცხრილი\tჩანართით", "ინტერვიუერი: პირველი ხაზი", "მეორე ხაზი"]


def test_odt_table_in_row_groups_with_a_header_and_a_time_column(tmp_path: Path) -> None:
    """Pandoc and LibreOffice put the header row in ``table:table-header-rows`` and may group the other rows; the
    header is still recognised (so the time column becomes the turn's timestamp) and every row is read. A cell's
    paragraphs are joined with a space."""
    def row(*cells: str) -> str:
        return "<table:table-row>" + "".join(
            "<table:table-cell>" + "".join(f"<text:p>{p}</text:p>" for p in cell.split("|")) + "</table:table-cell>"
            for cell in cells) + "</table:table-row>"

    path = odt(tmp_path / "table.odt",
               "<table:table><table:table-column/>"
               f"<table:table-header-rows>{row('დრო', 'მოსაუბრე', 'ტექსტი')}</table:table-header-rows>"
               f"<table:table-rows>{row('00:01:05', 'ინტერვიუერი', '[Q1] რა არის|პრიორიტეტები?')}</table:table-rows>"
               f"<table:table-row-group>{row('00:01:40', 'P1', 'ძალადობის პრევენცია.')}</table:table-row-group>"
               "</table:table>")
    assert [b.text for b in read_transcript(path).body] == [
        "[00:01:05] ინტერვიუერი: [Q1] რა არის პრიორიტეტები?", "[00:01:40] P1: ძალადობის პრევენცია."]


def test_odt_header_without_delimiters_and_line_numbers(tmp_path: Path) -> None:
    """Word processors eat ``---``: an .odt header may be bare ``key: value`` paragraphs; body lines are numbered
    by paragraph (what a researcher counts in the file) so that messages point at the right place."""
    path = odt(tmp_path / "bare.odt",
               "<text:p>interview_id: MOES-71</text:p><text:p>agency: moes</text:p><text:p/>"
               "<text:p>ინტერვიუერი: გამარჯობა</text:p><text:p>P1: გამარჯობა</text:p>")
    raw = read_transcript(path)
    assert raw.header == {"interview_id": "MOES-71", "agency": "moes"} and raw.path == path
    assert [(b.line, b.text) for b in raw.body if b.text] == [(4, "ინტერვიუერი: გამარჯობა"), (5, "P1: გამარჯობა")]


def test_odt_header_problems_name_the_file(tmp_path: Path) -> None:
    path = odt(tmp_path / "list.odt", "<text:p>---</text:p><text:p>- a list</text:p><text:p>---</text:p>")
    assert error_of(path).startswith(f"{path}:1: front matter must be a YAML mapping")


def test_damaged_or_non_text_odt_messages_say_what_to_do(tmp_path: Path) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet

    cut = tmp_path / "cut.odt"
    cut.write_bytes(odt(tmp_path / "full.odt", "<text:p>P1: hi</text:p>").read_bytes()[:200])
    assert error_of(cut) == (f"{cut}:1: not a readable .odt file: truncated or corrupt (BadZipFile) "
                             "(hint: open it in LibreOffice and save it again)")
    sheet = tmp_path / "sheet.odt"
    OpenDocumentSpreadsheet().save(str(sheet))
    assert error_of(sheet) == (f"{sheet}:1: not a text document: the .odt has no office:text body "
                               "(hint: save the transcript as a text document (.odt), not a spreadsheet or drawing)")
