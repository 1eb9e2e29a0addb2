"""Interview metadata (``ingest.interview``): interviews.csv read as a researcher saves it from Excel, header and
CSV merged (one source of truth per field), and every field checked — each problem with the full message a
researcher sees and the line it points at, all problems of a file at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_study

from gtna_analysis.errors import GtnaError
from gtna_analysis.ingest.interview import (
    InterviewMeta,
    Participant,
    load_interviews_csv,
    merge_metadata,
    validate_meta,
)
from gtna_analysis.study import Study, load_study
from gtna_analysis.yamlio import LineList, load_yaml_text

CSV = Path("interviews.csv")


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Study:
    return load_study(make_study(tmp_path_factory.mktemp("interview") / "study"))


def problems(error: pytest.ExceptionInfo[GtnaError]) -> list[str]:
    return [str(p) for p in error.value.problems]


def write_csv(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "interviews.csv"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# --- interviews.csv ----------------------------------------------------------------------------------------------

def test_csv_rows_are_keyed_by_file_with_their_lines(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "\ufeffinterview_id,file,agency,notes,\n"
                               " MOES-1 ,moes\\A.md,moes,  ,x\n"
                               'MOES-2,moes/B.md,moes,"two\nlines",\n')
    rows = load_interviews_csv(path)
    assert rows == {"moes/A.md": ({"interview_id": "MOES-1", "file": "moes\\A.md", "agency": "moes"}, 2),
                    "moes/B.md": ({"interview_id": "MOES-2", "file": "moes/B.md", "agency": "moes",
                                   "notes": "two\nlines"}, 4)}  # the line where the row ends, as csv counts


def test_participants_in_a_csv_cell(tmp_path: Path) -> None:
    cell = " P1 | ნინო ბერიძე | head | female | senior ;; P2|ლია||| ;P3||||unknown|extra"
    path = write_csv(tmp_path, f"interview_id,file,participants\nG-1,g.md,{cell}\n")
    participants = load_interviews_csv(path)["g.md"][0]["participants"]
    assert isinstance(participants, LineList)
    assert participants == [{"id": "P1", "name": "ნინო ბერიძე", "role": "head", "gender": "female", "level": "senior"},
                            {"id": "P2", "name": "ლია"}, {"id": "P3", "level": "unknown"}]
    assert participants.item_lines == [0, 0, 0]  # no line of their own: problems point at the row


def csv_problems(tmp_path: Path, text: str | bytes) -> list[str]:
    """The problems loading an interviews.csv of ``text`` raises (it must raise)."""
    with pytest.raises(GtnaError) as error:
        load_interviews_csv(write_csv(tmp_path, text))
    return problems(error)


def test_csv_problems_name_the_file_and_line(tmp_path: Path) -> None:
    csv = tmp_path / "interviews.csv"
    assert csv_problems(tmp_path, "interview_id,agency\nX,moes\n") == [
        f"{csv}:1: interviews.csv lacks column(s) file (hint: "
        "columns: interview_id, file, agency, date, mode, language, interviewer, participants)"]
    assert "lacks column(s) interview_id, file (hint" in csv_problems(tmp_path, "agency\nmoes\n")[0]
    assert "lacks column(s) interview_id, file (hint" in csv_problems(tmp_path, "")[0]
    assert csv_problems(tmp_path, "interview_id,file\nA,a.md\nB,\n") == [
        f"{csv}:3: row without a file name (hint: give the path under transcripts/)"]
    assert csv_problems(tmp_path, "interview_id,file\nA,moes/a.md\nB,x.md\nC,moes\\a.md\n") == [
        f"{csv}:4: file 'moes/a.md' listed twice (also on line 2)"]
    assert csv_problems(tmp_path, "interview_id,file\nA,\xe1.md\n".encode("cp1252")) == [
        f"{csv}:1: interviews.csv is not UTF-8 (invalid continuation byte) (hint: save it as UTF-8 CSV)"]


# --- header and CSV together -------------------------------------------------------------------------------------

HEADER = """interview_id: MOES-1
agency: moes
mode: group
participants:
  - {id: P1, name: ნინო ბერიძე, role: head}
  - {id: P2, name: ლია ხელაძე}
