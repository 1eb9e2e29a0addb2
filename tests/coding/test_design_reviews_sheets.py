"""Review sheets of designs, read and applied without a build: every field a row carries, every message a bad row
gets (all of them at once, at their lines), which files of ``reviews/`` are read, workbooks as well as CSV, and how
the reviewed rows replace extraction (only the reviewed participant and scope; totals from the reviewed parts)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from gtna_analysis.coding.design_reviews import apply_reviews, load_reviews
from gtna_analysis.errors import GtnaError
from gtna_analysis.schema import DESIGN_COLUMNS

PARTICIPANTS = {"A-01:P1", "A-01:P2", "B-01:P1"}
HEADER = ["participant_key", "scope", "part_no", "format", "hours", "min_hours", "max_hours", "sessions",
          "format_primary", "format_support", "support_purpose", "rejected_formats", "follow_up", "avoid_periods",
          "segment_id", "evidence"]


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER, bom: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def row(key: str = "A-01:P1", scope: str = "self", part_no: str = "1", **fields: str) -> list[str]:
    values = {"participant_key": key, "scope": scope, "part_no": part_no, **fields}
    return [values.get(column, "") for column in HEADER]


def reviewed(**fields: object) -> dict:
    """A row of ``load_reviews``' table: the defaults of an all-blank review row, then ``fields``."""
    key = str(fields.get("participant_key", "A-01:P1"))
    base = {"interview_id": key.partition(":")[0], "speaker_id": key.partition(":")[2], "participant_key": key,
            "scope": "self", "part_no": 1, "format": None, "hours": None, "min_hours": None, "max_hours": None,
            "sessions": None, "format_primary": None, "format_support": None, "support_purpose": None,
            "rejected_formats": "", "follow_up": False, "avoid_periods": "", "hypothetical": False,
            "segment_id": "", "evidence": "", "reviewed": True}
    return {**base, **fields}


def test_every_field_of_a_review_row(tmp_path: Path) -> None:
    header = [f"  {c.upper()} " if c in ("participant_key", "hours") else c for c in HEADER]  # as people type
    write_csv(tmp_path / "reviews" / "nino.csv", [
        row(" A-01:P1 ", "", "1", format="in_person", hours="12,5", sessions="2", format_primary="in_person",
            format_support="online", support_purpose=" pre-reading ", rejected_formats="online", follow_up="Yes",
            avoid_periods="march", segment_id="A-01-003", evidence="ორი დღე"),
        ["", " ", ""] + [""] * (len(HEADER) - 3),                            # a blank line in the sheet: skipped
        row("A-01:P1", "managers", "", hours="nan", min_hours="4", max_hours="8.0", sessions="None",
            follow_up="no"),
        row("B-01:P1", "all_staff", "2.0", format="any", hours="<NA>", format_primary="blended", follow_up="X"),
    ], header=header, bom=True)
    table = load_reviews(tmp_path / "reviews", PARTICIPANTS)
    expected = pd.DataFrame([
        reviewed(format="in_person", hours=12.5, sessions=2.0, format_primary="in_person", format_support="online",
                 support_purpose="pre-reading", rejected_formats="online", follow_up=True, avoid_periods="march",
                 segment_id="A-01-003", evidence="ორი დღე"),
        reviewed(scope="managers", part_no=0, min_hours=4.0, max_hours=8.0),
        reviewed(participant_key="B-01:P1", scope="all_staff", part_no=2, format="any", format_primary="blended",
                 follow_up=True),
    ])
    pd.testing.assert_frame_equal(table, expected)


@pytest.mark.parametrize(("value", "follow_up"), [("true", True), ("TRUE", True), ("1", True), ("yes", True),
                                                  ("x", True), ("0", False), ("no", False), ("", False),
                                                  ("maybe", False)])
def test_follow_up_words(tmp_path: Path, value: str, follow_up: bool) -> None:
    write_csv(tmp_path / "r.csv", [row(follow_up=value)])
    assert load_reviews(tmp_path, PARTICIPANTS)["follow_up"].tolist() == [follow_up]


