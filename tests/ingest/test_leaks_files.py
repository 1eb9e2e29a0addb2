"""The privacy check's reader (``ingest.leaks``) file type by file type, without building a study: where each
planted name is reported (line, JSON pointer, row and column, sheet and cell, paragraph, archive member), what is
decoded first (HTML entities, JSON escapes, a byte-order mark), what is skipped (embedded images, the encrypted
cache) and that a file it cannot read is listed as not checked — never passed as clean.

The CLI tests (tests/cli/test_privacy_check.py) do the same on a real build; these pin every branch of the reader
cheaply, so that a change to it that would let a name through fails here."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import pandas as pd
import pytest
from openpyxl import Workbook

from gtna_analysis.errors import GtnaError
from gtna_analysis.ingest.interview import InterviewMeta, Participant
from gtna_analysis.ingest.leaks import Leak, files_under, scan_file, scan_leaks, scan_text
from gtna_analysis.ingest.pseudonymise import StudyNames


@pytest.fixture(scope="module")
def names() -> StudyNames:
    return StudyNames([
        InterviewMeta("MOES-01", "moes", "individual", "ka", [Participant("P1", "ნინო ბერიძე")], interviewer="INT1"),
        InterviewMeta("MOES-02", "moes", "group", "en",
                      [Participant("P1", "Revaz Tchitchinadze"), Participant("P2", "ლია ბერიძე")],
                      interviewer="INT1"),
    ])


def found(leaks: list[Leak]) -> list[tuple[str, str]]:
    return [(leak.where, leak.found) for leak in leaks]


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


# --- scan_text ---------------------------------------------------------------------------------------------------

def test_scan_text_gives_the_words_as_written_and_whose_they_are(names: StudyNames) -> None:
    text = "ჩვენ ნინოსთან ვისაუბრეთ. Ｒｅｖａｚ's view; ბერი-\nძემ თქვა"
    hits = scan_text(text, names)
    assert hits == [("ნინოსთან", "MOES-01:P1"), ("Ｒｅｖａｚ's", "MOES-02:P1"),
                    ("ბერი-\nძემ", "MOES-01:P1, MOES-02:P2")]  # a surname two people share names both, sorted


def test_scan_text_of_clean_text_is_empty(names: StudyNames) -> None:
    assert scan_text("[MOES-01:P1] და [P2] მაისში ქუთაისში იყვნენ", names) == []


def test_a_leak_prints_where_what_and_whose() -> None:
    leak = Leak("out/a.csv", "out/a.csv:3", "ნინომ", "MOES-01:P1")
    assert str(leak) == "out/a.csv:3: 'ნინომ' (MOES-01:P1)"


# --- text files --------------------------------------------------------------------------------------------------

def test_text_lines_are_numbered_from_one(names: StudyNames, tmp_path: Path) -> None:
    path = write(tmp_path, "notes.csv", "id,text\n1,ციტატა\n2,ნინომ თქვა\n")
    leaks = scan_file(path, names)
    assert found(leaks) == [(f"{path}:3", "ნინომ")]
    assert leaks[0].file == str(path) and leaks[0].whose == "MOES-01:P1"


def test_shown_as_replaces_the_path_in_the_location(names: StudyNames, tmp_path: Path) -> None:
    path = write(tmp_path, "notes.txt", "ნინომ თქვა\n")
    leaks = scan_file(path, names, shown_as="report/notes.txt")
    assert found(leaks) == [("report/notes.txt:1", "ნინომ")] and leaks[0].file == str(path)


def test_a_name_hyphenated_across_lines_is_found_on_its_first_line(names: StudyNames, tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", "ციტატა\nროგორც ბერი-\n      ძემ თქვა\nბოლოს ტირე -")
    assert found(scan_file(path, names)) == [(f"{path}:2", "ბერი-\nძემ")]


def test_only_a_line_ending_in_a_hyphen_is_joined(names: StudyNames, tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "ბერი\nძემ თქვა\n")  # no hyphen: two ordinary words
    assert scan_file(path, names) == []


@pytest.mark.parametrize("suffix", [".html", ".htm", ".xml", ".qde", ".svg", ".qdc"])
def test_markup_has_its_entities_decoded(names: StudyNames, tmp_path: Path, suffix: str) -> None:
    entities = "".join(f"&#{ord(ch)};" for ch in "ნინომ")
    path = write(tmp_path, f"page{suffix}", f"<p>ციტატა</p>\n<p>{entities} &amp; Revaz</p>\n")
    assert found(scan_file(path, names)) == [(f"{path}:2", "ნინომ"), (f"{path}:2", "Revaz")]


@pytest.mark.parametrize("suffix", [".txt", ".md", ".csv", ".tsv"])
def test_plain_text_is_read_as_written(names: StudyNames, tmp_path: Path, suffix: str) -> None:
    """A reader of a text file sees ``&#4316;…`` literally, not a name; and a byte-order mark is no letter."""
    entities = "".join(f"&#{ord(ch)};" for ch in "ნინომ")
    path = write(tmp_path, f"plain{suffix}", b"\xef\xbb\xbfRevaz\n" + entities.encode())
    assert found(scan_file(path, names)) == [(f"{path}:1", "Revaz")]


