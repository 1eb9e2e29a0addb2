"""Memos: Markdown with front matter in <study>/memos/, listed, errors located; an agency memo is printed in
the agency report as a delimited, escaped "Analyst's note"."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from gtna_analysis.errors import GtnaError
from gtna_analysis.explore import memos
from gtna_analysis.explore.memos import Memo
from gtna_analysis.reports import sections


def test_a_memo_round_trips_and_keeps_its_creation_time(tmp_path: Path) -> None:
    path = memos.save_memo(tmp_path, Memo("interview", "MOES-03", "First *thought*.", "Title", "nino"))
    assert path == tmp_path / "memos" / "interview" / "MOES-03.md"
    first = memos.read_memo(path)
    assert (first.title, first.author, first.body) == ("Title", "nino", "First *thought*.")
    time.sleep(1.1)
    memos.save_memo(tmp_path, Memo("interview", "MOES-03", "Second thought.", "Title", "nino"))
    second = memos.read_memo(path)
    assert second.created == first.created and second.updated > first.updated
    assert second.body == "Second thought."
    assert path.read_text(encoding="utf-8").startswith("---\nscope: interview\ntarget: MOES-03\n")


def test_memos_are_listed_by_scope_and_target(tmp_path: Path) -> None:
    memos.save_memo(tmp_path, Memo("study", "", "Overall."))
    memos.save_memo(tmp_path, Memo("code", "gbv.referral", "Referral is thin.", "Referral"))
    memos.save_memo(tmp_path, Memo("passage", "MOES-02-014", "Quote this."))
    listing = memos.list_memos(tmp_path)
    assert set(zip(listing["scope"], listing["target"], strict=True)) == {
        ("study", ""), ("code", "gbv.referral"), ("passage", "MOES-02-014")}
    assert (tmp_path / "memos" / "study.md").exists()
    assert memos.list_memos(tmp_path / "nowhere").empty


def test_bad_memos_are_errors_with_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="scope"):
        memos.memo_path(tmp_path, "chapter", "x")
    with pytest.raises(ValueError, match="target"):
        memos.memo_path(tmp_path, "interview", "../../etc/passwd")
    bad = tmp_path / "memos" / "agency" / "moes.md"
    bad.parent.mkdir(parents=True)
    bad.write_text("---\nscope: agency\ntarget: [unclosed\n---\nbody\n", encoding="utf-8")
    with pytest.raises(GtnaError) as err:
        memos.list_memos(tmp_path)
    assert f"{bad}:3:" in str(err.value) or f"{bad}:4:" in str(err.value)
    bad.write_text("no front matter\n", encoding="utf-8")
    with pytest.raises(GtnaError, match=r"moes\.md:1: a memo starts with a front matter"):
        memos.read_memo(bad)


def test_markdown_is_rendered_with_html_escaped() -> None:
    html = str(memos.render_markdown("**bold** <script>alert(1)</script> <img src=x onerror=y>"))
    assert "<strong>bold</strong>" in html
    assert "<script>" not in html and "<img" not in html


def _context(study: Path, agency: str | None, lang: str) -> sections.ReportContext:
    return sections.ReportContext.load(study / "processed", agency, lang, study)


def test_an_agency_memo_is_the_reports_analysts_note(study_copy: Path) -> None:
    assert str(sections.analysts_note(_context(study_copy, "moes", "en"))) == ""  # no memo, no note
    memos.save_memo(study_copy, Memo("agency", "moes", "Budgeting is **the** gap. <b>x</b>", "Budget"))
    note = str(sections.analysts_note(_context(study_copy, "moes", "ka")))
    assert note.startswith('<aside class="analysts-note"')
    assert "ანალიტიკოსის შენიშვნა: Budget" in note and "<strong>the</strong>" in note and "&lt;b&gt;" in note
    assert "Analyst&#39;s note" in str(sections.analysts_note(_context(study_copy, "moes", "en")))
    parts = sections.section(_context(study_copy, "moes", "en"), "profile")
    assert any("analysts-note" in str(p) for p in parts)
    assert str(sections.analysts_note(_context(study_copy, "molhsa", "en"))) == ""  # another agency: none
    assert str(sections.analysts_note(_context(study_copy, None, "en"))) == ""  # cross-agency report: none
    memos.save_memo(study_copy, Memo("agency", "moes", "Draft.", report=False))
    assert str(sections.analysts_note(_context(study_copy, "moes", "en"))) == ""
