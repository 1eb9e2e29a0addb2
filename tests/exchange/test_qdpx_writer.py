"""The .qdpx writer on a project small enough to spell out: every element, attribute and text another QDA tool reads.

The sample-study tests check the export against the schema and round-trip it; here a three-interview project with
shared spans, two coders, a participant without values and an interview without metadata pins what those cannot:
the order of users, variables, sources, selections and cases, the GUIDs they point at, the descriptions, the zip
layout (fixed dates, modes) and the error for codes missing from the codebook.
"""

from __future__ import annotations

import dataclasses
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from lxml import etree
from shared_coding import SMALL_CODEBOOK, write

from gtna_analysis.coding.codebook import Codebook, load_codebook
from gtna_analysis.errors import GtnaError
from gtna_analysis.exchange.qdpx import ZIP_DATE, build_project, export_qdpx, write_qdpx
from gtna_analysis.exchange.refi_xml import NS_PROJECT, ORIGIN, guid

Q = f"{{{NS_PROJECT}}}"
TEXT_A = "P1: ონლაინ ტრენინგი და ოჯახში ძალადობა. P2: data by sex please."
TEXT_B = "P1: protection orders."
TEXT_C = "P1: nothing coded here."


@pytest.fixture(scope="module")
def codebook(tmp_path_factory: pytest.TempPathFactory) -> Codebook:
    return load_codebook(write(tmp_path_factory.mktemp("cb") / "small.yml", SMALL_CODEBOOK))


def small_tables() -> dict[str, pd.DataFrame]:
    documents = pd.DataFrame({"interview_id": ["C-01", "B-01", "A-01"], "agency": ["mia", "moj", "moes"],
                              "language": ["en", "en", "ka"], "text": [TEXT_C, TEXT_B, TEXT_A]})
    segments = pd.DataFrame({"segment_id": ["A-01-001", "A-01-002", "B-01-001", "C-01-001"],
                             "speaker_id": ["P1", "P2", "P1", "P1"]})
    columns = ["interview_id", "segment_id", "code_id", "coder", "start_char", "end_char", "matched_text"]
    rows = [  # deliberately out of order: the writer sorts
        ("A-01", "A-01-002", "training.data", "auto:gtna-v1", 44, 55, "data by sex"),
        ("A-01", "A-01-001", "training.online", "auto:gtna-v1", 4, 38, "ონლაინ"),
        ("A-01", "A-01-001", "gbv.domestic", "nina", 4, 38, float("nan")),
        ("A-01", "A-01-001", "training.data", "auto:gtna-v1", 4, 38, ""),
        ("A-01", "A-01-002", "training.data", "nina", 44, 49, "data"),
        ("B-01", "B-01-001", "gbv.domestic.orders", "auto:gtna-v1", 4, 21, "protection orders"),
    ]
    codings = pd.DataFrame(rows, columns=columns)
    interviews = pd.DataFrame({"interview_id": ["A-01", "B-01"], "mode": ["group", "individual"]})
    participants = pd.DataFrame({"interview_id": ["B-01", "A-01", "A-01"], "participant_id": ["P1", "P2", "P1"],
                                 "agency": ["moj", "moes", "moes"], "gender": ["m", None, "f"],
                                 "level": ["senior", float("nan"), "junior"],
                                 "mode": ["individual", "group", "group"]})
    return {"documents": documents, "segments": segments, "codings": codings, "interviews": interviews,
            "participants": participants}


def values(element: etree._Element, root: etree._Element) -> dict[str, str | None]:
    names = {v.get("guid"): v.get("name") for v in root.iter(f"{Q}Variable")}
    return {names[vv.find(f"{Q}VariableRef").get("targetGUID")]: vv.findtext(f"{Q}TextValue")
            for vv in element.findall(f"{Q}VariableValue")}


def sel_guid(key: str) -> str:
    return guid("selection", key)


def test_project_root_users_and_variables(codebook: Codebook) -> None:
    project, _ = build_project(codebook, small_tables(), "small-study", "ka")
    root = etree.fromstring(project)
    assert root.tag == f"{Q}Project" and root.nsmap == {None: NS_PROJECT}
    assert dict(root.attrib) == {"name": "small-study", "origin": ORIGIN,
                                 "creatingUserGUID": guid("user", "gtna-workbench")}
    assert [child.tag.removeprefix(Q) for child in root] == ["Users", "CodeBook", "Variables", "Cases", "Sources"]
    assert [(u.get("guid"), u.get("name")) for u in root.findall(f"{Q}Users/{Q}User")] == [
        (guid("user", name), name) for name in ("gtna-workbench", "auto:gtna-v1", "nina")]
    variables = root.findall(f"{Q}Variables/{Q}Variable")
    assert [(v.get("name"), v.get("guid"), v.get("typeOfVariable"), v.findtext(f"{Q}Description"))
            for v in variables] == [
        ("agency", guid("variable", "agency"), "Text", "gtna participant attribute"),
        ("mode", guid("variable", "mode"), "Text", "gtna participant attribute"),
        ("gender", guid("variable", "gender"), "Text", "gtna participant attribute"),
        ("level", guid("variable", "level"), "Text", "gtna participant attribute"),
        ("language", guid("variable", "language"), "Text", "gtna interview attribute")]
    # the codebook in the language asked for
    online = next(c for c in root.iter(f"{Q}Code") if c.get("guid") == guid("code", "training.online"))
    assert online.get("name") == "ონლაინ"


