"""Translated evidence: the export lists exactly the quotes the reports show in another language; a filled
file in <study>/translations/ puts the translation above the original; missing ones say so; bad files are
clear errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from shared_coding import built_sample

from gtna_analysis.cli import main
from gtna_analysis.errors import GtnaError
from gtna_analysis.reports import sections, translation_queue, translations


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    study, processed = built_sample()
    copy = tmp_path_factory.mktemp("translations") / "raw"
    shutil.copytree(study, copy)
    return copy, processed


def _shown(ctx: sections.ReportContext) -> list[dict]:
    return translation_queue.report_quotes(ctx)


def test_export_lists_every_foreign_quote_each_report_shows(sample: tuple[Path, Path], tmp_path: Path) -> None:
    study, processed = sample
    out = tmp_path / "t.xlsx"
    assert main(["export", "--format", "translations", "--study", str(study), "--processed", str(processed),
                 "--out", str(out), "-q"]) == 0
    sheet = pd.read_excel(out, sheet_name="translations", dtype=str).fillna("")
    assert list(sheet.columns) == translations.COLUMNS
    expected = set()
    for lang in ("ka", "en"):
        for agency in ("moes", "molhsa", "geostat", None):
            ctx = sections.ReportContext.load(processed, agency, lang, study)
            for q in _shown(ctx):
                if q["language"] != lang:
                    expected.add((lang, translations.key(q["quote"])))
                else:
                    assert not q["foreign"]
    assert {(r.target_language, translations.key(r.original)) for r in sheet.itertuples()} == expected
    assert len(expected) > 10 and (sheet["translation"] == "").all()
    assert (sheet["answer"] != "").all() and (sheet["question"] != "").all()  # context for the translator
    assert openpyxl.load_workbook(out)["README"]["A1"].value == "gtna-workbench translations"


def test_filled_translations_are_shown_above_the_original_and_the_rest_is_pending(
        sample: tuple[Path, Path], tmp_path: Path) -> None:
    study, processed = sample
    frame = translation_queue.needed(processed, study, ["en"], ["moes"], include_cross=False)
    assert len(frame) >= 2
    filled = frame.copy()
    filled.loc[filled.index[0], "translation"] = "=Teachers <b>said</b> this, translated."
    (study / "translations").mkdir(exist_ok=True)
    translations.export(filled, study / "translations" / "batch1.csv")
    try:
        ctx = sections.ReportContext.load(processed, "moes", "en", study)
        html = str(sections.quotes(ctx)) + str(sections.training_text(ctx))
        assert "=Teachers &lt;b&gt;said&lt;/b&gt; this, translated." in html            # escaped, never markup
        original = filled.loc[filled.index[0], "original"]
        block = html[html.index("=Teachers"):]
        assert block.index('class="gtna-original" lang="ka"') < block.index("</blockquote>")
        assert str(__import__("markupsafe").escape(original)) in block[:block.index("</blockquote>")]
        pending = translation_queue.pending_count(translation_queue.needed(processed, study, ["en"], ["moes"], False))
        assert pending == len(frame) - 1
        assert html.count("translation pending") >= 1
        ka = sections.ReportContext.load(processed, "moes", "ka", study)
        assert "თარგმანი მზადდება" in str(sections.quotes(ka)) + str(sections.training_text(ka))
    finally:
        shutil.rmtree(study / "translations")


def test_a_quote_in_the_report_language_is_preferred_when_equally_representative(sample: tuple[Path, Path]) -> None:
    from gtna_analysis.reports import analysis
    from gtna_analysis.tables import Tables

    _, processed = sample
    tables = Tables.load(processed)
    for theme in tables.codes["theme_id"].unique():
        for lang in ("ka", "en"):
            ranked = analysis.representative_quotes(tables, theme, "moes", 50, lang)
            if ranked.empty:
                continue
            ranked = ranked.assign(rounded=ranked["score"].round(1), foreign=ranked["language"] != lang)
            first_round = ranked.drop_duplicates("interview_id")
            for _, same in first_round.groupby("rounded"):  # within equal scores, own language first
                flags = same["foreign"].tolist()
                assert flags == sorted(flags), (theme, lang)


def test_a_translations_file_without_the_columns_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "translations").mkdir()
    bad = tmp_path / "translations" / "agency.csv"
    bad.write_text("segment,text\nA,b\n", encoding="utf-8")
    with pytest.raises(GtnaError, match=r"agency\.csv:1: missing column\(s\) target_language, original, translation"):
        translations.load(tmp_path)
    bad.write_text("target_language,original,translation\nfr,a,b\n", encoding="utf-8")
    with pytest.raises(GtnaError, match=r"agency\.csv:2: unknown target_language 'fr'"):
        translations.load(tmp_path)
    bad.write_bytes("target_language,original,translation\nen,\xe1,b\n".encode("latin-1"))
    with pytest.raises(GtnaError, match="not UTF-8"):
        translations.load(tmp_path)


def test_export_to_an_unknown_extension_is_a_clear_error(sample: tuple[Path, Path], tmp_path: Path,
                                                         capsys: pytest.CaptureFixture) -> None:
    study, processed = sample
    code = main(["export", "--format", "translations", "--study", str(study), "--processed", str(processed),
                 "--out", str(tmp_path / "t.txt")])
    assert code == 1 and "translations are exported as .xlsx or .csv" in capsys.readouterr().err
