"""REFI-QDA interchange: codebooks (.qdc, Codebook 1.0) and projects (.qdpx, Project 1.0).

So that researchers can move between this workbench and NVivo, ATLAS.ti, MAXQDA or QualCoder:

* ``.qdc`` carries the code tree (themes → codes → sub-codes), one label per code (``name``), colours and a
  ``Description``. Bilingual labels and the MacQueen fields travel inside the Description as ``Field (lang):``
  lines, so a round trip keeps them; other tools simply show the text. Themes are exported with
  ``isCodable="false"`` (we code with codes, not themes). Patterns cannot be expressed in .qdc: importing keeps
  labels and definitions, and patterns can be taken over from an existing codebook (``patterns_from``).
* ``.qdpx`` is a zip with ``project.qde`` and one ``sources/<guid>.txt`` (UTF-8) per interview: the pseudonymised
  transcript text exactly as in the ``documents`` table, cases (participants) with variables, and every coding
  as a ``PlainTextSelection`` whose ``startPosition``/``endPosition`` are Unicode code-point offsets into that
  text (end exclusive, as in Python slices).

GUIDs are uuid5 of our ids, so exporting the same data twice gives byte-identical files and a code keeps its GUID
across codebook versions. Parse errors point at ``file.qdpx:project.qde:<line>``.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
import zipfile
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from lxml import etree

from . import __version__
from .atomic import atomic_path, write_bytes_atomic
from .codebook import DEFAULT_COLORS, MACQUEEN_FIELDS, Code, Codebook, Theme
from .errors import GtnaError, ProblemLog
from .manual import HumanCoding, codings_frame

NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"
NS_PROJECT = "urn:QDA-XML:project:1.0"
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/gtna-workbench/gtna-workbench")
ORIGIN = f"gtna-workbench {__version__}"
FIELD_TITLES = {"definition": "Definition", "include": "Include", "exclude": "Exclude", "example": "Example",
                "label": "Label", "id": "Code id", "memo": "Memo"}
_FIELD_LINE = re.compile(r"^(Definition|Include|Exclude|Example|Label|Code id|Memo)(?: \((ka|en)\))?:\s?(.*)$")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
CASE_VARIABLES = ("agency", "mode", "gender", "level")
SOURCE_VARIABLES = ("agency", "mode", "language")
# Georgian national romanisation (2002), without apostrophes: ids only need to be readable ASCII.
GEORGIAN_LATIN = dict(zip("აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ",
                          ("a", "b", "g", "d", "e", "v", "z", "t", "i", "k", "l", "m", "n", "o", "p", "zh", "r",
                           "s", "t", "u", "p", "k", "gh", "q", "sh", "ch", "ts", "dz", "ts", "ch", "kh", "j", "h"),
                          strict=True))


def guid(kind: str, key: str) -> str:
    """Deterministic GUID (upper-case, as most QDA tools write them) for an object of our data."""
    return str(uuid.uuid5(GUID_NAMESPACE, f"{kind}:{key}")).upper()


def _norm_guid(value: str | None) -> str:
    return (value or "").strip().strip("{}").upper()


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


# ---------------------------------------------------------------------------------------------- descriptions

def code_description(item: Code | Theme) -> str:
    """The Description text: definition first (what other tools show), then labelled lines we can parse back."""
    lines: list[str] = []
    if isinstance(item, Code):
        for name in MACQUEEN_FIELDS:
            texts = item.translations.get(name) or ({"": getattr(item, name)} if getattr(item, name) else {})
            for lang, text in texts.items():
                suffix = f" ({lang})" if lang else ""
                lines.append(f"{FIELD_TITLES[name]}{suffix}: {' '.join(text.split())}")
    else:
        for lang, text in item.description.items():
            lines.append(f"Definition ({lang}): {' '.join(text.split())}")
    for lang, text in item.label.items():
        lines.append(f"Label ({lang}): {text}")
    if item.memo:
        lines.append(f"Memo: {' '.join(item.memo.split())}")
    lines.append(f"Code id: {item.id}")
    return "\n".join(lines)


def parse_description(text: str) -> dict[str, dict[str, str]]:
    """``Field (lang): value`` lines → {field: {lang or '': value}}; free text becomes the definition."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    free: list[str] = []
    last: tuple[str, str] | None = None
    for raw in (text or "").splitlines():
        m = _FIELD_LINE.match(raw.strip())
        if m:
            name = next(k for k, v in FIELD_TITLES.items() if v == m.group(1))
            last = (name, m.group(2) or "")
            out[name][last[1]] = m.group(3).strip()
        elif raw.strip() and last is not None:
            out[last[0]][last[1]] += " " + raw.strip()
        elif raw.strip():
            free.append(raw.strip())
    if free and not out.get("definition"):
        out["definition"][""] = " ".join(free)
    return dict(out)