def test_sources_selections_and_codings(codebook: Codebook) -> None:
    project, sources = build_project(codebook, small_tables(), "small-study")
    root = etree.fromstring(project)
    text_sources = root.findall(f"{Q}Sources/{Q}TextSource")
    assert [s.get("name") for s in text_sources] == ["A-01", "B-01", "C-01"]
    assert sources == {f"sources/{guid('source', i)}.txt": text
                       for i, text in (("A-01", TEXT_A), ("B-01", TEXT_B), ("C-01", TEXT_C))}
    a, b, c = text_sources
    assert dict(a.attrib) == {"guid": guid("source", "A-01"), "name": "A-01",
                              "plainTextPath": f"internal://{guid('source', 'A-01')}.txt",
                              "creatingUser": guid("user", "gtna-workbench")}
    assert a.findtext(f"{Q}Description") == "A-01 · agency moes · language ka"
    assert values(a, root) == {"agency": "moes", "mode": "group", "language": "ka"}
    assert values(b, root) == {"agency": "moj", "mode": "individual", "language": "en"}
    assert values(c, root) == {"agency": "mia", "mode": "", "language": "en"}  # no interview row: no mode
    assert c.findall(f"{Q}PlainTextSelection") == []

    selections = a.findall(f"{Q}PlainTextSelection")
    assert [(s.get("startPosition"), s.get("endPosition"), s.get("name")) for s in selections] == [
        ("4", "38", "A-01-001 P1"), ("44", "49", "A-01-002 P2"), ("44", "55", "A-01-002 P2")]
    shared = selections[0]
    # rows of a span sorted by code then coder: the first (gbv.domestic by nina) names the selection's creator
    assert dict(shared.attrib) == {"guid": sel_guid("A-01:4:38"), "name": "A-01-001 P1", "startPosition": "4",
                                   "endPosition": "38", "creatingUser": guid("user", "nina")}
    assert shared.findtext(f"{Q}Description") == "matched — training.online: ონლაინ"  # NaN and "" left out
    assert [(cd.get("guid"), cd.get("creatingUser"), cd.find(f"{Q}CodeRef").get("targetGUID"))
            for cd in shared.findall(f"{Q}Coding")] == [
        (guid("coding", "A-01:4:38:gbv.domestic:nina"), guid("user", "nina"), guid("code", "gbv.domestic")),
        (guid("coding", "A-01:4:38:training.data:auto:gtna-v1"), guid("user", "auto:gtna-v1"),
         guid("code", "training.data")),
        (guid("coding", "A-01:4:38:training.online:auto:gtna-v1"), guid("user", "auto:gtna-v1"),
         guid("code", "training.online"))]
    assert selections[1].findtext(f"{Q}Description") == "matched — training.data: data"
    assert selections[1].get("creatingUser") == guid("user", "nina")
    assert selections[2].get("creatingUser") == guid("user", "auto:gtna-v1")
    assert [child.tag.removeprefix(Q) for child in a] == [
        "Description", "PlainTextSelection", "PlainTextSelection", "PlainTextSelection",
        "VariableValue", "VariableValue", "VariableValue"]
    (orders,) = b.findall(f"{Q}PlainTextSelection")
    assert orders.findtext(f"{Q}Description") == "matched — gbv.domestic.orders: protection orders"
    assert [cd.find(f"{Q}CodeRef").get("targetGUID") for cd in orders.findall(f"{Q}Coding")] == [
        guid("code", "gbv.domestic.orders")]


def test_cases_point_at_their_source_and_their_own_selections(codebook: Codebook) -> None:
    root = etree.fromstring(build_project(codebook, small_tables())[0])
    assert root.get("name") == "gtna"
    cases = root.findall(f"{Q}Cases/{Q}Case")
    assert [(c.get("guid"), c.get("name"), c.findtext(f"{Q}Description")) for c in cases] == [
        (guid("case", "A-01:P1"), "A-01:P1", "participant P1 of interview A-01"),
        (guid("case", "A-01:P2"), "A-01:P2", "participant P2 of interview A-01"),
        (guid("case", "B-01:P1"), "B-01:P1", "participant P1 of interview B-01")]
    assert [values(c, root) for c in cases] == [
        {"agency": "moes", "mode": "group", "gender": "f", "level": "junior"},
        {"agency": "moes", "mode": "group", "gender": "", "level": ""},  # None and NaN: empty, not "None"/"nan"
        {"agency": "moj", "mode": "individual", "gender": "m", "level": "senior"}]
    refs = [([r.get("targetGUID") for r in c.findall(f"{Q}SourceRef")],
             [r.get("targetGUID") for r in c.findall(f"{Q}SelectionRef")]) for c in cases]
    assert refs == [
        ([guid("source", "A-01")], [sel_guid("A-01:4:38")]),
        ([guid("source", "A-01")], [sel_guid("A-01:44:49"), sel_guid("A-01:44:55")]),
        ([guid("source", "B-01")], [sel_guid("B-01:4:21")])]


