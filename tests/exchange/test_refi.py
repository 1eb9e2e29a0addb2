"""REFI-QDA interchange: .qdc and .qdpx validated against the official XSDs, deterministic, and round-tripped."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from conftest import assert_no_header_names
from lxml import etree
from shared_coding import REFI_DATA, SMALL_CODEBOOK, built_sample, sample_codebook, sample_tables, write

from gtna_analysis.cli import main
from gtna_analysis.coding.codebook import load_codebook
from gtna_analysis.errors import GtnaError
from gtna_analysis.exchange.qdc import codebook_to_qdc, qdc_to_codebook
from gtna_analysis.exchange.qdpx import build_project, export_qdpx, read_qdpx_codings, write_qdpx
from gtna_analysis.exchange.refi_xml import NS_PROJECT, guid, slug

CODEBOOK_XSD = etree.XMLSchema(etree.parse(str(REFI_DATA / "Codebook.xsd")))
PROJECT_XSD = etree.XMLSchema(etree.parse(str(REFI_DATA / "Project.xsd")))
Q = f"{{{NS_PROJECT}}}"


def assert_valid(schema: etree.XMLSchema, data: bytes) -> etree._Element:
    root = etree.fromstring(data)
    assert schema.validate(root), "\n".join(str(e) for e in schema.error_log)
    return root


def tables() -> dict[str, pd.DataFrame]:
    return sample_tables("documents", "segments", "codings", "interviews", "participants", "codes")


def test_qdc_is_valid_deterministic_and_round_trips(tmp_path: Path) -> None:
    for cb in (sample_codebook(), load_codebook(write(tmp_path / "small.yml", SMALL_CODEBOOK))):
        data = codebook_to_qdc(cb, "ka")
        root = assert_valid(CODEBOOK_XSD, data)
        assert codebook_to_qdc(cb, "ka") == data
        assert root.get("origin", "").startswith("gtna-workbench")
        path = tmp_path / "cb.qdc"
        path.write_bytes(data)
        back, notes = qdc_to_codebook(path, patterns_from=cb)
        assert back.codes == cb.codes and "cannot carry patterns" in notes[-1]
        assert [(t.id, t.label, t.color, t.description) for t in back.themes] == \
               [(t.id, t.label, t.color, t.description) for t in cb.themes]
        bare, _ = qdc_to_codebook(path)
        assert all(not c.patterns for c in bare.codes)
        assert [(c.id, c.label, c.definition, c.translations) for c in bare.codes] == \
               [(c.id, c.label, c.definition, c.translations) for c in cb.codes]


def test_qdc_structure(tmp_path: Path) -> None:
    cb = load_codebook(write(tmp_path / "small.yml", SMALL_CODEBOOK))
    root = etree.fromstring(codebook_to_qdc(cb, "en"))
    ns = "{urn:QDA-XML:codebook:1.0}"
    themes = root.findall(f"{ns}Codes/{ns}Code")
    assert [t.get("name") for t in themes] == ["Violence", "Training"]
    assert [t.get("isCodable") for t in themes] == ["false", "false"]
    domestic = themes[0].find(f"{ns}Code")
    assert domestic.get("guid") == guid("code", "gbv.domestic") and domestic.get("color") == "#D55E00"
    assert domestic.find(f"{ns}Code").get("name") == "Protection orders"  # sub-code nested under its code
    description = domestic.find(f"{ns}Description").text
    assert description.startswith("Definition (ka): ოჯახში ძალადობა")
    assert "Exclude: Violence at school." in description and "Code id: gbv.domestic" in description


def test_foreign_codebook_import(tmp_path: Path) -> None:
    cb, notes = qdc_to_codebook(REFI_DATA / "foreign_codebook.qdc")
    assert [t.id for t in cb.themes] == ["dzaladoba", "codes"]
    violence = cb.theme("dzaladoba")
    assert violence.label == {"ka": "ძალადობა"} and violence.color == "#CC0000"
    assert violence.description == {"en": "Everything about violence."}
    assert [c.id for c in violence.codes] == ["dzaladoba.ojakhshi_dzaladoba",
                                              "dzaladoba.ojakhshi_dzaladoba.restraining_orders",
                                              "dzaladoba.adreuli_kortsineba"]
    family = cb.code("dzaladoba.ojakhshi_dzaladoba")
    assert family.definition == ("Violence in the family, as described by respondents. "
                                 "Second line of the same description.")
    assert family.color == ""  # same as its theme: inherited
    assert cb.code("dzaladoba.adreuli_kortsineba").color == "#46AA00"
    online = cb.code("codes.online_training")
    assert online.label == {"ka": "ონლაინ ტრენინგი", "en": "Online training"}
    assert online.translations["definition"] == {"en": "Wishes for online courses.", "ka": "ონლაინ კურსები."}
    assert online.include == "e-learning, webinars"
    assert cb.code("codes.code2_2018_priorities").label == {"en": "2018 priorities"}
    assert any("without children" in n for n in notes)
    # what we write from an import is a valid codebook YAML
    code = main(["codebook", "import", str(REFI_DATA / "foreign_codebook.qdc"), "--out", str(tmp_path / "f.yml")])
    assert code == 0 and load_codebook(tmp_path / "f.yml").codes == cb.codes


def test_slug() -> None:
    assert slug("ჯანდაცვა და სოციალური დაცვა", "x") == "jandatsva_da_sotsialuri_datsva"
    assert slug("2018 — plan", "theme1") == "theme1_2018_plan"
    assert slug("!!!", "code3") == "code3"


@pytest.mark.parametrize(("content", "message"), [
    (b"<CodeBook", "not well-formed XML"),
    (b'<?xml version="1.0"?><CodeBook xmlns="urn:other"><Codes/></CodeBook>', "expected CodeBook"),
    (b'<?xml version="1.0"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>', "no <Codes> element"),
])
def test_bad_qdc(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.qdc"
    path.write_bytes(content)
    with pytest.raises(GtnaError, match=message) as info:
        qdc_to_codebook(path)
    assert info.value.problems[0].line is not None


def test_qdpx_export_is_valid_and_complete(tmp_path: Path) -> None:
    t = tables()
    project, sources = build_project(sample_codebook(), t, "gtna-sample", "en")
    root = assert_valid(PROJECT_XSD, project)
    assert build_project(sample_codebook(), t, "gtna-sample", "en") == (project, sources)
    docs = t["documents"].set_index("interview_id")["text"]
    text_sources = root.findall(f"{Q}Sources/{Q}TextSource")
    assert len(text_sources) == len(docs)
    n_codings = 0
    for src in text_sources:
        text = sources[f"sources/{src.get('guid')}.txt"]
        assert text == docs[src.get("name")] and src.get("plainTextPath") == f"internal://{src.get('guid')}.txt"
        for sel in src.findall(f"{Q}PlainTextSelection"):
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            segment_id = sel.get("name").split()[0]
            seg = t["segments"].set_index("segment_id").loc[segment_id]
            assert text[start:end] == seg["text"]  # code-point offsets: Georgian text slices exactly
            n_codings += len(sel.findall(f"{Q}Coding"))
    assert n_codings == len(t["codings"])
    cases = root.findall(f"{Q}Cases/{Q}Case")
    assert len(cases) == len(t["participants"])
    variables = {v.get("guid"): v.get("name") for v in root.findall(f"{Q}Variables/{Q}Variable")}
    assert {"agency", "mode", "gender", "level", "language"} <= set(variables.values())
    first = cases[0]
    values = {variables[vv.find(f"{Q}VariableRef").get("targetGUID")]: vv.find(f"{Q}TextValue").text
              for vv in first.findall(f"{Q}VariableValue")}
    person = t["participants"].sort_values(["interview_id", "participant_id"]).iloc[0]
    assert values == {"agency": person["agency"], "mode": person["mode"], "gender": person["gender"],
                      "level": person["level"]}
    assert first.find(f"{Q}SourceRef").get("targetGUID") == guid("source", person["interview_id"])
    selection_guids = {s.get("guid") for s in root.iter(f"{Q}PlainTextSelection")}
    assert {r.get("targetGUID") for r in root.iter(f"{Q}SelectionRef")} <= selection_guids
    users = {u.get("name") for u in root.iter(f"{Q}User")}
    assert {"auto:gtna-v1", "coder_b"} <= users


def test_qdpx_file_is_reproducible_and_has_no_names(tmp_path: Path) -> None:
    study, _ = built_sample()
    a, b = tmp_path / "a.qdpx", tmp_path / "b.qdpx"
    export_qdpx(sample_codebook(), tables(), a, "gtna-sample")
    export_qdpx(sample_codebook(), tables(), b, "gtna-sample")
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as zf:
        names = zf.namelist()
        assert names[0] == "project.qde" and all(n.startswith("sources/") for n in names[1:])
        zf.extractall(tmp_path / "unzipped")
    for path in (tmp_path / "unzipped").rglob("*"):
        if path.is_file():
            path.rename(path.with_suffix(".xml" if path.suffix == ".qde" else ".txt"))
    assert_no_header_names(study, tmp_path / "unzipped")


def test_qdpx_round_trip(tmp_path: Path) -> None:
    t = tables()
    path = export_qdpx(sample_codebook(), t, tmp_path / "p.qdpx", "gtna-sample")
    back = read_qdpx_codings(path, t["segments"], sample_codebook())
    key = ["segment_id", "code_id", "coder", "start_char", "end_char", "source"]
    original = t["codings"][key].sort_values(key).reset_index(drop=True)
    assert back.codings[key].sort_values(key).reset_index(drop=True).equals(original)
    participants = set(t["segments"].loc[t["segments"]["speaker_role"] == "participant", "segment_id"])
    assert back.units["coder_b"] <= participants and len(back.units["auto:gtna-v1"]) == len(participants)


def _rewrite(path: Path, out: Path, edit_project: Callable, edit_text: Callable | None = None) -> Path:
    with zipfile.ZipFile(path) as zf:
        project = etree.fromstring(zf.read("project.qde"))
        sources = {n: zf.read(n).decode("utf-8") for n in zf.namelist() if n != "project.qde"}
    edit_project(project)
    if edit_text:
        sources = {n: edit_text(n, s) for n, s in sources.items()}
    return write_qdpx(out, etree.tostring(project, xml_declaration=True, encoding="utf-8", pretty_print=True),
                      sources)


def test_foreign_style_qdpx_import(tmp_path: Path) -> None:
    """Another tool re-saves the project: new GUIDs for codes and users, CR LF line ends, a BOM, a selection
    spanning two turns. Codes are then matched by label, offsets mapped back, and the selection split."""
    t = tables()
    seg = t["segments"].set_index("segment_id")
    ours = export_qdpx(sample_codebook(), t, tmp_path / "ours.qdpx", "gtna-sample")

    def edit(project: etree._Element) -> None:
        for code in project.iter(f"{Q}Code"):
            old = code.get("guid")
            code.set("guid", guid("foreign", old))
            for desc in code.findall(f"{Q}Description"):
                code.remove(desc)  # no 'Code id:' line either
            for ref in project.iter(f"{Q}CodeRef"):
                if ref.get("targetGUID") == old:
                    ref.set("targetGUID", code.get("guid"))
        for user in project.iter(f"{Q}User"):
            if user.get("name") == "coder_b":
                user.set("name", "Nino (NVivo)")
        source = next(s for s in project.iter(f"{Q}TextSource") if s.get("name") == "MOES-01")
        for sel in source.findall(f"{Q}PlainTextSelection"):
            source.remove(sel)
        a, b = seg.loc["MOES-01-002"], seg.loc["MOES-01-003"]
        text = t["documents"].set_index("interview_id").loc["MOES-01", "text"]
        shift = text.count("\n", 0, int(a["start_char"]))  # a CR before each LF (a BOM is not text)
        sel = etree.Element(f"{Q}PlainTextSelection", guid=guid("sel", "x"),
                            startPosition=str(int(a["start_char"]) + shift + 3),
                            endPosition=str(int(b["start_char"]) + shift + text.count("\n", int(a["start_char"]),
                                                                                       int(b["start_char"])) + 10),
                            creatingUser=guid("user", "coder_b"))
        coding = etree.SubElement(sel, f"{Q}Coding", guid=guid("coding", "x"), creatingUser=guid("user", "coder_b"))
        etree.SubElement(coding, f"{Q}CodeRef", targetGUID=guid("foreign", guid("code", "gbv.early_marriage")))
        source.insert(1, sel)

    def crlf(name: str, text: str) -> str:
        return "\ufeff" + text.replace("\n", "\r\n") if name.endswith(guid("source", "MOES-01") + ".txt") else text

    foreign = _rewrite(ours, tmp_path / "foreign.qdpx", edit, crlf)
    back = read_qdpx_codings(foreign, t["segments"], sample_codebook())
    assert set(back.coders) == {"auto:gtna-v1", "Nino (NVivo)"}
    moes = back.codings[back.codings["interview_id"] == "MOES-01"]
    assert moes[["segment_id", "code_id", "coder"]].values.tolist() == [
        ["MOES-01-002", "gbv.early_marriage", "Nino (NVivo)"], ["MOES-01-003", "gbv.early_marriage", "Nino (NVivo)"]]
    first, second = moes.iloc[0], moes.iloc[1]
    assert first["start_char"] == seg.loc["MOES-01-002", "start_char"] + 3
    assert first["end_char"] == seg.loc["MOES-01-002", "end_char"]
    assert second["matched_text"] == str(seg.loc["MOES-01-003", "text"])[:10]
    rest = back.codings[back.codings["interview_id"] != "MOES-01"]
    assert len(rest) == (t["codings"]["interview_id"] != "MOES-01").sum()


def test_qdpx_import_errors(tmp_path: Path) -> None:
    t = tables()
    ours = export_qdpx(sample_codebook(), t, tmp_path / "ours.qdpx", "gtna-sample")

    def unknown_code(project: etree._Element) -> None:
        codes = project.find(f"{Q}CodeBook/{Q}Codes")
        etree.SubElement(codes, f"{Q}Code", guid=guid("x", "new"), name="Brand-new code", isCodable="true")
        project.find(f".//{Q}CodeRef").set("targetGUID", guid("x", "new"))
        sel = project.find(f".//{Q}PlainTextSelection")
        sel.set("startPosition", "999999")

    bad = _rewrite(ours, tmp_path / "bad.qdpx", unknown_code,
                   lambda n, s: s.replace("ა", "ბ", 1) if n.endswith(guid("source", "MOES-02") + ".txt") else s)
    with pytest.raises(GtnaError) as info:
        read_qdpx_codings(bad, t["segments"], sample_codebook())
    text = "\n".join(str(p) for p in info.value.problems)
    assert f"{bad}:project.qde:" in text
    assert "is outside the source text" in text
    assert "source 'MOES-02': its text differs from the build's transcript" in text
    assert all(p.line for p in info.value.problems)
    not_zip = write(tmp_path / "x.qdpx", "plain text")
    with pytest.raises(GtnaError, match=r"not a \.qdpx"):
        read_qdpx_codings(not_zip, t["segments"], sample_codebook())


def test_cli_exports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    study, processed = built_sample()
    common = ["--study", str(study), "--processed", str(processed)]
    assert main(["codebook", "export", "--format", "qdc", *common, "--out", str(tmp_path / "cb.qdc")]) == 0
    assert_valid(CODEBOOK_XSD, (tmp_path / "cb.qdc").read_bytes())
    assert main(["codebook", "import", str(tmp_path / "cb.qdc"), "--out", str(tmp_path / "cb.yml")]) == 0
    assert main(["codebook", "import", str(tmp_path / "cb.qdc"), "--out", str(tmp_path / "cb.yml")]) == 1
    assert "file exists" in capsys.readouterr().err
    assert main(["codebook", "import", str(tmp_path / "cb.qdc"), "--patterns-from", str(study / "codebook.yml"),
                 "--out", str(tmp_path / "cb.yml"), "--force"]) == 0
    assert load_codebook(tmp_path / "cb.yml").codes == sample_codebook().codes
    assert main(["export", "--format", "qdpx", *common, "--source", "auto", "--out", str(tmp_path / "a.qdpx")]) == 0
    with zipfile.ZipFile(tmp_path / "a.qdpx") as zf:
        assert_valid(PROJECT_XSD, zf.read("project.qde"))
    assert main(["export", "--format", "csv", *common, "--out", str(tmp_path / "c.csv")]) == 0
    frame = pd.read_csv(tmp_path / "c.csv", encoding="utf-8-sig")
    assert list(frame.columns[:3]) == ["segment_id", "code_id", "coder"] and frame["text"].notna().all()
    assert main(["export", "--format", "qdpx", "--study", str(study), "--processed", str(tmp_path / "none"),
                 "--out", str(tmp_path / "x.qdpx")]) == 1
    assert "run `gtna build` first" in capsys.readouterr().err


def test_help_has_examples(capsys: pytest.CaptureFixture[str]) -> None:
    for command in (["codebook", "export"], ["codebook", "import"], ["export"], ["agreement"]):
        with pytest.raises(SystemExit) as info:
            main([*command, "--help"])
        assert info.value.code == 0
        assert "examples:" in capsys.readouterr().out
