"""REFI-QDA files as other tools write them (issue 14): namespace variants, code sets, codable top-level codes,
and a .qdpx without codings in ``codings/``. Fixtures: ``tests/fixtures/interop/`` (hand-written in MAXQDA and
ATLAS.ti style; see the comments at the top of each file)."""

from __future__ import annotations

import dataclasses
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import copy_sample_study
from lxml import etree
from shared_coding import REFI_DATA, sample_codebook, sample_tables

from gtna_analysis.cli import main
from gtna_analysis.coding.codebook import CodeGroup, load_codebook
from gtna_analysis.errors import GtnaError
from gtna_analysis.exchange.qdc import codebook_to_qdc, qdc_to_codebook
from gtna_analysis.exchange.qdpx import build_project, read_qdpx_codings
from gtna_analysis.exchange.refi_xml import NS_CODEBOOK, NS_PROJECT, guid

INTEROP = Path(__file__).resolve().parents[1] / "fixtures" / "interop"
CODEBOOK_XSD = etree.XMLSchema(etree.parse(str(REFI_DATA / "Codebook.xsd")))
PROJECT_XSD = etree.XMLSchema(etree.parse(str(REFI_DATA / "Project.xsd")))
SOURCE_GUID = "{b0000000-0000-4000-8000-000000000001}"


def as_standard(data: bytes, variant: str, standard: str) -> etree._Element:
    return etree.fromstring(data.replace(variant.encode(), standard.encode()))


def maxqda_qdpx(dest: Path, selection: tuple[int, int, str] | None = None) -> Path:
    """The MAXQDA-style project with the sample build's MOES-01 text as its source (optionally one coding)."""
    project = (INTEROP / "maxqda_project" / "project.qde").read_text(encoding="utf-8")
    if selection is not None:
        start, end, code = selection
        project = project.replace("\n    </TextSource>", f"""
      <PlainTextSelection guid="{{c0000000-0000-4000-8000-000000000001}}" startPosition="{start}" endPosition="{end}"
          creatingUser="{{a1b2c3d4-0000-4000-8000-000000000001}}">
        <Coding guid="{{c0000000-0000-4000-8000-000000000002}}" creatingUser="{{a1b2c3d4-0000-4000-8000-000000000001}}">
          <CodeRef targetGUID="{code}"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>""")
    text = sample_tables("documents")["documents"].set_index("interview_id").loc["MOES-01", "text"]
    with zipfile.ZipFile(dest, "w") as archive:
        archive.writestr("project.qde", project)
        archive.writestr(f"sources/{SOURCE_GUID}.txt", "\ufeff" + text.replace("\n", "\r\n"))  # as Windows tools do
    return dest


# --- the fixtures are REFI-QDA documents apart from their namespace spelling ---------------------------------

def test_fixtures_are_valid_refi_qda_once_the_namespace_is_spelled_the_standard_way() -> None:
    for name, variant in (("maxqda_codebook.qdc", "urn:QDA-XML:codebook:1:0"),
                          ("atlasti_codebook_0_4.qdc", "urn:QDA-XML:codebook:0:4")):
        root = as_standard((INTEROP / name).read_bytes(), variant, NS_CODEBOOK)
        assert CODEBOOK_XSD.validate(root), (name, CODEBOOK_XSD.error_log)
    root = as_standard((INTEROP / "maxqda_project" / "project.qde").read_bytes(), "urn:QDA-XML:project:1:0",
                       NS_PROJECT)
    assert PROJECT_XSD.validate(root), PROJECT_XSD.error_log


# --- namespaces ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("namespace", ["urn:QDA-XML:codebook:1.0", "urn:QDA-XML:codebook:1:0",
                                       "urn:QDA-XML:codebook:0:4", None])
def test_codebook_namespace_variants_are_read_alike(tmp_path: Path, namespace: str | None) -> None:
    data = (INTEROP / "atlasti_codebook_0_4.qdc").read_text(encoding="utf-8")
    data = data.replace(' xmlns="urn:QDA-XML:codebook:0:4"', f' xmlns="{namespace}"' if namespace else "")
    path = tmp_path / "c.qdc"
    path.write_text(data, encoding="utf-8")
    cb, _ = qdc_to_codebook(path)
    assert [c.id for c in cb.codes] == ["codes.budget", "codes.statistics", "codes.harassment"]