"""


def header(text: str = HEADER, offset: int = 1):
    return load_yaml_text(text, "t.md", line_offset=offset)


def test_header_and_csv_are_merged_with_the_lines_of_each_field() -> None:
    row = ({"interview_id": "MOES-1", "file": "moes/t.md", "date": "2018-03-13", "mode": "group"}, 7)
    data, lines = merge_metadata(header(), row, Path("t.md"), CSV)
    assert list(data) == ["interview_id", "date", "mode", "agency", "participants"]
    assert data["date"] == "2018-03-13" and data["agency"] == "moes"
    assert lines == {"interview_id": 2, "file": 7, "date": 7, "mode": 4, "agency": 3, "participants": 5}
    assert merge_metadata(None, None, Path("t.md"), None) == ({}, {})
    assert merge_metadata(None, row, Path("t.md"), CSV)[1] == dict.fromkeys(row[0], 7)


def test_the_same_value_in_both_is_no_conflict() -> None:
    row = ({"interview_id": " MOES-1 ", "participants": [{"name": "ლია ხელაძე", "id": "P2", "role": " "},
                                                         {"role": "head", "id": "P1", "name": "ნინო ბერიძე "}]}, 3)
    data, _ = merge_metadata(header(), row, Path("t.md"), CSV)  # other order, spaces, empty fields
    assert data["interview_id"] == "MOES-1"


@pytest.mark.parametrize(("row", "message"), [
    ({"mode": "individual"}, "t.md:4: mode is 'group' here but 'individual' in interviews.csv:9"),
    ({"participants": [{"id": "P1", "name": "ნინო ბერიძე", "role": "head"}]},
     "t.md:5: participants differ from those in interviews.csv:9"),
    ({"participants": [{"id": "P1", "name": "ნინო ბერიძე", "role": "deputy"}, {"id": "P2", "name": "ლია ხელაძე"}]},
     "t.md:5: participants differ from those in interviews.csv:9"),
    ({"participants": ["P1", "P2"]}, "t.md:5: participants differ from those in interviews.csv:9"),
])
def test_a_field_given_differently_in_both_is_an_error_at_the_header_line(row: dict, message: str) -> None:
    with pytest.raises(GtnaError) as error:
        merge_metadata(header(), (row, 9), Path("t.md"), CSV)
    assert problems(error) == [f"{message} (hint: keep one source of truth: remove it from the header or from the "
                               "CSV)"]


# --- every field checked -----------------------------------------------------------------------------------------

def validate(study: Study, text: str, warnings: list[str] | None = None, offset: int = 1) -> InterviewMeta:
    data = header(text, offset)
    lines = {key: data.line_of(key) for key in data}
    return validate_meta(data, lines, Path("t.md"), study, offset, warnings)


def test_a_valid_header_gives_the_interview(study: Study) -> None:
    warnings: list[str] = []
    meta = validate(study, HEADER + "date: 2018-03-13\ninterviewer: INT1\nlanguage: ka\nwave: 2\n", warnings)
    assert meta == InterviewMeta("MOES-1", "moes", "group", "ka",
                                 [Participant("P1", "ნინო ბერიძე", "head"), Participant("P2", "ლია ხელაძე")],
                                 "2018-03-13", "INT1", Path("t.md"))
    assert warnings == []
    assert meta.participant("p2") == Participant("P2", "ლია ხელაძე") and meta.participant("P3") is None


def test_names_are_trimmed_and_gender_and_level_lowercased(study: Study) -> None:
    meta = validate(study, "interview_id: A\nagency: moes\nmode: individual\nlanguage: en\nparticipants:\n"
                           "  - {id: R1, name: '  Nino  ', gender: Female, level: MID}\n")
    assert meta.participants == [Participant("R1", "Nino", "", "female", "mid")]
    assert (meta.date, meta.interviewer) == ("", "")
    blank = validate(study, "interview_id: A\nagency: moes\nmode: individual\nlanguage: en\nparticipants:\n"
                            "  - {id: R1, name: null, role: null}\n")
    assert blank.participants == [Participant("R1", "", "", "unknown", "unknown")]


def test_unknown_fields_are_warnings_at_their_line(study: Study) -> None:
    warnings: list[str] = []
    validate(study, HEADER + "language: ka\nlocation: Tbilisi\ncolour: red\n", warnings)
    assert warnings == ["t.md:10: unknown header field 'colour' ignored (known: agency, date, duration, file, "
                        "interview_id, interviewer, language, location, mode, notes, participants, transcriber, "
                        "wave)"]
    validate(study, HEADER + "language: ka\ncolour: red\n")  # no list given: no warnings wanted


def test_no_metadata_at_all(study: Study) -> None:
    with pytest.raises(GtnaError) as error:
        validate_meta({}, {}, Path("t.md"), study, 5)
    assert problems(error) == ["t.md:1: no interview metadata: add a YAML front-matter header or a row in "
                               "interviews.csv (hint: see README › Transcript files)"]


def test_every_problem_of_a_header_is_reported_at_its_line(study: Study) -> None:
    text = ("interview_id: 'MOES 1'\nagency: mof\nmode: pair\ndate: 13.03.2018\ninterviewer: Nino Beridze\n"
            "language: de\nparticipants:\n"
            "  - {id: P1, gender: f, level: boss}\n"
            "  - {name: ნინო}\n"
            "  - {id: 'participant number two', gender: Female}\n"
            "  - {id: p1}\n"
            "  - just a name\n")
    with pytest.raises(GtnaError) as error:
        validate(study, text, offset=10)
    assert problems(error) == [
        "t.md:11: interview_id 'MOES 1' may use letters, digits, '-', '_', '.'",
        "t.md:12: unknown agency 'mof' (hint: agencies in study.yml: moes, molhsa)",
        "t.md:13: mode must be individual or group, not 'pair'",
        "t.md:14: date '13.03.2018' is not YYYY-MM-DD",
        "t.md:15: interviewer 'Nino Beridze' should be a code such as INT1 (hint: names must not reach the processed "
        "tables; keep a key of codes elsewhere)",
        "t.md:16: unknown language 'de' (hint: use ka or en)",
        "t.md:18: gender 'f' is not one of female, male, other, unknown",
        "t.md:18: level 'boss' is not one of senior, mid, junior, unknown",
        "t.md:19: each participant needs at least an id, e.g. {id: P1, name: …}",
        "t.md:20: participant id 'participant number two' should be short, e.g. P1",
        "t.md:21: duplicate participant id 'p1'",
        "t.md:22: each participant needs at least an id, e.g. {id: P1, name: …}",
    ]


def test_missing_fields_are_reported_at_the_header(study: Study) -> None:
    with pytest.raises(GtnaError) as error:
        validate(study, "interview_id: A\nagency: ''\nparticipants: []\nnotes: x\n", offset=4)
    assert problems(error) == [f"t.md:4: missing required field '{key}'"
                               for key in ("agency", "mode", "language", "participants")]


def test_participants_that_are_not_a_list(study: Study) -> None:
    with pytest.raises(GtnaError) as error:
        validate(study, "interview_id: A\nagency: moes\nmode: individual\nlanguage: ka\nparticipants: P1\n")
    assert problems(error) == ["t.md:6: participants must be a list of {id, name, role, gender, level}"]


def test_an_individual_interview_with_two_participants(study: Study) -> None:
    with pytest.raises(GtnaError) as error:
        validate(study, HEADER.replace("mode: group", "mode: individual") + "language: ka\n")
    assert problems(error) == ["t.md:4: mode is individual but 2 participants are listed"]


@pytest.mark.parametrize(("field", "good", "bad"), [
    ("interview_id", ["MOES-01", "a.b_c", "9x"], ["-A", ".A", "A B", "ა"]),
    ("interviewer", ["INT", "ABCDEF", "INT1", "int-12", "MB_3", "Nb123"], ["ABCDEFG", "INT1234", "int", "IN T1",
                                                                           "INT-1-2", "ნინო"]),
    ("date", ["2018-03-13"], ["2018-3-13", "18-03-13", "2018-03-13x", "x2018-03-13"]),
])
def test_the_shapes_of_ids_codes_and_dates(study: Study, field: str, good: list[str], bad: list[str]) -> None:
    base = {"interview_id": "A", "agency": "moes", "mode": "individual", "language": "ka",
            "participants": [{"id": "P1"}]}
    for value in good:
        validate_meta({**base, field: value}, {}, Path("t.md"), study, 1)
    for value in bad:
        with pytest.raises(GtnaError):
            validate_meta({**base, field: value}, {}, Path("t.md"), study, 1)


@pytest.mark.parametrize(("pid", "ok"), [("P1", True), ("a", True), ("R_1-x", True), ("P" + "1" * 15, True),
                                         ("P" + "1" * 16, False), ("1P", False), ("P 1", False), ("_P", False)])
def test_the_shape_of_a_participant_id(study: Study, pid: str, ok: bool) -> None:
    data = {"interview_id": "A", "agency": "moes", "mode": "individual", "language": "ka",
            "participants": [{"id": pid}]}
    if ok:
        assert validate_meta(data, {}, Path("t.md"), study, 1).participants[0].id == pid
    else:
        with pytest.raises(GtnaError, match="should be short"):
            validate_meta(data, {}, Path("t.md"), study, 1)


def test_csv_participants_are_located_at_their_row(study: Study, tmp_path: Path) -> None:
    path = write_csv(tmp_path, "interview_id,file,agency,mode,language,participants\n"
                               "A,a.md,moes,group,ka,P1|ნინო|||x; |ლია\n")
    row = load_interviews_csv(path)["a.md"]
    data, lines = merge_metadata(None, row, Path("a.md"), path)
    with pytest.raises(GtnaError) as error:
        validate_meta(data, lines, Path("a.md"), study, 1)
    assert problems(error) == ["a.md:2: level 'x' is not one of senior, mid, junior, unknown",
                               "a.md:2: each participant needs at least an id, e.g. {id: P1, name: …}"]


def test_a_short_csv_participant_has_only_the_fields_given(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "interview_id,file,participants\nG-1,g.md,P1|ნინო;P2\n")
    assert load_interviews_csv(path)["g.md"][0]["participants"] == [{"id": "P1", "name": "ნინო"}, {"id": "P2"}]


@pytest.mark.parametrize(("csv_people", "header_people"), [
    ([{"id": "P1", "name": "P2"}], "[{id: P2, name: P1}]"),  # the same values under other keys
    (["P1", "P2"], "[P1, P3]"),  # plain lists
])
def test_participants_compare_by_key_and_value(csv_people: list, header_people: str) -> None:
    data = header(f"participants: {header_people}\n")
    with pytest.raises(GtnaError, match="participants differ"):
        merge_metadata(data, ({"participants": csv_people}, 2), Path("t.md"), CSV)


def test_fields_without_a_line_are_reported_at_the_header(study: Study) -> None:
    data = {"interview_id": "A", "agency": "mof", "mode": "individual", "language": "ka",
            "participants": [{"id": "P1"}], "colour": "red"}
    warnings: list[str] = []
    with pytest.raises(GtnaError) as error:
        validate_meta(data, {}, Path("t.md"), study, 7, warnings)
    assert problems(error) == ["t.md:7: unknown agency 'mof' (hint: agencies in study.yml: moes, molhsa)"]
    assert warnings[0].startswith("t.md:7: unknown header field 'colour'")


def test_absent_fields_are_only_missing(study: Study) -> None:
    with pytest.raises(GtnaError) as error:
        validate_meta({"mode": "individual", "language": "ka", "participants": [{"id": "P1"}]}, {}, Path("t.md"),
                      study, 3)
    assert problems(error) == ["t.md:3: missing required field 'interview_id'",
                               "t.md:3: missing required field 'agency'"]


def test_a_participant_without_a_name_has_an_empty_one(study: Study) -> None:
    meta = validate(study, "interview_id: A\nagency: moes\nmode: individual\nlanguage: ka\nparticipants: [{id: P1}]\n")
    assert meta.participants == [Participant("P1")]
