"""REFI-QDA projects (.qdpx, Project 1.0): export the coded study, read codings made in another QDA tool.

A ``.qdpx`` is a zip with ``project.qde`` and one ``sources/<guid>.txt`` (UTF-8) per interview: the pseudonymised
transcript text exactly as in the ``documents`` table, cases (participants) with variables, and every coding as a
``PlainTextSelection`` whose ``startPosition``/``endPosition`` are Unicode code-point offsets into that text (end
exclusive, as in Python slices). Parse errors point at ``file.qdpx:project.qde:<line>``.
"""

from __future__ import annotations

import zipfile
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from lxml import etree

from gtna_analysis.atomic import atomic_path
from gtna_analysis.coding.codebook import Codebook
from gtna_analysis.coding.human import HumanCoding, codings_frame
from gtna_analysis.errors import GtnaError, ProblemLog
from gtna_analysis.ingest.readers.limits import check_zip, read_member

from .refi_xml import (
    NS_PROJECT,
    ORIGIN,
    QdcCode,
    code_guid,
    codes_element,
    guid,
    norm_guid,
    parse_xml,
    qname,
    read_codes,
    root_namespace,
    sets_element,
    xml_bytes,
)

ZIP_DATE = (1980, 1, 1, 0, 0, 0)


CASE_VARIABLES = ("agency", "mode", "gender", "level")


SOURCE_VARIABLES = ("agency", "mode", "language")
# Georgian national romanisation (2002), without apostrophes: ids only need to be readable ASCII.


def _text(parent: etree._Element, tag: str, value: str) -> None:
    etree.SubElement(parent, qname(NS_PROJECT, tag)).text = value