@pytest.mark.parametrize("namespace", ["urn:QDA-XML:project:1.0", "urn:QDA-XML:codebook:1.0", "urn:other:1.0"])
def test_a_codebook_in_another_namespace_is_refused(tmp_path: Path, namespace: str) -> None:
    path = tmp_path / "c.qdc"
    path.write_text(f'<?xml version="1.0"?>\n<CodeBook xmlns="{namespace}"><Codes/></CodeBook>'
                    if namespace != NS_CODEBOOK else f'<?xml version="1.0"?>\n<Codebook xmlns="{namespace}"/>',
                    encoding="utf-8")
    with pytest.raises(GtnaError, match=r"c\.qdc:2: root element is .*expected CodeBook in namespace "
                                        r"urn:QDA-XML:codebook:1\.0 \(or urn:QDA-XML:codebook:1:0"):
        qdc_to_codebook(path)


def test_a_folder_given_as_qdc_is_a_message(tmp_path: Path) -> None:
    (tmp_path / "x.qdc").mkdir()
    with pytest.raises(GtnaError, match="is a folder"):
        qdc_to_codebook(tmp_path / "x.qdc")


# --- codable top-level codes and sets -----------------------------------------------------------------------

def test_maxqda_codebook_keeps_codable_top_level_codes_and_sets(tmp_path: Path) -> None:
    cb, notes = qdc_to_codebook(INTEROP / "maxqda_codebook.qdc")
    fmt = cb.theme("treningis_pormati")
    assert fmt.codable and cb.has_code("treningis_pormati")  # applied as a code, not turned into a theme only
    assert [c.id for c in fmt.codes] == ["treningis_pormati", "treningis_pormati.onlain",
                                         "treningis_pormati.pirispir"]
    assert cb.code("treningis_pormati").label == {"ka": "ტრენინგის ფორმატი"}
    assert not cb.theme("violence").codable and not cb.has_code("violence")  # isCodable="false" stays a theme
    assert [(g.id, g.label, g.codes) for g in cb.groups] == [
        ("recommendations", {"en": "Recommendations"},
         ("treningis_pormati.onlain", "treningis_pormati.pirispir", "treningis_pormati")),
        ("sensitiuri", {"ka": "სენსიტიური"}, ("violence.domestic_violence",))]
    assert cb.groups[0].description == {"en": "Codes that feed the training recommendation."}
    assert any("1 codable top-level code(s)" in n for n in notes) and any("2 code group(s)" in n for n in notes)
    # to YAML and back: the same codebook
    out = tmp_path / "cb.yml"
    assert main(["codebook", "import", str(INTEROP / "maxqda_codebook.qdc"), "--out", str(out)]) == 0
    yaml_text = out.read_text(encoding="utf-8")
    assert "codable: true" in yaml_text and "groups:" in yaml_text
    again = load_codebook(out)
    assert again.codes == cb.codes and again.groups == cb.groups and again.themes == cb.themes


def test_groups_and_codable_themes_are_exported_back(tmp_path: Path) -> None:
    cb, _ = qdc_to_codebook(INTEROP / "maxqda_codebook.qdc")
    data = codebook_to_qdc(cb)
    root = etree.fromstring(data)
    assert CODEBOOK_XSD.validate(root), CODEBOOK_XSD.error_log
    q = f"{{{NS_CODEBOOK}}}"
    top = root.find(f"{q}Codes/{q}Code")
    assert top.get("isCodable") == "true" and top.get("guid") == guid("theme", "treningis_pormati")
    assert [c.get("name") for c in top.findall(f"{q}Code")] == ["ონლაინ", "პირისპირ"]  # its own code not repeated
    sets = root.findall(f"{q}Sets/{q}Set")
    assert [s.get("name") for s in sets] == ["Recommendations", "სენსიტიური"]
    assert [m.get("guid") for m in sets[0].findall(f"{q}MemberCode")] == [
        guid("code", "treningis_pormati.onlain"), guid("code", "treningis_pormati.pirispir"),
        guid("theme", "treningis_pormati")]
    path = tmp_path / "again.qdc"
    path.write_bytes(data)
    back, _ = qdc_to_codebook(path)
    assert back.themes == cb.themes and back.groups == cb.groups  # our own export round-trips exactly


def test_project_export_carries_sets_and_is_valid() -> None:
    base = sample_codebook()
    cb = dataclasses.replace(base, groups=[CodeGroup("tools", {"en": "Tools", "ka": "ინსტრუმენტები"},
                                                     (base.codes[0].id, base.themes[1].id))])
    project, _ = build_project(cb, sample_tables("documents", "segments", "codings", "interviews", "participants"))
    root = etree.fromstring(project)
    assert PROJECT_XSD.validate(root), PROJECT_XSD.error_log
    q = f"{{{NS_PROJECT}}}"
    sets = root.findall(f"{q}Sets/{q}Set")
    assert [(s.get("guid"), s.get("name")) for s in sets] == [(guid("set", "tools"), "Tools")]
    members = [m.get("targetGUID") for m in sets[0].findall(f"{q}MemberCode")]
    assert members == [guid("code", cb.codes[0].id), guid("theme", cb.themes[1].id)]