def test_an_embedded_image_is_skipped_but_the_text_beside_it_is_read(names: StudyNames, tmp_path: Path) -> None:
    image = "UmV2YXo" + "A" * 3000  # base64 that spells no name ... but could hold pseudo-words
    path = write(tmp_path, "r.html", f'<img src="data:image/png;base64,{image}"> Revaz said, ბერი-\nძემ')
    assert found(scan_file(path, names)) == [(f"{path}:1", "Revaz"), (f"{path}:1", "ბერი-\nძემ")]


def test_undecodable_bytes_do_not_stop_the_check(names: StudyNames, tmp_path: Path) -> None:
    path = write(tmp_path, "x.txt", b"\xff\xfe\x00 broken\nRevaz\n")
    assert found(scan_file(path, names)) == [(f"{path}:2", "Revaz")]


# --- JSON and notebooks ------------------------------------------------------------------------------------------

def test_json_strings_are_located_by_pointer_keys_included(names: StudyNames, tmp_path: Path) -> None:
    document = {"inputs": {"transcripts/ნინო-ბერიძე.md": "0" * 8}, "people": ["x", {"who": "Revaz"}]}
    path = write(tmp_path, "manifest.json", json.dumps(document))  # ensure_ascii: \u10d0 escapes
    assert found(scan_file(path, names)) == [
        (f"{path}:/inputs/transcripts/ნინო-ბერიძე.md", "ნინო-ბერიძე"),
        (f"{path}:/people/1/who", "Revaz"),
    ]


def test_a_json_document_that_is_one_string_is_located_at_the_root(names: StudyNames, tmp_path: Path) -> None:
    path = write(tmp_path, "one.json", b"\xef\xbb\xbf" + json.dumps("Revaz said").encode())
    assert found(scan_file(path, names)) == [(f"{path}:/", "Revaz")]


def test_notebooks_have_entities_decoded_json_does_not(names: StudyNames, tmp_path: Path) -> None:
    entities = "".join(f"&#{ord(ch)};" for ch in "ნინომ")
    cells = {"cells": [{"outputs": [{"data": {"text/html": [f"<p>{entities}</p>"]}}]}]}
    notebook = write(tmp_path, "ka.ipynb", json.dumps(cells))
    assert found(scan_file(notebook, names)) == [(f"{notebook}:/cells/0/outputs/0/data/text/html/0", "ნინომ")]
    plain = write(tmp_path, "ka.json", json.dumps(cells))
    assert scan_file(plain, names) == []


def test_notebook_images_are_skipped_but_not_their_captions(names: StudyNames, tmp_path: Path) -> None:
    image = "UmV2YXo\n" + "A" * 400  # a base64 image as nbformat stores it: no spaces
    inline = f"see data:image/png;base64,{'UmV2YXo' * 40} Revaz"
    cells = {"cells": [{"outputs": [{"data": {"image/png": image, "text/plain": inline}}]}]}
    path = write(tmp_path, "nb.ipynb", json.dumps(cells))
    assert found(scan_file(path, names)) == [(f"{path}:/cells/0/outputs/0/data/text/plain", "Revaz")]


def test_broken_json_is_read_line_by_line(names: StudyNames, tmp_path: Path) -> None:
    """As plain text: its undecodable bytes replaced, its entities left as a reader of the file sees them."""
    entities = "".join(f"&#{ord(ch)};" for ch in "ნინომ")
    path = write(tmp_path, "cut.json", b'{"a": "\xff",\n "b": "Revaz \\u10d0 ' + entities.encode() + b"\n")
    assert found(scan_file(path, names)) == [(f"{path}:2", "Revaz")]