def _variable_value(parent: etree._Element, name: str, value: object) -> None:
    vv = etree.SubElement(parent, qname(NS_PROJECT, "VariableValue"))
    etree.SubElement(vv, qname(NS_PROJECT, "VariableRef"), targetGUID=guid("variable", name))
    _text(vv, "TextValue", "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value))


def build_project(codebook: Codebook, tables: dict[str, pd.DataFrame], name: str = "gtna",
                  lang: str = "en") -> tuple[bytes, dict[str, str]]:
    """``project.qde`` bytes and the source texts (zip member name → text) for a .qdpx."""
    documents = tables["documents"].sort_values("interview_id")
    segments = tables["segments"]
    codings = tables["codings"]
    interviews = tables["interviews"].set_index("interview_id")
    participants = tables["participants"]
    unknown = sorted(set(codings["code_id"]) - {c.id for c in codebook.codes})
    if unknown:
        raise GtnaError.at(codebook.source or "codebook", None,
                           f"codings use code(s) not in this codebook: {', '.join(unknown[:5])}",
                           "rebuild with `gtna build`, or export with the codebook the tables were built with")
    creator = "gtna-workbench"
    coders = sorted(set(codings["coder"].astype(str)))
    root = etree.Element(qname(NS_PROJECT, "Project"), nsmap={None: NS_PROJECT}, name=name, origin=ORIGIN,
                         creatingUserGUID=guid("user", creator))
    users = etree.SubElement(root, qname(NS_PROJECT, "Users"))
    for user in [creator, *coders]:
        etree.SubElement(users, qname(NS_PROJECT, "User"), guid=guid("user", user), name=user)
    codes_element(etree.SubElement(root, qname(NS_PROJECT, "CodeBook")), NS_PROJECT, codebook, lang)
    variables = etree.SubElement(root, qname(NS_PROJECT, "Variables"))
    for var in dict.fromkeys(CASE_VARIABLES + SOURCE_VARIABLES):
        v = etree.SubElement(variables, qname(NS_PROJECT, "Variable"), guid=guid("variable", var), name=var,
                             typeOfVariable="Text")
        _text(v, "Description", f"gtna {'participant' if var in CASE_VARIABLES else 'interview'} attribute")

    # Selections: one per (interview, span); several codes/coders on the same span share it.
    speaker = segments.set_index("segment_id")["speaker_id"].to_dict()
    spans: dict[tuple[str, int, int], list] = defaultdict(list)
    for row in codings.sort_values(["interview_id", "start_char", "end_char", "code_id", "coder"]).itertuples():
        spans[(row.interview_id, int(row.start_char), int(row.end_char))].append(row)
    by_speaker: dict[str, list[str]] = defaultdict(list)
    source_texts: dict[str, str] = {}

    cases = etree.SubElement(root, qname(NS_PROJECT, "Cases"))
    sources = etree.SubElement(root, qname(NS_PROJECT, "Sources"))
    selections_of: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for key in spans:
        selections_of[key[0]].append((key[1], key[2]))
    for doc in documents.itertuples():
        sguid = guid("source", doc.interview_id)
        source_texts[f"sources/{sguid}.txt"] = doc.text
        src = etree.SubElement(sources, qname(NS_PROJECT, "TextSource"), guid=sguid, name=doc.interview_id,
                               plainTextPath=f"internal://{sguid}.txt", creatingUser=guid("user", creator))
        meta = interviews.loc[doc.interview_id] if doc.interview_id in interviews.index else None
        _text(src, "Description", f"{doc.interview_id} · agency {doc.agency} · language {doc.language}")
        for start, end in sorted(selections_of.get(doc.interview_id, [])):
            rows = spans[(doc.interview_id, start, end)]
            sel_guid = guid("selection", f"{doc.interview_id}:{start}:{end}")
            seg_id = rows[0].segment_id
            by_speaker[f"{doc.interview_id}:{speaker.get(seg_id, '')}"].append(sel_guid)
            sel = etree.SubElement(src, qname(NS_PROJECT, "PlainTextSelection"), guid=sel_guid,
                                   name=f"{seg_id} {speaker.get(seg_id, '')}".strip(), startPosition=str(start),
                                   endPosition=str(end), creatingUser=guid("user", str(rows[0].coder)))
            matched = [f"{r.code_id}: {r.matched_text}" for r in rows if isinstance(r.matched_text, str)
                       and r.matched_text]
            if matched:
                _text(sel, "Description", "matched — " + " | ".join(matched))
            for r in rows:
                coding = etree.SubElement(sel, qname(NS_PROJECT, "Coding"),
                                          guid=guid("coding", f"{doc.interview_id}:{start}:{end}:{r.code_id}:"
                                                              f"{r.coder}"),
                                          creatingUser=guid("user", str(r.coder)))
                etree.SubElement(coding, qname(NS_PROJECT, "CodeRef"), targetGUID=code_guid(codebook, r.code_id))
        for var in SOURCE_VARIABLES:
            value = doc.agency if var == "agency" else doc.language if var == "language" else (
                meta["mode"] if meta is not None and "mode" in meta else "")
            _variable_value(src, var, value)
    for person in participants.sort_values(["interview_id", "participant_id"]).itertuples():
        key = f"{person.interview_id}:{person.participant_id}"
        case = etree.SubElement(cases, qname(NS_PROJECT, "Case"), guid=guid("case", key), name=key)
        _text(case, "Description", f"participant {person.participant_id} of interview {person.interview_id}")
        for var in CASE_VARIABLES:
            _variable_value(case, var, getattr(person, var, ""))
        etree.SubElement(case, qname(NS_PROJECT, "SourceRef"), targetGUID=guid("source", person.interview_id))
        for sel_guid in by_speaker.get(key, []):
            etree.SubElement(case, qname(NS_PROJECT, "SelectionRef"), targetGUID=sel_guid)
    if not len(cases):
        root.remove(cases)
    sets_element(root, NS_PROJECT, codebook, lang)
    return xml_bytes(root), source_texts


def write_qdpx(out: str | Path, project: bytes, sources: dict[str, str]) -> Path:
    """Zip ``project.qde`` and the sources with fixed timestamps, so identical input gives identical bytes."""
    with atomic_path(out) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, data in [("project.qde", project), *sorted((k, v.encode("utf-8")) for k, v in sources.items())]:
            info = zipfile.ZipInfo(member, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return Path(out)


def export_qdpx(codebook: Codebook, tables: dict[str, pd.DataFrame], out: str | Path, name: str = "gtna",
                lang: str = "en") -> Path:
    project, sources = build_project(codebook, tables, name, lang)
    return write_qdpx(out, project, sources)


@dataclass
class QdpxSelection:
    start: int
    end: int
    codings: list[tuple[str, str, int]]  # (code guid, user guid, line)
    user: str
    line: int


@dataclass
class QdpxSource:
    guid: str
    name: str
    text: str
    line: int
    selections: list[QdpxSelection] = field(default_factory=list)
    whole_codings: int = 0


def open_project(path: Path) -> tuple[etree._Element, zipfile.ZipFile]:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise GtnaError.at(path, None, f"not a .qdpx (zip) file: {exc}") from None
    check_zip(path, zf)
    names = {n.lower(): n for n in zf.namelist()}
    member = names.get("project.qde") or next((n for k, n in names.items() if k.endswith(".qde")), None)
    if member is None:
        raise GtnaError.at(path, None, "no project.qde inside the .qdpx")
    root = parse_xml(read_member(zf, member, path), f"{path}:{member}")
    root_namespace(root, "project", "Project", f"{path}:{member}")
    return root, zf


def read_qdpx(path: str | Path) -> tuple[dict[str, str], list[QdcCode], list[QdpxSource], str]:
    """Users (guid → name), the code tree, the text sources with their selections, and the project creator."""
    path = Path(path)
    root, zf = open_project(path)
    where = f"{path}:project.qde"
    ns = root_namespace(root, "project", "Project", where)
    users = {norm_guid(u.get("guid")): (u.get("name") or u.get("id") or u.get("guid") or "").strip()
             for u in root.iter(qname(ns, "User"))}
    holder = root.find(f"{qname(ns, 'CodeBook')}/{qname(ns, 'Codes')}")
    codes = read_codes(holder, ns) if holder is not None else []
    members = {Path(n).name.lower(): n for n in zf.namelist()}
    sources: list[QdpxSource] = []
    log = ProblemLog()
    for el in root.iter(qname(ns, "TextSource")):
        if el.getparent() is not None and el.getparent().tag != qname(ns, "Sources"):
            continue  # notes are TextSource-typed too
        content = el.find(qname(ns, "PlainTextContent"))
        text_path = el.get("plainTextPath") or ""
        if content is not None:
            text = content.text or ""
        elif text_path.startswith("internal://"):
            member = members.get(text_path[len("internal://"):].lower())
            if member is None:
                log.add(where, el.sourceline, f"source {el.get('name')!r}: {text_path} is not in the archive")
                continue
            try:
                text = read_member(zf, member, path).decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                log.add(f"{path}:{member}", None, f"source {el.get('name')!r} is not UTF-8 text ({exc.reason} at "
                        f"byte {exc.start})", "REFI-QDA plain-text sources must be UTF-8; re-export the project")
                continue
        else:
            log.add(where, el.sourceline, f"source {el.get('name')!r}: only internal:// plain text sources or "
                                          f"PlainTextContent are supported (got {text_path!r})")
            continue
        src = QdpxSource(norm_guid(el.get("guid")), (el.get("name") or "").strip(), text, el.sourceline or 0)
        for sel in el.findall(qname(ns, "PlainTextSelection")):
            try:
                start, end = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
            except ValueError:
                log.add(where, sel.sourceline, "PlainTextSelection needs integer startPosition and endPosition")
                continue
            codings = []
            for c in sel.findall(qname(ns, "Coding")):
                ref = c.find(qname(ns, "CodeRef"))
                if ref is None:
                    log.add(where, c.sourceline, "Coding without CodeRef")
                    continue
                codings.append((norm_guid(ref.get("targetGUID")), norm_guid(c.get("creatingUser")),
                                c.sourceline or 0))
            src.selections.append(QdpxSelection(start, end, codings, norm_guid(sel.get("creatingUser")),
                                                sel.sourceline or 0))
        src.whole_codings = len(el.findall(qname(ns, "Coding")))
        sources.append(src)
    zf.close()
    log.raise_if_any()
    return users, codes, sources, norm_guid(root.get("creatingUserGUID"))


def _offset_map(text: str) -> tuple[str, list[int] | None]:
    """Undo what other tools do to plain text (BOM, CR LF): normalised text and original→normalised offsets."""
    if not text.startswith("\ufeff") and "\r" not in text:
        return text, None
    mapping: list[int] = []
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        mapping.append(len(out))
        if (i == 0 and ch == "\ufeff") or (ch == "\r" and text[i + 1:i + 2] == "\n"):
            i += 1
            continue
        out.append("\n" if ch == "\r" else ch)
        i += 1
    mapping.append(len(out))
    return "".join(out), mapping


def _code_index(codebook: Codebook) -> tuple[dict[str, str], dict[str, str]]:
    by_guid = {code_guid(codebook, c.id): c.id for c in codebook.codes}
    by_name: dict[str, str] = {}
    for c in codebook.codes:
        for name in (c.id, *c.label.values()):
            by_name.setdefault(name.strip().lower(), c.id)
    return by_guid, by_name


def read_qdpx_codings(path: str | Path, segments: pd.DataFrame, codebook: Codebook) -> HumanCoding:
    """Codings of a .qdpx project as our codings table, one row per (selection × overlapped segment × code).

    Sources are matched to interviews by name (``MOES-01`` or ``MOES-01.txt``) or by our GUID; codes by our
    GUID, by id, or by label. The source text must be the transcript the build produced (BOM / CR LF
    differences are undone); otherwise offsets would land on the wrong words, so that is an error.
    """
    path = Path(path)
    where = f"{path}:project.qde"
    users, tree, sources, creator = read_qdpx(path)
    by_guid, by_name = _code_index(codebook)
    code_of: dict[str, str | None] = {}
    log = ProblemLog()

    def walk(items: list[QdcCode]) -> None:
        for item in items:
            declared = item.fields.get("id", {}).get("", "")
            code_of[item.guid] = (by_guid.get(item.guid) or (declared if codebook.has_code(declared) else None)
                                  or by_name.get(item.name.lower()))
            tree_lines[item.guid] = (item.name, item.line)
            walk(item.children)

    tree_lines: dict[str, tuple[str, int]] = {}
    walk(tree)

    segs = segments.sort_values(["interview_id", "start_char"])
    by_interview = {k: g for k, g in segs.groupby("interview_id", sort=False)}
    source_guid = {guid("source", i): i for i in by_interview}
    rows: list[dict] = []
    units: dict[str, set[str]] = defaultdict(set)
    file_coder = path.stem
    for src in sources:
        interview = (src.name if src.name in by_interview else Path(src.name).stem if Path(src.name).stem in
                     by_interview else source_guid.get(src.guid))
        if interview is None:
            if src.selections:
                log.add(where, src.line, f"source {src.name!r} is not an interview of this build",
                        "name sources by interview id (as `gtna export --format qdpx` does)")
            continue
        group = by_interview[interview]
        text, mapping = _offset_map(src.text)
        bad = next((r for r in group.itertuples() if text[r.start_char:r.end_char] != r.text), None)
        if bad is not None:
            log.add(where, src.line, f"source {src.name!r}: its text differs from the build's transcript of "
                                     f"{interview} (segment {bad.segment_id})",
                    "code the sources exported by `gtna export --format qdpx` from the same build")
            continue
        starts = group["start_char"].tolist()
        seg_rows = list(group.itertuples())
        coders_here: set[str] = set()
        for sel in src.selections:
            start, end = sel.start, sel.end
            if mapping is not None:
                if not 0 <= start <= end < len(mapping):
                    log.add(where, sel.line, f"selection {start}-{end} is outside the source text")
                    continue
                start, end = mapping[start], mapping[end]
            if not 0 <= start < end <= len(text):
                log.add(where, sel.line, f"selection {sel.start}-{sel.end} is outside the source text "
                                         f"({len(src.text)} characters)")
                continue
            hit = []
            for r in seg_rows[max(bisect_right(starts, start) - 1, 0):]:
                if r.start_char >= end:
                    break
                s, e = max(start, r.start_char), min(end, r.end_char)
                if s < e and text[s:e].strip():
                    hit.append((r, s, e))
            if not hit:
                log.add(where, sel.line, f"selection {sel.start}-{sel.end} does not cover any transcript turn")
                continue
            for ref_guid, user_guid, line in sel.codings:
                code_id = code_of.get(ref_guid) or by_guid.get(ref_guid)
                if code_id is None:
                    name, _ = tree_lines.get(ref_guid, ("", 0))
                    log.add(where, line, f"code {name or ref_guid!r} is not in the codebook",
                            "import the codebook first, or map the code to an existing id/label")
                    continue
                coder = users.get(user_guid or sel.user or creator) or file_coder
                coders_here.add(coder)
                for r, s, e in hit:
                    whole = (s, e) == (r.start_char, r.end_char)
                    rows.append({"segment_id": r.segment_id, "interview_id": interview, "agency": r.agency,
                                 "code_id": code_id, "theme_id": codebook.code(code_id).theme_id,
                                 "start_char": s, "end_char": e,
                                 "matched_text": "" if whole else text[s:e][:200], "n_matches": 1,
                                 "source": "auto" if coder.startswith("auto:") else "manual", "coder": coder})
        participant_segments = set(group.loc[group["speaker_role"] == "participant", "segment_id"])
        for coder in coders_here:
            units[coder] |= participant_segments
    log.raise_if_any()
    frame = codings_frame(rows).drop_duplicates(["segment_id", "code_id", "coder", "start_char", "end_char"])
    return HumanCoding(frame.reset_index(drop=True), dict(units), path)