# ---------------------------------------------------------------------------------------------- codebook

def _code_element(parent: etree._Element, ns: str, item: Code | Theme, codebook: Codebook, theme: Theme,
                  lang: str) -> None:
    is_theme = isinstance(item, Theme)
    color = item.color if is_theme else (item.color or theme.color)  # type: ignore[union-attr]
    el = etree.SubElement(parent, _q(ns, "Code"), guid=guid("theme" if is_theme else "code", item.id),
                          name=item.text(lang), isCodable="false" if is_theme else "true", color=color.upper())
    etree.SubElement(el, _q(ns, "Description")).text = code_description(item)
    children = codebook.children(None if is_theme else item.id, theme.id)
    for child in children:
        _code_element(el, ns, child, codebook, theme, lang)


def _codes_element(parent: etree._Element, ns: str, codebook: Codebook, lang: str) -> None:
    codes = etree.SubElement(parent, _q(ns, "Codes"))
    for theme in codebook.themes:
        _code_element(codes, ns, theme, codebook, theme, lang)


def _xml_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def codebook_to_qdc(codebook: Codebook, lang: str = "en") -> bytes:
    """The codebook as a REFI-QDA Codebook 1.0 document (UTF-8 XML)."""
    root = etree.Element(_q(NS_CODEBOOK, "CodeBook"), nsmap={None: NS_CODEBOOK}, origin=ORIGIN)
    _codes_element(root, NS_CODEBOOK, codebook, lang)
    return _xml_bytes(root)


def export_qdc(codebook: Codebook, out: str | Path, lang: str = "en") -> Path:
    write_bytes_atomic(out, codebook_to_qdc(codebook, lang))
    return Path(out)


def _parse_xml(data: bytes, where: str) -> etree._Element:
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        raise GtnaError.at(where, line, f"not well-formed XML: {exc.msg}") from None


def slug(text: str, fallback: str) -> str:
    """An id-safe snake_case version of a label (Georgian transliterated), or ``fallback``."""
    text = "".join(GEORGIAN_LATIN.get(ch, ch) for ch in unicodedata.normalize("NFC", text.lower()))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "_", text).strip("_")[:40].strip("_")
    if not text or not text[0].isalpha():
        text = f"{fallback}_{text}".strip("_") if text else fallback
    return text


def _is_georgian(text: str) -> bool:
    return any("\u10a0" <= ch <= "\u10ff" or "\u1c90" <= ch <= "\u1cbf" for ch in text)


@dataclass
class QdcCode:
    guid: str
    name: str
    codable: bool
    color: str
    fields: dict[str, dict[str, str]]
    children: list[QdcCode]
    line: int


def _read_codes(parent: etree._Element, ns: str) -> list[QdcCode]:
    out = []
    for el in parent.findall(_q(ns, "Code")):
        desc = el.find(_q(ns, "Description"))
        out.append(QdcCode(_norm_guid(el.get("guid")), el.get("name", "").strip(),
                           el.get("isCodable", "true").lower() in ("true", "1"), (el.get("color") or "").upper(),
                           parse_description(desc.text if desc is not None else ""), _read_codes(el, ns),
                           el.sourceline or 0))
    return out


def _expand_color(color: str) -> str:
    if re.fullmatch(r"#[0-9A-F]{3}", color):
        return "#" + "".join(c * 2 for c in color[1:])
    return color if re.fullmatch(r"#[0-9A-F]{6}", color) else ""


def _labels_from(item: QdcCode) -> dict[str, str]:
    """Labels from ``Label (lang):`` lines; the code's name fills the language it is written in if missing."""
    labels = {k: v for k, v in item.fields.get("label", {}).items() if k in ("ka", "en") and v}
    if item.name and item.name not in labels.values():
        labels.setdefault("ka" if _is_georgian(item.name) else "en", item.name)
    return labels


