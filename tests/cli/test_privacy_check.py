"""``gtna privacy-check``: clean on a real build and its exports; a name planted in each kind of file is found,
with its location; usage errors exit 2."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import MINI_CODEBOOK, copy_sample_study
from openpyxl import load_workbook

from gtna_analysis.atomic import current_generation
from gtna_analysis.build import build, write_outputs
from gtna_analysis.cli import main


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, Path]:
    """The sample study, its processed folder, and an XLSX and a QDPX export of it."""
    root = tmp_path_factory.mktemp("privacy")
    study = copy_sample_study(root / "raw", codebook=MINI_CODEBOOK)
    out = current_generation(write_outputs(build(study), root / "processed"))
    assert main(["export", "--study", str(study), "--processed", str(out), "--format", "xlsx", "--out",
                 str(root / "codings.xlsx"), "-q"]) == 0
    assert main(["export", "--study", str(study), "--processed", str(out), "--format", "qdpx", "--out",
                 str(root / "gtna.qdpx"), "-q"]) == 0
    return study, out, root / "codings.xlsx", root / "gtna.qdpx"


def check(capsys: pytest.CaptureFixture[str], study: Path, *paths: Path) -> tuple[int, str]:
    code = main(["privacy-check", "--study", str(study), *map(str, paths)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_a_real_build_and_its_exports_are_clean(built, capsys: pytest.CaptureFixture[str]) -> None:
    study, out, xlsx, qdpx = built
    code, printed = check(capsys, study, out, xlsx, qdpx)
    assert code == 0, printed
    assert "no participant name found in" in printed


@pytest.fixture
def processed_copy(built, tmp_path: Path) -> Path:
    copy = tmp_path / "processed"
    shutil.copytree(built[1], copy)
    return copy


def test_name_in_a_parquet_cell(built, processed_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = processed_copy / "segments.parquet"
    frame = pd.read_parquet(path)
    frame.loc[3, "text"] = frame.loc[3, "text"] + " როგორც ცინცაძემ თქვა"
    frame.to_parquet(path)
    code, printed = check(capsys, built[0], processed_copy)
    assert code == 1
    assert f"{path}: row 4, column text: 'ცინცაძემ'" in printed


def test_romanised_name_in_a_csv_line(built, processed_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = processed_copy / "codings.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] += ",Tsintsadse"  # German-style spelling of the header's ცინცაძე
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, printed = check(capsys, built[0], processed_copy)
    assert code == 1
    assert f"{path}:2: 'Tsintsadse'" in printed


def test_escaped_name_in_the_manifest(built, processed_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = processed_copy / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["inputs"]["transcripts/ნატო-კიკნაძე.md"] = "0" * 64
    path.write_text(json.dumps(manifest), encoding="utf-8")  # ensure_ascii: \u10d9… escapes hide the name
    code, printed = check(capsys, built[0], processed_copy)
    assert code == 1
    assert f"{path}:/inputs/transcripts/ნატო-კიკნაძე.md: 'ნატო-კიკნაძე'" in printed


def test_entities_and_line_break_hyphenation_in_html(built, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "reports" / "moes" / "ka.html"
    report.parent.mkdir(parents=True)
    entities = "".join(f"&#{ord(ch)};" for ch in "ბოლქვაძის")
    report.write_text(f"<p>ციტატა</p>\n<p>{entities} აზრით</p>\n<p>როგორც ღლონ-\nტმა თქვა</p>\n",
                      encoding="utf-8")
    code, printed = check(capsys, built[0], built[1], tmp_path / "reports")
    assert code == 1
    assert f"{report}:2: 'ბოლქვაძის'" in printed
    assert f"{report}:3: 'ღლონ-\\nტმა'" in printed


def test_name_in_a_notebook(built, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notebook = tmp_path / "ka.ipynb"
    notebook.write_text(json.dumps({"cells": [{"source": ["Revaz's view"]}]}), encoding="utf-8")
    code, printed = check(capsys, built[0], built[1], notebook)
    assert code == 1
    assert f"{notebook}:/cells/0/source/0: \"Revaz's\"" in printed


def test_name_in_an_xlsx_cell(built, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xlsx = tmp_path / "codings.xlsx"
    book = load_workbook(built[2])
    book["segments"]["B3"] = "ნათია ქორიძესთან ვისაუბრეთ"
    book.save(xlsx)
    code, printed = check(capsys, built[0], built[1], xlsx)
    assert code == 1
    assert f"{xlsx}!segments!B3: 'ნათია ქორიძესთან'" in printed


def test_name_in_a_qdpx_member(built, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    qdpx = tmp_path / "gtna.qdpx"
    with zipfile.ZipFile(built[3]) as source, zipfile.ZipFile(qdpx, "w") as target:
        for member in source.namelist():
            data = source.read(member)
            if member.startswith("sources/") and member.endswith(".txt"):
                data += "\nP1: Chichinadze-მ თქვა\n".encode()
                planted = member
            target.writestr(member, data)
    code, printed = check(capsys, built[0], built[1], qdpx)
    assert code == 1
    assert f"{qdpx}:{planted}:" in printed and "'Chichinadze'" in printed  # Revaz Tchitchinadze in the header


def test_placeholders_and_ordinary_words_are_not_leaks(built, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("[P1] და [MOES-02:P3] მაინც მაისში ვიყავით; Ilia State University; ქუთაისი\n", encoding="utf-8")
    code, printed = check(capsys, built[0], built[1], text)
    assert code == 0, printed


def test_usage_errors_exit_2(built, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    study, out, _, _ = built
    assert check(capsys, study, tmp_path / "nope")[0] == 2
    code, printed = check(capsys, study, out, tmp_path / "missing.xlsx")
    assert code == 2 and f"{tmp_path / 'missing.xlsx'}: no such file or folder" in printed
    with pytest.raises(SystemExit) as exit_info:
        main(["privacy-check"])
    assert exit_info.value.code == 2


def test_a_missing_study_is_a_located_error(built, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, printed = check(capsys, tmp_path / "no-study", built[1])
    assert code == 1 and f"{tmp_path / 'no-study'}: study folder not found" in printed


def test_help_has_examples_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["privacy-check", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out and "exit codes: 0 no name found, 1 a name found" in out


def test_embedded_images_are_skipped_but_not_the_text_beside_them(built, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    image = "iVBORw0KGgo" + "A" * 5000
    report = tmp_path / "report.html"
    report.write_text(f'<img src="data:image/png;base64,{image}"> Revaz said\n', encoding="utf-8")
    notebook = tmp_path / "nb.ipynb"
    notebook.write_text(json.dumps({"cells": [{"outputs": [{"data": {"image/png": image,
                                                                     "text/plain": "a" * 300 + " Revaz"}}]}]}))
    code, printed = check(capsys, built[0], built[1], report, notebook)
    assert code == 1
    assert f"{report}:1: 'Revaz'" in printed and f"{notebook}:/cells/0/outputs/0/data/text/plain: 'Revaz'" in printed


def _pdf_of(html_text: str, folder: Path) -> Path:
    """A PDF printed by the same Chromium path `gtna report --format pdf` uses."""
    import os

    from gtna_analysis.reports.documents import write_pdfs

    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        if os.environ.get("CI"):
            pytest.fail("CI must have Debian chromium (.ci/run installs it)")
        pytest.skip("chromium not installed (apt-get install chromium)")
    page = folder / "ka.html"
    page.write_text(f'<!doctype html><html lang="ka"><meta charset="utf-8"><body>{html_text}</body></html>',
                    encoding="utf-8")
    write_pdfs([page])
    page.unlink()
    return page.with_suffix(".pdf")


def test_name_in_a_pdf_copy_of_a_report(built, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = _pdf_of("<h1>სამინისტრო</h1><p>ციტატა</p><p>როგორც ცინცაძემ თქვა, ტრენინგი საჭიროა.</p>", tmp_path)
    code, printed = check(capsys, built[0], built[1], pdf)
    assert code == 1, printed
    assert f"{pdf}: page 1:3: 'ცინცაძემ'" in printed


def test_a_clean_pdf_passes(built, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = _pdf_of("<p>[P1] თქვა, რომ ტრენინგი საჭიროა.</p>", tmp_path)
    code, printed = check(capsys, built[0], built[1], pdf)
    assert code == 0, printed
    assert "no participant name found in" in printed


@pytest.mark.parametrize("name, content", [
    ("damaged.pdf", b"%PDF-1.7\n1 0 obj <<"),
    ("damaged.xlsx", b"PK\x03\x04 not really"),
    ("damaged.parquet", b"PAR1 garbage"),
    ("damaged.qdpx", b"not a zip"),
    ("damaged.docx", b"not a zip either"),
])
def test_an_unreadable_file_is_named_not_called_clean(built, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, printed = check(capsys, built[0], built[1], path)
    assert code == 1
    assert "Traceback" not in printed
    assert f"{path}: cannot be read as {path.suffix}" in printed and "not checked" in printed
    assert "1 of " in printed and "could not be read and were not checked" in printed


def test_a_zip_bomb_in_the_exports_is_refused_not_inflated(built, tmp_path: Path, monkeypatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    qdpx = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(qdpx, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", b"\0" * (3 << 20))
    monkeypatch.setenv("GTNA_MAX_UNZIPPED_MB", "2")
    code, printed = check(capsys, built[0], built[1], qdpx)
    assert code == 1
    assert f"{qdpx}: member 'project.qde' expands to 3.0 MB, above the 2.0 MB limit" in printed
    monkeypatch.setenv("GTNA_MAX_UNZIPPED_MB", "4")
    assert check(capsys, built[0], built[1], qdpx)[0] == 0  # the same archive under a higher limit is read
