"""Translated evidence: every quote a report shows in the other language, exported for translators and read
back from ``<study>/translations/``.

Why: the English reports quoted Georgian answers untranslated (9 of 14 quotes in one report), so an English
reader could check nothing. The export lists, per report language, each quote that report would show in
another language, with its context (the question asked and the whole answer); researchers or a translation
agency fill the ``translation`` column and put the file (XLSX or CSV) in ``<study>/translations/``. Reports
then print the translation with the original beneath it, and say "translation pending" where none exists.

A translation belongs to the excerpt it was made from: it is looked up by target language and the excerpt
text (whitespace-normalised NFC), so when the quote a report picks changes, the old translation is not shown
under the new quote, and the new one is listed as pending and exported again.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from gtna_analysis.errors import GtnaError

FOLDER = "translations"
COLUMNS = ["target_language", "translation", "original", "source_language", "segment_id", "interview_id",
           "question_id", "question", "answer", "reports"]
REQUIRED = ("target_language", "original", "translation")
PENDING = {"ka": "თარგმანი მზადდება", "en": "translation pending"}
ORIGINAL = {"ka": "დედანი", "en": "original"}  # დედანი: the original of a translation
README = [
    "gtna-workbench translations",
    "",
    "One row per quote a report shows in a language other than the report's. Write the translation into the",
    "'translation' column (into 'target_language'); leave every other column as it is: 'original' is how the",
    "report finds the translation again. 'question' and 'answer' are context: the question asked and the",
    "whole answer the quote comes from. Save the file (XLSX or CSV, UTF-8) in <study>/translations/ and",
    "render the reports again (`gtna report`). Rows left empty stay 'translation pending'.",
]


def key(text: str) -> str:
    """How an excerpt is recognised again: NFC, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", str(text)).split())


@dataclass(frozen=True)
class Translations:
    """Translations read from a study, by (target language, excerpt key)."""

    by_key: dict[tuple[str, str], str]

    def get(self, original: str, target: str) -> str | None:
        return self.by_key.get((target, key(original)))

    def __len__(self) -> int:
        return len(self.by_key)


EMPTY = Translations({})


def load(study: str | Path | None) -> Translations:
    """Every filled translation in ``<study>/translations/*.csv|*.xlsx`` (later files win on a clash).
    A file without the needed columns is an input error naming the file."""
    if study is None:
        return EMPTY
    folder = Path(study) / FOLDER
    if not folder.is_dir():
        return EMPTY
    found: dict[tuple[str, str], str] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", "~$")) or path.suffix.lower() not in (".csv", ".xlsx"):
            continue
        frame = _read(path)
        missing = [c for c in REQUIRED if c not in frame.columns]
        if missing:
            raise GtnaError.at(path, 1, f"missing column(s) {', '.join(missing)}",
                               "export a template with `gtna export --format translations`")
        for line, row in enumerate(frame.itertuples(index=False), start=2):
            translation = _text(row.translation)
            if not translation:
                continue
            target = _text(row.target_language)
            if target not in PENDING:
                raise GtnaError.at(path, line, f"unknown target_language {target!r}", "use ka or en")
            found[(target, key(_text(row.original)))] = unicodedata.normalize("NFC", translation)
    return Translations(found)


def _read(path: Path) -> pd.DataFrame:
    try:
        if path.suffix.lower() == ".csv":
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        sheets = pd.read_excel(path, sheet_name=None, dtype=str)
    except UnicodeDecodeError:
        raise GtnaError.at(path, None, "not UTF-8 text", "save the CSV as UTF-8") from None
    except Exception as exc:  # a broken workbook or CSV: say which file
        raise GtnaError.at(path, None, f"cannot read: {type(exc).__name__}: {exc}") from None
    sheet = sheets.get("translations", next(iter(sheets.values()), pd.DataFrame()))
    return sheet.fillna("")


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()


def annotate(quote: dict, report_lang: str, translations: Translations) -> dict:
    """A quote dict with what the template needs: ``foreign`` (in another language than the report),
    ``translation`` (or None) and the labels for the original and a pending translation."""
    source = quote.get("language") or report_lang
    foreign = source != report_lang
    return {**quote, "language": source, "foreign": foreign,
            "translation": translations.get(quote["quote"], report_lang) if foreign else None,
            "pending_label": PENDING[report_lang], "original_label": ORIGINAL[report_lang]}


def export(frame: pd.DataFrame, out: Path) -> None:
    """The rows for translators as XLSX (a 'translations' sheet and a README sheet) or CSV (UTF-8 with BOM, so
    Excel opens Georgian correctly), written atomically; text cells stay text (no formulas)."""
    from gtna_analysis.atomic import atomic_path

    if out.suffix.lower() == ".csv":
        with atomic_path(out) as tmp:
            frame.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8-sig")
        return
    if out.suffix.lower() != ".xlsx":
        raise GtnaError.at(out, None, "translations are exported as .xlsx or .csv")
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "translations"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in frame.itertuples(index=False):
        sheet.append([str(v) if v is not None else "" for v in row])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.data_type = "s"  # a quote starting with '=' must never become a formula
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFGHIJ", (8, 60, 60, 8, 16, 12, 8, 40, 80, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    readme = book.create_sheet("README")
    for line in README:
        readme.append([line])
    with atomic_path(out) as tmp:
        book.save(tmp)