def test_an_undecodable_byte_does_not_turn_json_into_lines(names: StudyNames, tmp_path: Path) -> None:
    path = write(tmp_path, "m.json", b'{"a": "\xff", "b": "Revaz"}')
    assert found(scan_file(path, names)) == [(f"{path}:/b", "Revaz")]


def test_an_image_payload_that_spells_a_name_is_no_leak(names: StudyNames, tmp_path: Path) -> None:
    """Base64 is letters, digits, ``+`` and ``/``: megabytes of it hold short names by chance (``…/Revaz/…``)."""
    payload = "iVBORw0KGgo/Revaz/AAAA+Tchitchinadze+AA=="
    page = write(tmp_path, "r.html", f'<p>ციტატა</p>\n<img src="data:image/png;base64,{payload}">\n')
    assert scan_file(page, names) == []
    notebook = write(tmp_path, "nb.ipynb", json.dumps({"text/html": f'<img src="data:image/png;base64,{payload}">'}))
    assert scan_file(notebook, names) == []


# --- tables and office documents ---------------------------------------------------------------------------------

def test_parquet_cells_and_column_names(names: StudyNames, tmp_path: Path) -> None:
    frame = pd.DataFrame({"segment": [1, 2, 3], "text": ["ციტატა", "", "ნინომ თქვა"],
                          "Revaz": ["a", "b", "c"], "count": [4, 5, 6]})
    frame["note"] = pd.Series(["x", None, "Revaz's"], dtype="string")
    path = tmp_path / "segments.parquet"
    frame.to_parquet(path)
    assert found(scan_file(path, names)) == [
        (f"{path}: row 3, column text", "ნინომ"),
        (f"{path}: column name", "Revaz"),
        (f"{path}: row 3, column note", "Revaz's"),
    ]