def qdc_to_codebook(path: str | Path, patterns_from: Codebook | None = None,
                    codebook_id: str | None = None) -> tuple[Codebook, list[str]]:
    """Read a .qdc (or the code tree of a .qdpx) into a Codebook; returns it with notes for the user.

    Top-level codes with children become themes; top-level codes without children are gathered in a theme
    ``codes``. Ids come from our ``Code id:`` lines when present, else from the labels (transliterated).
    """
    path = Path(path)
    if path.suffix.lower() == ".qdpx":
        root, where = _open_project(path)[0], f"{path}:project.qde"
        ns = NS_PROJECT
        holder = root.find(f"{_q(ns, 'CodeBook')}/{_q(ns, 'Codes')}")
    else:
        where = str(path)
        root = _parse_xml(path.read_bytes(), where)
        ns = NS_CODEBOOK
        if root.tag != _q(ns, "CodeBook"):
            raise GtnaError.at(where, root.sourceline, f"root element is {root.tag!r}, expected CodeBook in "
                                                       f"namespace {NS_CODEBOOK}")
        holder = root.find(_q(ns, "Codes"))
    if holder is None:
        raise GtnaError.at(where, root.sourceline, "no <Codes> element")
    tree = _read_codes(holder, ns)
    notes: list[str] = []
    used: set[str] = set()

    def unique(ident: str) -> str:
        base, n = ident, 2
        while ident in used:
            ident, n = f"{base}_{n}", n + 1
        used.add(ident)
        return ident

    def own_id(item: QdcCode, prefix: str, fallback: str) -> str:
        declared = item.fields.get("id", {}).get("", "")
        if declared and declared.startswith(prefix) and declared not in used and \
                re.fullmatch(r"[a-z][a-z0-9_]*", declared[len(prefix):]):
            used.add(declared)
            return declared
        return unique(prefix + slug(item.name, fallback))

    def make_code(item: QdcCode, theme_id: str, parent: str | None, index: int, out: list[Code],
                  inherited: str = "") -> None:
        cid = own_id(item, (parent or theme_id) + ".", f"code{index + 1}")
        translations = {name: {k: v for k, v in item.fields.get(name, {}).items() if k in ("ka", "en")}
                        for name in MACQUEEN_FIELDS}
        plain = {name: item.fields.get(name, {}).get("") or translations[name].get("en")
                 or translations[name].get("ka") or "" for name in MACQUEEN_FIELDS}
        keep = patterns_from.code(cid) if patterns_from is not None and patterns_from.has_code(cid) else None
        out.append(Code(cid, theme_id, _labels_from(item), dict(keep.patterns) if keep else {},
                        dict(keep.exclude_patterns) if keep else {},
                        color="" if _expand_color(item.color) in ("", inherited) else _expand_color(item.color),
                        parent_id=parent, translations={k: v for k, v in translations.items() if v},
                        memo=item.fields.get("memo", {}).get("", ""), **plain))
        for i, child in enumerate(item.children):
            make_code(child, theme_id, cid, i, out, inherited)

    themes: list[Theme] = []
    loose = [t for t in tree if not t.children]
    for index, item in enumerate(t for t in tree if t.children):
        tid = own_id(item, "", f"theme{index + 1}")
        color = _expand_color(item.color) or DEFAULT_COLORS[index % len(DEFAULT_COLORS)]
        codes: list[Code] = []
        for i, child in enumerate(item.children):
            make_code(child, tid, None, i, codes, color)
        definition = item.fields.get("definition", {})
        themes.append(Theme(tid, _labels_from(item), color, tuple(codes),
                            {k: v for k, v in definition.items() if k in ("ka", "en")} or
                            ({"en": definition[""]} if definition.get("") else {})))
    if loose:
        tid = unique("codes")
        codes = []
        for i, item in enumerate(loose):
            make_code(item, tid, None, i, codes, "#999999")
        themes.append(Theme(tid, {"en": "Codes", "ka": "კოდები"}, "#999999", tuple(codes)))
        notes.append(f"{len(loose)} top-level code(s) without children were put in a theme 'codes'")
    n_codes = sum(len(t.codes) for t in themes)
    with_patterns = sum(1 for t in themes for c in t.codes if c.patterns)
    notes.append(f"{len(themes)} themes, {n_codes} codes read; .qdc cannot carry patterns: "
                 + (f"{with_patterns} codes took their patterns from the given codebook, "
                    f"{n_codes - with_patterns} have none" if patterns_from is not None
                    else "every code has an empty 'patterns' list — add patterns before auto-coding"))
    languages = sorted({lang for t in themes for c in t.codes for lang in c.label} | {"ka", "en"},
                       key=["ka", "en"].index)
    cb = Codebook(codebook_id or (patterns_from.id if patterns_from else slug(path.stem, "codebook")),
                  patterns_from.version if patterns_from else "1", languages,
                  dict(patterns_from.title) if patterns_from else {}, themes)
    return cb, notes


# ---------------------------------------------------------------------------------------------- project export