def test_every_bad_row_and_file_is_reported_at_once(tmp_path: Path) -> None:
    bad = write_csv(tmp_path / "a-rows.csv", [
        row("NOPE-01:P1", "bosses", hours="many"),                 # 2: the key is checked first
        row("A-01:P1", "bosses", hours="many"),                    # 3: then the scope
        row("A-01:P1", hours="many", format="hybrid"),             # 4: then the numbers
        row("A-01:P2", part_no="first"),                           # 5
        row("A-01:P2", sessions="2 or 3"),                         # 6
        row("A-01:P1", format="hybrid", format_primary="hybrid"),  # 7: then the part's format
        row("A-01:P1", format_primary="hybrid"),                   # 8
        row("A-01:P1", format_primary="online", format_support="any"),  # 9
        row("A-01:P1", hours="8"),                                 # 10: a good row among them
    ])
    empty = tmp_path / "b-empty.csv"
    empty.write_bytes(b"")
    missing = write_csv(tmp_path / "c-missing.csv", [["A-01:P1", "8"]], header=["Participant_Key", "hours"])
    damaged = tmp_path / "d-damaged.xlsx"
    damaged.write_bytes(b"PK\x03\x04 not really a workbook")
    for ignored in (".a-hidden.csv", "~$lock.xlsx", "notes.txt", "e.tsv"):
        (tmp_path / ignored).write_text("not a sheet at all", encoding="utf-8")
    with pytest.raises(GtnaError) as caught:
        load_reviews(tmp_path, PARTICIPANTS)
    lines = str(caught.value).splitlines()
    numbers = "hours, bounds, sessions and part_no must be numbers"
    formats = "format_primary/format_support must be in_person, online or blended"
    assert lines[:-1] == [
        f"{bad}:2: unknown participant_key 'NOPE-01:P1' (hint: use interview_id:speaker_id from the build)",
        f"{bad}:3: unknown scope 'bosses' (hint: use one of self, managers, specialists, regional_staff, new_staff,"
        " all_staff)",
        f"{bad}:4: {numbers}",
        f"{bad}:5: {numbers}",
        f"{bad}:6: {numbers}",
        f"{bad}:7: unknown part format 'hybrid' (hint: use one of in_person, online, any)",
        f"{bad}:8: {formats}",
        f"{bad}:9: {formats}",
        f"{empty}:1: empty sheet (hint: expected a header row with participant_key, scope, part_no)",
        f"{missing}:1: missing column(s) scope, part_no (hint: export one with gtna export)",
    ]
    assert lines[-1].startswith(f"{damaged}: cannot read the workbook: ")


def test_a_missing_folder_is_no_review(tmp_path: Path) -> None:
    table = load_reviews(tmp_path / "reviews", PARTICIPANTS)
    assert table.empty and list(table.columns) == DESIGN_COLUMNS


def test_files_are_read_in_name_order_and_upper_case_suffixes_count(tmp_path: Path) -> None:
    write_csv(tmp_path / "b.CSV", [row("B-01:P1")])
    write_csv(tmp_path / "a.csv", [row("A-01:P2")])
    assert load_reviews(tmp_path, PARTICIPANTS)["participant_key"].tolist() == ["A-01:P2", "B-01:P1"]


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for values in rows:
            sheet.append(values)
    book.save(path)
    return path


def test_a_workbook_is_read_from_its_designs_sheet(tmp_path: Path) -> None:
    workbook(tmp_path / "export.xlsx", {
        "codings": [["segment_id", "code_id"], ["A-01-001", "x.y"]],
        "designs": [["participant_key", "scope", "part_no", "format", "hours", "follow_up", "evidence"],
                    ["A-01:P1", "self", 1, "online", 12.5, True, None],
                    [None, None, None, None, None, None, None],
                    ["A-01:P1", "self", 2, "in_person", 8, False, "  ორი დღე "]],
    })
    table = load_reviews(tmp_path, PARTICIPANTS)
    assert table[["part_no", "format", "hours", "follow_up", "evidence"]].to_dict("records") == [
        {"part_no": 1, "format": "online", "hours": 12.5, "follow_up": True, "evidence": ""},
        {"part_no": 2, "format": "in_person", "hours": 8.0, "follow_up": False, "evidence": "ორი დღე"}]


