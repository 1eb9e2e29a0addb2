"""An agency memo printed in a report ("Analyst's note") is pseudonymised like the transcripts, and escaped;
``gtna privacy-check`` finds a name in a rendered note (HTML and the Word copy) if one ever gets through."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from shared_coding import built_sample

from gtna_analysis.cli import main
from gtna_analysis.explore import memos
from gtna_analysis.explore.memos import Memo
from gtna_analysis.ingest.leaks import scan_text
from gtna_analysis.reports import notes, sections

# MOES-01's participant P1 is ეკატერინე ლომსაძე in the sample headers (MOES-02 … are other people).
MEMO = ("ეკატერინე ლომსაძემ (MOES-01) ბიუჯეტირება ახსენა; ლომსაძის აზრით სახელმძღვანელოები უფრო მნიშვნელოვანია.\n\n"
        "Ekaterine Lomsadze agreed by e-mail (ekaterine.lomsadze@mes.gov.ge), ID 01024012345; "
        "ბატონმა დავით ხარაძემ დაადასტურა. <script>alert(1)</script>")
TITLE = "ლომსაძე: budgeting"


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    raw, processed = built_sample()
    copy = tmp_path_factory.mktemp("notes") / "raw"
    shutil.copytree(raw, copy)
    memos.save_memo(copy, Memo("agency", "moes", MEMO, TITLE))
    return copy, processed


def _names(study_root: Path):
    root = study_root.resolve()
    return notes._study_names(str(root), notes._stamp(root))


def test_the_memo_is_pseudonymised_before_it_reaches_the_report(study: tuple[Path, Path]) -> None:
    root, processed = study
    names = _names(root)
    assert scan_text(MEMO + TITLE, names)  # the memo as written does name the participant

    for lang in ("ka", "en"):
        note = str(sections.analysts_note(sections.ReportContext.load(processed, "moes", lang, root)))
        assert note.startswith('<aside class="analysts-note"')
        assert scan_text(note, names) == [], scan_text(note, names)
        assert "ლომსაძ" not in note and "Lomsadze" not in note and "Ekaterine" not in note
        assert note.count("[MOES-01:P1]") >= 4  # Georgian (two case forms), Latin, and in the title
        assert "[EMAIL]" in note and "mes.gov.ge" not in note
        assert "[PERSONAL-NO]" in note and "01024012345" not in note
        assert "ხარაძ" not in note and "[PERSON]" in note  # a third party, after a title
        assert "<script>" not in note and "&lt;script&gt;" in note  # escaped, never markup
    # the memo file itself is the analyst's and stays as written
    assert "ლომსაძემ" in memos.get_memo(root, "agency", "moes").body


def test_privacy_check_finds_a_name_in_a_rendered_note(study: tuple[Path, Path], tmp_path: Path) -> None:
    import docx

    root, processed = study
    unsafe = memos.render_markdown(MEMO)  # what a report printed before notes were pseudonymised
    safe = str(sections.analysts_note(sections.ReportContext.load(processed, "moes", "en", root)))
    for kind, html in (("unsafe", str(unsafe)), ("safe", safe)):
        folder = tmp_path / kind / "moes"
        folder.mkdir(parents=True)
        (folder / "en.html").write_text(f"<html><body>{html}</body></html>", encoding="utf-8")
        document = docx.Document()
        document.add_paragraph(notes.pseudonymise_note(root, Memo("agency", "moes", MEMO)).body
                               if kind == "safe" else MEMO)
        document.save(str(folder / "en.docx"))
    assert main(["privacy-check", str(processed), str(tmp_path / "safe"), "--study", str(root), "-q"]) == 0
    assert main(["privacy-check", str(processed), str(tmp_path / "unsafe" / "moes" / "en.html"),
                 "--study", str(root), "-q"]) == 1
    assert main(["privacy-check", str(processed), str(tmp_path / "unsafe" / "moes" / "en.docx"),
                 "--study", str(root), "-q"]) == 1