def _text(parent: etree._Element, tag: str, value: str) -> None:
    etree.SubElement(parent, _q(NS_PROJECT, tag)).text = value


def _variable_value(parent: etree._Element, name: str, value: object) -> None:
    vv = etree.SubElement(parent, _q(NS_PROJECT, "VariableValue"))
    etree.SubElement(vv, _q(NS_PROJECT, "VariableRef"), targetGUID=guid("variable", name))
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
    root = etree.Element(_q(NS_PROJECT, "Project"), nsmap={None: NS_PROJECT}, name=name, origin=ORIGIN,
                         creatingUserGUID=guid("user", creator))
    users = etree.SubElement(root, _q(NS_PROJECT, "Users"))
    for user in [creator, *coders]:
        etree.SubElement(users, _q(NS_PROJECT, "User"), guid=guid("user", user), name=user)
    _codes_element(etree.SubElement(root, _q(NS_PROJECT, "CodeBook")), NS_PROJECT, codebook, lang)
    variables = etree.SubElement(root, _q(NS_PROJECT, "Variables"))
    for var in dict.fromkeys(CASE_VARIABLES + SOURCE_VARIABLES):
        v = etree.SubElement(variables, _q(NS_PROJECT, "Variable"), guid=guid("variable", var), name=var,
                             typeOfVariable="Text")
        _text(v, "Description", f"gtna {'participant' if var in CASE_VARIABLES else 'interview'} attribute")

    # Selections: one per (interview, span); several codes/coders on the same span share it.
    speaker = segments.set_index("segment_id")["speaker_id"].to_dict()
    spans: dict[tuple[str, int, int], list] = defaultdict(list)
    for row in codings.sort_values(["interview_id", "start_char", "end_char", "code_id", "coder"]).itertuples():
        spans[(row.interview_id, int(row.start_char), int(row.end_char))].append(row)
    by_speaker: dict[str, list[str]] = defaultdict(list)
    source_texts: dict[str, str] = {}

    cases = etree.SubElement(root, _q(NS_PROJECT, "Cases"))
    sources = etree.SubElement(root, _q(NS_PROJECT, "Sources"))
    selections_of: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for key in spans:
        selections_of[key[0]].append((key[1], key[2]))
    for doc in documents.itertuples():
        sguid = guid("source", doc.interview_id)
        source_texts[f"sources/{sguid}.txt"] = doc.text
        src = etree.SubElement(sources, _q(NS_PROJECT, "TextSource"), guid=sguid, name=doc.interview_id,
                               plainTextPath=f"internal://{sguid}.txt", creatingUser=guid("user", creator))
        meta = interviews.loc[doc.interview_id] if doc.interview_id in interviews.index else None
        _text(src, "Description", f"{doc.interview_id} · agency {doc.agency} · language {doc.language}")
        for start, end in sorted(selections_of.get(doc.interview_id, [])):
            rows = spans[(doc.interview_id, start, end)]
            sel_guid = guid("selection", f"{doc.interview_id}:{start}:{end}")
            seg_id = rows[0].segment_id
            by_speaker[f"{doc.interview_id}:{speaker.get(seg_id, '')}"].append(sel_guid)
            sel = etree.SubElement(src, _q(NS_PROJECT, "PlainTextSelection"), guid=sel_guid,
                                   name=f"{seg_id} {speaker.get(seg_id, '')}".strip(), startPosition=str(start),
                                   endPosition=str(end), creatingUser=guid("user", str(rows[0].coder)))
            matched = [f"{r.code_id}: {r.matched_text}" for r in rows if isinstance(r.matched_text, str)
                       and r.matched_text]
            if matched:
                _text(sel, "Description", "matched — " + " | ".join(matched))
            for r in rows:
                coding = etree.SubElement(sel, _q(NS_PROJECT, "Coding"),
                                          guid=guid("coding", f"{doc.interview_id}:{start}:{end}:{r.code_id}:"
                                                              f"{r.coder}"),
                                          creatingUser=guid("user", str(r.coder)))
                etree.SubElement(coding, _q(NS_PROJECT, "CodeRef"), targetGUID=guid("code", r.code_id))
        for var in SOURCE_VARIABLES:
            value = doc.agency if var == "agency" else doc.language if var == "language" else (
                meta["mode"] if meta is not None and "mode" in meta else "")
            _variable_value(src, var, value)
    for person in participants.sort_values(["interview_id", "participant_id"]).itertuples():
        key = f"{person.interview_id}:{person.participant_id}"
        case = etree.SubElement(cases, _q(NS_PROJECT, "Case"), guid=guid("case", key), name=key)
        _text(case, "Description", f"participant {person.participant_id} of interview {person.interview_id}")
        for var in CASE_VARIABLES:
            _variable_value(case, var, getattr(person, var, ""))
        etree.SubElement(case, _q(NS_PROJECT, "SourceRef"), targetGUID=guid("source", person.interview_id))
        for sel_guid in by_speaker.get(key, []):
            etree.SubElement(case, _q(NS_PROJECT, "SelectionRef"), targetGUID=sel_guid)
    if not len(cases):
        root.remove(cases)
    return _xml_bytes(root), source_texts


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