def test_a_project_without_participants_has_no_cases_element(codebook: Codebook) -> None:
    tables = small_tables()
    tables["participants"] = tables["participants"].iloc[0:0]
    root = etree.fromstring(build_project(codebook, tables)[0])
    assert root.find(f"{Q}Cases") is None
    assert [child.tag.removeprefix(Q) for child in root] == ["Users", "CodeBook", "Variables", "Sources"]


def test_codings_of_codes_missing_from_the_codebook_are_refused(codebook: Codebook) -> None:
    tables = small_tables()
    extra = [("A-01", "A-01-001", f"gone.{n}", "nina", 4, 38, "") for n in "fedcba"]
    tables["codings"] = pd.concat([tables["codings"], pd.DataFrame(extra, columns=tables["codings"].columns)])
    with pytest.raises(GtnaError) as caught:
        build_project(codebook, tables)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line) == (str(codebook.source), None)
    assert problem.message == "codings use code(s) not in this codebook: gone.a, gone.b, gone.c, gone.d, gone.e"
    assert problem.hint == "rebuild with `gtna build`, or export with the codebook the tables were built with"
    with pytest.raises(GtnaError) as caught:
        build_project(dataclasses.replace(codebook, source=None), tables)
    assert caught.value.problems[0].path == "codebook"


def test_zip_layout_is_fixed_and_written_atomically(codebook: Codebook, tmp_path: Path) -> None:
    out = write_qdpx(str(tmp_path / "sub" / "p.qdpx"), b"<Project/>",
                     {"sources/B.txt": "ბ", "sources/A.txt": "a"})
    assert out == tmp_path / "sub" / "p.qdpx" and isinstance(out, Path)
    assert [p.name for p in out.parent.iterdir()] == ["p.qdpx"]  # no temporary file left behind
    with zipfile.ZipFile(out) as zf:
        infos = zf.infolist()
        assert [i.filename for i in infos] == ["project.qde", "sources/A.txt", "sources/B.txt"]
        assert all(i.date_time == ZIP_DATE == (1980, 1, 1, 0, 0, 0) for i in infos)
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in infos)
        assert all(i.external_attr >> 16 == 0o644 for i in infos)
        assert zf.read("project.qde") == b"<Project/>" and zf.read("sources/B.txt") == "ბ".encode()


def test_export_passes_name_and_language_on(codebook: Codebook, tmp_path: Path) -> None:
    tables = small_tables()
    out = export_qdpx(codebook, tables, tmp_path / "p.qdpx")
    project, sources = build_project(codebook, tables, "gtna", "en")
    with zipfile.ZipFile(out) as zf:
        assert zf.read("project.qde") == project
        assert {n: zf.read(n).decode() for n in zf.namelist() if n != "project.qde"} == sources
    named = export_qdpx(codebook, tables, tmp_path / "k.qdpx", "small-study", "ka")
    with zipfile.ZipFile(named) as zf:
        assert zf.read("project.qde") == build_project(codebook, tables, "small-study", "ka")[0]


def test_a_numeric_attribute_is_written_as_its_text(codebook: Codebook) -> None:
    tables = small_tables()
    tables["participants"] = tables["participants"].assign(level=[2.5, float("nan"), 3])
    root = etree.fromstring(build_project(codebook, tables)[0])
    assert [values(c, root)["level"] for c in root.findall(f"{Q}Cases/{Q}Case")] == ["3.0", "", "2.5"]


def test_a_coding_of_a_segment_missing_from_the_table_has_no_speaker(codebook: Codebook) -> None:
    tables = small_tables()
    extra = pd.DataFrame([("B-01", "B-01-099", "training.online", "nina", 0, 3, "")],
                         columns=tables["codings"].columns)
    tables["codings"] = pd.concat([tables["codings"], extra], ignore_index=True)
    root = etree.fromstring(build_project(codebook, tables)[0])
    (orphan,) = [s for s in root.iter(f"{Q}PlainTextSelection") if s.get("startPosition") == "0"]
    assert orphan.get("name") == "B-01-099"  # the segment id alone, no "None" or trailing space
    refs = {r.get("targetGUID") for r in root.iter(f"{Q}SelectionRef")}
    assert orphan.get("guid") not in refs  # no participant said it