def test_a_workbook_without_a_designs_sheet_is_read_from_its_first(tmp_path: Path) -> None:
    path = workbook(tmp_path / "mine.xlsx", {"Sheet A": [["participant_key", "scope", "part_no", "hours"],
                                                         ["B-01:P1", "managers", 1, 3]],
                                             "Sheet B": [["participant_key", "scope", "part_no", "hours"],
                                                         ["A-01:P1", "self", 1, 5]]})
    table = load_reviews(tmp_path, PARTICIPANTS)
    assert table[["participant_key", "scope", "hours"]].to_dict("records") == [
        {"participant_key": "B-01:P1", "scope": "managers", "hours": 3.0}]
    # and a workbook's problems are at its lines too
    workbook(path, {"designs": [["participant_key", "scope"], ["B-01:P1", "self"]]})
    with pytest.raises(GtnaError, match=r"mine\.xlsx:1: missing column\(s\) part_no "):
        load_reviews(tmp_path, PARTICIPANTS)


def test_a_workbook_is_checked_as_a_zip_before_it_is_opened(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = workbook(tmp_path / "big.xlsx", {"designs": [["participant_key", "scope", "part_no"]]})
    monkeypatch.setenv("GTNA_MAX_ZIP_MEMBERS", "2")
    with pytest.raises(GtnaError, match=rf"^{re.escape(str(path))}: archive has \d+ members, more than 2 "):
        load_reviews(tmp_path, PARTICIPANTS)


# ------------------------------------------------------------------------------------------------ apply_reviews

def designs(*rows: dict) -> pd.DataFrame:
    """A designs table with the build's column types (as ``participant_designs`` writes it)."""
    full = [{"agency": "a", "format_primary": None, "format_support": None, "support_purpose": None,
             "rejected_formats": "", "follow_up": False, "avoid_periods": "", "hypothetical": False,
             "segment_id": "", "evidence": "", "reviewed": False, "min_hours": None, "max_hours": None,
             "sessions": None, **r} for r in rows]
    for r in full:
        r["interview_id"], _, r["speaker_id"] = r["participant_key"].partition(":")
    return pd.DataFrame(full, columns=DESIGN_COLUMNS).astype(
        {"hours": "float64", "total_hours": "float64", "min_hours": "float64", "max_hours": "float64",
         "sessions": "Int64", "part_no": "int64", "follow_up": "bool", "hypothetical": "bool", "reviewed": "bool"})


EXTRACTED = designs(
    {"participant_key": "A-01:P1", "scope": "self", "part_no": 1, "format": "any", "hours": 16.0,
     "total_hours": 24.0},
    {"participant_key": "A-01:P1", "scope": "self", "part_no": 2, "format": "online", "hours": 8.0,
     "total_hours": 24.0},
    {"participant_key": "A-01:P1", "scope": "managers", "part_no": 1, "format": "any", "hours": 4.0,
     "total_hours": 4.0},
    {"participant_key": "B-01:P1", "scope": "self", "part_no": 1, "format": "online", "hours": 2.0,
     "total_hours": 2.0},
)


def test_no_reviews_leave_the_designs_as_they_are() -> None:
    assert apply_reviews(EXTRACTED, load_reviews(Path("/nonexistent/reviews"), PARTICIPANTS), {}) is EXTRACTED


def test_reviewed_rows_replace_only_their_participant_and_scope(tmp_path: Path) -> None:
    write_csv(tmp_path / "r.csv", [
        row("A-01:P1", "self", "2", format="online", hours="4", evidence="ოთხი საათი"),
        row("A-01:P1", "self", "1", format="in_person", hours="12", format_primary="in_person"),
        row("A-01:P1", "self", "3", format="any"),                     # a part without hours: not in the total
        row("A-01:P2", "specialists", "0", format_primary="online"),   # nobody's hours: no total
    ])
    merged = apply_reviews(EXTRACTED, load_reviews(tmp_path, PARTICIPANTS), {"A-01": "moes", "B-01": "geostat"})
    assert merged.dtypes.to_dict() == EXTRACTED.dtypes.to_dict()
    assert merged.index.tolist() == list(range(6))
    view = merged[["participant_key", "agency", "scope", "part_no", "format", "hours", "total_hours", "reviewed",
                   "evidence"]]
    view = view.astype(object).where(view.notna(), None)
    assert view.to_dict("records") == [
        {"participant_key": "A-01:P1", "agency": "a", "scope": "managers", "part_no": 1, "format": "any",
         "hours": 4.0, "total_hours": 4.0, "reviewed": False, "evidence": ""},
        {"participant_key": "A-01:P1", "agency": "moes", "scope": "self", "part_no": 1, "format": "in_person",
         "hours": 12.0, "total_hours": 16.0, "reviewed": True, "evidence": ""},
        {"participant_key": "A-01:P1", "agency": "moes", "scope": "self", "part_no": 2, "format": "online",
         "hours": 4.0, "total_hours": 16.0, "reviewed": True, "evidence": "ოთხი საათი"},
        {"participant_key": "A-01:P1", "agency": "moes", "scope": "self", "part_no": 3, "format": "any",
         "hours": None, "total_hours": 16.0, "reviewed": True, "evidence": ""},
        {"participant_key": "A-01:P2", "agency": "moes", "scope": "specialists", "part_no": 0, "format": None,
         "hours": None, "total_hours": None, "reviewed": True, "evidence": ""},
        {"participant_key": "B-01:P1", "agency": "a", "scope": "self", "part_no": 1, "format": "online",
         "hours": 2.0, "total_hours": 2.0, "reviewed": False, "evidence": ""},
    ]


def test_a_sheet_with_only_the_required_columns_and_short_rows(tmp_path: Path) -> None:
    # spreadsheet programs drop a row's empty trailing cells: the fields a row lacks are empty
    (tmp_path / "short.csv").write_text("participant_key,scope,part_no,hours,evidence\nA-01:P1\n"
                                        "B-01:P1,managers,2,6\n", encoding="utf-8")
    table = load_reviews(tmp_path, PARTICIPANTS)
    pd.testing.assert_frame_equal(table, pd.DataFrame([reviewed(part_no=0),
                                                       reviewed(participant_key="B-01:P1", scope="managers",
                                                                part_no=2, hours=6.0)]))


def test_a_short_row_without_its_key_names_the_empty_key(tmp_path: Path) -> None:
    sheet = tmp_path / "keys-last.csv"
    sheet.write_text("scope,part_no,participant_key\nmanagers,1\n", encoding="utf-8")
    with pytest.raises(GtnaError) as caught:
        load_reviews(tmp_path, PARTICIPANTS)
    assert str(caught.value) == \
        f"{sheet}:2: unknown participant_key '' (hint: use interview_id:speaker_id from the build)"


def test_a_line_break_inside_a_quoted_cell_is_kept(tmp_path: Path) -> None:
    (tmp_path / "multi.csv").write_bytes('participant_key,scope,part_no,evidence\r\nA-01:P1,self,1,"ორი დღე,\r\n'
                                         'პირისპირ"\r\n'.encode())
    assert load_reviews(tmp_path, PARTICIPANTS)["evidence"].tolist() == ["ორი დღე,\r\nპირისპირ"]


def test_a_workbook_formula_is_read_as_its_saved_value(tmp_path: Path) -> None:
    # openpyxl saves no computed value for a formula (Excel does): the cell is then blank, not "=4*2"
    workbook(tmp_path / "formula.xlsx", {"designs": [["participant_key", "scope", "part_no", "hours"],
                                                     ["A-01:P1", "self", 1, "=4*2"]]})
    assert load_reviews(tmp_path, PARTICIPANTS)["hours"].isna().tolist() == [True]