def test_codebook_groups_are_validated_with_lines(tmp_path: Path) -> None:
    path = tmp_path / "cb.yml"
    path.write_text("""codebook: {id: g, version: 1, languages: [ka, en]}
themes:
  - id: fmt
    label: {en: Format}
    codable: yes please
    codes:
      - {id: fmt.online, label: {en: Online}, patterns: {en: [online]}}
groups:
  - id: recs
    label: {en: Recommendations}
    codes: [fmt.online, fmt.onlien]
  - id: recs
    label: {en: Again}
  - {id: Bad Id, label: {en: x}}
  - {id: other, labl: {en: x}, codes: [fmt]}
""", encoding="utf-8")
    with pytest.raises(GtnaError) as info:
        load_codebook(path)
    problems = [str(p) for p in info.value.problems]
    assert f"{path}:5: theme fmt: codable must be true or false" in problems
    assert any(p.startswith(f"{path}:11: group recs: unknown code 'fmt.onlien'") and "fmt.online" in p
               for p in problems)
    assert any(p.startswith(f"{path}:12: duplicate group id 'recs'") for p in problems)
    assert any(p.startswith(f"{path}:14: group id 'Bad Id'") for p in problems)
    assert any(p.startswith(f"{path}:15: group other: unknown key 'labl'") for p in problems)
    assert any(p.startswith(f"{path}:15: group other: missing label") for p in problems)


def test_codable_theme_may_have_no_subcodes(tmp_path: Path) -> None:
    path = tmp_path / "cb.yml"
    path.write_text("""codebook: {id: g, version: 1, languages: [ka, en]}
themes:
  - {id: memo, label: {en: Memo-worthy}, codable: true}
  - id: fmt
    label: {en: Format}
    codes: [{id: fmt.online, label: {en: Online}, patterns: {en: [online]}}]
""", encoding="utf-8")
    cb = load_codebook(path)
    assert [c.id for c in cb.codes] == ["memo", "fmt.online"] and cb.code("memo").parent_id is None


# --- .qdpx from MAXQDA: namespace, codings on a codable top-level code, no codings at all ---------------------

def test_maxqda_project_codebook_and_codings_on_a_codable_top_level_code(tmp_path: Path) -> None:
    segments = sample_tables("segments")["segments"]
    segment = segments[(segments["interview_id"] == "MOES-01") & (segments["speaker_role"] == "participant")].iloc[0]
    empty = maxqda_qdpx(tmp_path / "empty.qdpx")
    cb, notes = qdc_to_codebook(empty)
    assert cb.theme("treningis_pormati").codable
    assert [g.codes for g in cb.groups] == [("treningis_pormati.onlain",)]  # the document set is no code group
    assert any("'MoES documents' has no codes" in n for n in notes)
    text = sample_tables("documents")["documents"].set_index("interview_id").loc["MOES-01", "text"]
    start, end = int(segment["start_char"]), int(segment["end_char"])
    shift = text.count("\n", 0, start)  # CR LF in the source: positions count the CRs (and not the BOM)
    coded = maxqda_qdpx(tmp_path / "coded.qdpx", (start + shift, end + shift + text.count("\n", start, end),
                                                  "{3f0b6a52-1c1e-4a86-9c55-6a9a1f2b7c01}"))
    coding = read_qdpx_codings(coded, segments, cb)
    rows = coding.codings[["segment_id", "code_id", "theme_id", "coder"]].values.tolist()
    assert rows == [[segment["segment_id"], "treningis_pormati", "treningis_pormati", "Tamar"]]


def test_qdpx_without_codings_in_codings_folder_stops_the_build(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    study = copy_sample_study(tmp_path / "study")
    (study / "codings").mkdir(exist_ok=True)
    maxqda_qdpx(study / "codings" / "maxqda_export.qdpx")
    assert main(["build", "--study", str(study), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert f"{study / 'codings' / 'maxqda_export.qdpx'}: no usable codings in this .qdpx" in err
    assert "Traceback" not in err
    shutil.rmtree(tmp_path / "out", ignore_errors=True)