# ---------------------------------------------------------------------------------------------- project import

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


def _open_project(path: Path) -> tuple[etree._Element, zipfile.ZipFile]:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise GtnaError.at(path, None, f"not a .qdpx (zip) file: {exc}") from None
    names = {n.lower(): n for n in zf.namelist()}
    member = names.get("project.qde") or next((n for k, n in names.items() if k.endswith(".qde")), None)
    if member is None:
        raise GtnaError.at(path, None, "no project.qde inside the .qdpx")
    root = _parse_xml(zf.read(member), f"{path}:{member}")
    if root.tag != _q(NS_PROJECT, "Project"):
        raise GtnaError.at(f"{path}:{member}", root.sourceline,
                           f"root element is {root.tag!r}, expected Project in namespace {NS_PROJECT}")
    return root, zf


def read_qdpx(path: str | Path) -> tuple[dict[str, str], list[QdcCode], list[QdpxSource], str]:
    """Users (guid → name), the code tree, the text sources with their selections, and the project creator."""
    path = Path(path)
    root, zf = _open_project(path)
    where = f"{path}:project.qde"
    ns = NS_PROJECT
    users = {_norm_guid(u.get("guid")): (u.get("name") or u.get("id") or u.get("guid") or "").strip()
             for u in root.iter(_q(ns, "User"))}
    holder = root.find(f"{_q(ns, 'CodeBook')}/{_q(ns, 'Codes')}")
    codes = _read_codes(holder, ns) if holder is not None else []
    members = {Path(n).name.lower(): n for n in zf.namelist()}
    sources: list[QdpxSource] = []
    log = ProblemLog()
    for el in root.iter(_q(ns, "TextSource")):
        if el.getparent() is not None and el.getparent().tag != _q(ns, "Sources"):
            continue  # notes are TextSource-typed too
        content = el.find(_q(ns, "PlainTextContent"))
        text_path = el.get("plainTextPath") or ""
        if content is not None:
            text = content.text or ""
        elif text_path.startswith("internal://"):
            member = members.get(text_path[len("internal://"):].lower())
            if member is None:
                log.add(where, el.sourceline, f"source {el.get('name')!r}: {text_path} is not in the archive")
                continue
            text = zf.read(member).decode("utf-8-sig")
        else:
            log.add(where, el.sourceline, f"source {el.get('name')!r}: only internal:// plain text sources or "
                                          f"PlainTextContent are supported (got {text_path!r})")
            continue
        src = QdpxSource(_norm_guid(el.get("guid")), (el.get("name") or "").strip(), text, el.sourceline or 0)
        for sel in el.findall(_q(ns, "PlainTextSelection")):
            try:
                start, end = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
            except ValueError:
                log.add(where, sel.sourceline, "PlainTextSelection needs integer startPosition and endPosition")
                continue
            codings = []
            for c in sel.findall(_q(ns, "Coding")):
                ref = c.find(_q(ns, "CodeRef"))
                if ref is None:
                    log.add(where, c.sourceline, "Coding without CodeRef")
                    continue
                codings.append((_norm_guid(ref.get("targetGUID")), _norm_guid(c.get("creatingUser")),
                                c.sourceline or 0))
            src.selections.append(QdpxSelection(start, end, codings, _norm_guid(sel.get("creatingUser")),
                                                sel.sourceline or 0))
        src.whole_codings = len(el.findall(_q(ns, "Coding")))
        sources.append(src)
    zf.close()
    log.raise_if_any()
    return users, codes, sources, _norm_guid(root.get("creatingUserGUID"))


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
    by_guid = {guid("code", c.id): c.id for c in codebook.codes}
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
            for code_guid, user_guid, line in sel.codings:
                code_id = code_of.get(code_guid) or by_guid.get(code_guid)
                if code_id is None:
                    name, _ = tree_lines.get(code_guid, ("", 0))
                    log.add(where, line, f"code {name or code_guid!r} is not in the codebook",
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