def test_xlsx_cells_by_sheet_and_coordinate(names: StudyNames, tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "segments"
    book.active["A1"], book.active["B3"] = "text", "ნათია ნინოსთან"
    book.create_sheet("codes")["C2"] = "Revaz"
    book["codes"]["A1"] = 12
    path = tmp_path / "codings.xlsx"
    book.save(path)
    assert found(scan_file(path, names)) == [(f"{path}!segments!B3", "ნინოსთან"), (f"{path}!codes!C2", "Revaz")]


def test_docx_paragraphs_and_table_cells(names: StudyNames, tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("სათაური")
    document.add_paragraph("")
    document.add_paragraph("ნინომ თქვა")
    table = document.add_table(rows=2, cols=2)
    table.cell(1, 1).text = "Revaz"
    document.add_table(rows=1, cols=1).cell(0, 0).text = "ბერიძის აზრით"
    path = tmp_path / "ka.docx"
    document.save(path)
    assert found(scan_file(path, names)) == [
        (f"{path}: paragraph 3", "ნინომ"),
        (f"{path}: table 1, row 2, cell 2", "Revaz"),
        (f"{path}: table 2, row 1, cell 1", "ბერიძის"),
    ]


def _pdf(*lines: str) -> bytes:
    """A one-page PDF with a text layer (Helvetica, Latin lines), written by hand: pypdf extracts it."""
    content = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
        "/Contents 4 0 R >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def test_pdf_pages_line_by_line(names: StudyNames, tmp_path: Path) -> None:
    path = write(tmp_path, "en.pdf", _pdf("Ministry report", "quotes", "as Tchitchinadze said"))
    assert found(scan_file(path, names)) == [(f"{path}: page 1:3", "Tchitchinadze")]


# --- archives ----------------------------------------------------------------------------------------------------

def test_archive_members_are_read_by_their_own_type(names: StudyNames, tmp_path: Path) -> None:
    path = tmp_path / "gtna.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("sources/", b"")
        archive.writestr("sources/a.txt", "ციტატა\nP1: Chichinadze-მ თქვა\n")
        archive.writestr("project.qde", "<Project>&#4316;&#4312;&#4316;&#4317;&#4315;</Project>")
        archive.writestr("image.png", b"\x89PNG Revaz")
    assert found(scan_file(path, names)) == [
        (f"{path}:sources/a.txt:2", "Chichinadze"),
        (f"{path}:project.qde:1", "ნინომ"),
    ]


def test_an_archive_member_above_the_limit_is_refused(names: StudyNames, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.txt", b" " * (2 << 20))
    monkeypatch.setenv("GTNA_MAX_UNZIPPED_MB", "1")
    with pytest.raises(Exception, match=r"member 'a\.txt' expands to 2\.0 MB, above the 1\.0 MB limit"):
        scan_file(path, names)


def test_a_bomb_is_refused_under_the_name_it_is_shown_as(names: StudyNames, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The declared sizes are checked on the archive already open, not by opening the shown name again."""
    monkeypatch.setenv("GTNA_MAX_UNZIPPED_MB", "1")
    for name in ("bomb.zip", "bomb.xlsx"):
        path = tmp_path / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("a.txt", b" " * (2 << 20))
        with pytest.raises(GtnaError, match=rf"^export/{name}: member 'a\.txt' expands to 2\.0 MB, above the 1\.0 MB"):
            scan_file(path, names, shown_as=f"export/{name}")


def test_a_damaged_member_is_named_with_its_archive(names: StudyNames, tmp_path: Path) -> None:
    path = tmp_path / "gtna.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", b"<Project>" + b"x" * 5000 + b"</Project>")
    data = bytearray(path.read_bytes())
    start = data.index(b"project.qde") + len("project.qde")
    data[start + 2:start + 12] = b"\xff" * 10  # inside the deflated stream
    path.write_bytes(bytes(data))
    scan = scan_leaks([path], names)
    assert len(scan.unreadable) == 1 and scan.unreadable[0].startswith(f"{path}: member 'project.qde' is damaged (")


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_office_containers_are_bounded_before_they_are_opened(names: StudyNames, tmp_path: Path, suffix: str,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / f"bomb{suffix}"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b" " * (2 << 20))
    monkeypatch.setenv("GTNA_MAX_UNZIPPED_MB", "1")
    scan = scan_leaks([path], names)
    assert scan.unreadable == [f"{path}: member '[Content_Types].xml' expands to 2.0 MB, above the 1.0 MB limit "
                               "(hint: if the file is genuine, raise max_unzipped_mb under limits: in study.yml "
                               "(or GTNA_MAX_UNZIPPED_MB for one run))"]


# --- folders and the scan as a whole -----------------------------------------------------------------------------

def test_files_under_skips_the_encrypted_cache_at_any_depth(tmp_path: Path) -> None:
    for name in ("b.csv", "a/x.json", ".cache/cache.bin", "a/.cache/k", "d/.cache", "c/.cached/y.txt"):
        write(tmp_path, name, "x")  # a file named .cache is read; only a folder of that name is skipped
    assert files_under(tmp_path) == [tmp_path / n for n in ("a/x.json", "b.csv", "c/.cached/y.txt", "d/.cache")]
    assert files_under(tmp_path / "b.csv") == [tmp_path / "b.csv"]


def test_scan_counts_every_file_and_lists_the_unreadable_ones(names: StudyNames, tmp_path: Path) -> None:
    write(tmp_path, "out/a.txt", "Revaz\n")
    write(tmp_path, "out/image.png", b"\x89PNG Revaz")  # a type the check does not read: counted, nothing found
    broken = write(tmp_path, "out/damaged.xlsx", b"PK\x03\x04 not really")
    write(tmp_path, "out/.cache/k.bin", "ნინომ")
    other = write(tmp_path, "notes.md", "ნინომ\n")
    scan = scan_leaks([tmp_path / "out", other], names)
    assert scan.files == 4
    assert [(leak.where, leak.found) for leak in scan.leaks] == [(f"{tmp_path / 'out/a.txt'}:1", "Revaz"),
                                                                 (f"{other}:1", "ნინომ")]
    assert len(scan.unreadable) == 1
    assert scan.unreadable[0].startswith(f"{broken}: cannot be read as .xlsx (BadZipFile: ")
    assert scan.unreadable[0].endswith("); not checked")


def test_an_unreadable_file_does_not_hide_the_others(names: StudyNames, tmp_path: Path) -> None:
    write(tmp_path, "a.parquet", b"PAR1 garbage")
    write(tmp_path, "b.pdf", b"%PDF-1.7\n1 0 obj <<")
    write(tmp_path, "c.txt", "Revaz\n")
    scan = scan_leaks([tmp_path], names)
    assert scan.files == 3 and len(scan.leaks) == 1
    assert [u.split(": cannot be read as ")[1][:5] for u in scan.unreadable] == [".parq", ".pdf "]
