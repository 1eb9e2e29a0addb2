"""REFI-QDA codebooks (.qdc, Codebook 1.0): export the code tree to NVivo, ATLAS.ti, MAXQDA or QualCoder and
import one edited there.

The code tree (themes → codes → sub-codes) carries one label per code (``name``), colours and a ``Description``
(see refi_xml). Themes are exported with ``isCodable="false"`` (we code with codes, not themes) unless the theme
is ``codable: true`` — what a codable top-level code of MAXQDA or ATLAS.ti becomes on import, so it stays
codable both ways. Code groups (``groups:``) travel as ``<Sets>``. Patterns cannot be expressed in .qdc:
importing keeps labels and definitions, and patterns can be taken over from an existing codebook
(``patterns_from``).
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from gtna_analysis.atomic import write_bytes_atomic
from gtna_analysis.coding.codebook import (
    DEFAULT_COLORS,
    MACQUEEN_FIELDS,
    Code,
    Codebook,
    CodeGroup,
    Theme,
    theme_own_code,
)
from gtna_analysis.errors import GtnaError
from gtna_analysis.schema import LANGUAGES

from .qdpx import open_project
from .refi_xml import (
    NS_CODEBOOK,
    ORIGIN,
    QdcCode,
    QdcSet,
    codes_element,
    expand_color,
    labels_from,
    parse_xml,
    qname,
    read_codes,
    read_sets,
    root_namespace,
    sets_element,
    slug,
    xml_bytes,
)


def codebook_to_qdc(codebook: Codebook, lang: str = "en") -> bytes:
    """The codebook as a REFI-QDA Codebook 1.0 document (UTF-8 XML)."""
    root = etree.Element(qname(NS_CODEBOOK, "CodeBook"), nsmap={None: NS_CODEBOOK}, origin=ORIGIN)
    codes_element(root, NS_CODEBOOK, codebook, lang)
    sets_element(root, NS_CODEBOOK, codebook, lang)
    return xml_bytes(root)


def export_qdc(codebook: Codebook, out: str | Path, lang: str = "en") -> Path:
    write_bytes_atomic(out, codebook_to_qdc(codebook, lang))
    return Path(out)


def qdc_to_codebook(path: str | Path, patterns_from: Codebook | None = None,
                    codebook_id: str | None = None) -> tuple[Codebook, list[str]]:
    """Read a .qdc (or the code tree of a .qdpx) into a Codebook; returns it with notes for the user.

    Top-level codes with children become themes (``codable: true`` when the top-level code was codable, so
    codings on it are not lost); top-level codes without children are gathered in a theme ``codes``. Sets of codes
    become ``groups``. Ids come from our ``Code id:`` lines when present, else from the labels (transliterated).
    The root namespace may be any variant other tools write (see ``refi_xml.root_namespace``).
    """
    path = Path(path)
    if path.suffix.lower() == ".qdpx":
        root, zf = open_project(path)
        zf.close()
        where = f"{path}:project.qde"
        ns = root_namespace(root, "project", "Project", where)
        holder = root.find(f"{qname(ns, 'CodeBook')}/{qname(ns, 'Codes')}")
        sets = read_sets(root.find(qname(ns, "Sets")), ns)
    else:
        where = str(path)
        if path.is_dir():
            raise GtnaError.at(path, None, "is a folder, not a .qdc file")
        root = parse_xml(path.read_bytes(), where)
        ns = root_namespace(root, "codebook", "CodeBook", where)
        holder = root.find(qname(ns, "Codes"))
        sets = read_sets(root.find(qname(ns, "Sets")), ns)
    if holder is None:
        raise GtnaError.at(where, root.sourceline, "no <Codes> element")
    tree = read_codes(holder, ns)
    id_of_guid: dict[str, str] = {}
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
        translations = {name: {k: v for k, v in item.fields.get(name, {}).items() if k in LANGUAGES}
                        for name in MACQUEEN_FIELDS}
        plain = {name: item.fields.get(name, {}).get("") or translations[name].get("en")
                 or translations[name].get("ka") or "" for name in MACQUEEN_FIELDS}
        id_of_guid[item.guid] = cid
        keep = patterns_from.code(cid) if patterns_from is not None and patterns_from.has_code(cid) else None
        out.append(Code(cid, theme_id, labels_from(item), dict(keep.patterns) if keep else {},
                        dict(keep.exclude_patterns) if keep else {},
                        requires=dict(keep.requires) if keep else {},
                        color="" if expand_color(item.color) in ("", inherited) else expand_color(item.color),
                        parent_id=parent, translations={k: v for k, v in translations.items() if v},
                        memo=item.fields.get("memo", {}).get("", ""), **plain))
        for i, child in enumerate(item.children):
            make_code(child, theme_id, cid, i, out, inherited)

    themes: list[Theme] = []
    loose = [t for t in tree if not t.children]
    codable_themes = 0
    for index, item in enumerate(t for t in tree if t.children):
        tid = own_id(item, "", f"theme{index + 1}")
        id_of_guid[item.guid] = tid
        color = expand_color(item.color) or DEFAULT_COLORS[index % len(DEFAULT_COLORS)]
        definition = item.fields.get("definition", {})
        description = ({k: v for k, v in definition.items() if k in LANGUAGES} or
                       ({"en": definition[""]} if definition.get("") else {}))
        codes: list[Code] = [theme_own_code(tid, labels_from(item), description)] if item.codable else []
        codable_themes += item.codable
        for i, child in enumerate(item.children):
            make_code(child, tid, None, i, codes, color)
        themes.append(Theme(tid, labels_from(item), color, tuple(codes), description, codable=item.codable))
    if loose:
        tid = unique("codes")
        codes = []
        for i, item in enumerate(loose):
            make_code(item, tid, None, i, codes, "#999999")
        themes.append(Theme(tid, {"en": "Codes", "ka": "კოდები"}, "#999999", tuple(codes)))
        notes.append(f"{len(loose)} top-level code(s) without children were put in a theme 'codes'")
    if codable_themes:
        notes.append(f"{codable_themes} codable top-level code(s) with children kept codable as "
                     "'codable: true' themes")
    groups = _groups(sets, id_of_guid, notes)
    n_codes = sum(len(t.subcodes) for t in themes)
    with_patterns = sum(1 for t in themes for c in t.codes if c.patterns)
    notes.append(f"{len(themes)} themes, {n_codes} codes read; .qdc cannot carry patterns: "
                 + (f"{with_patterns} codes took their patterns from the given codebook, "
                    f"{n_codes - with_patterns} have none" if patterns_from is not None
                    else "every code has an empty 'patterns' list — add patterns before auto-coding"))
    languages = sorted({lang for t in themes for c in t.codes for lang in c.label} | set(LANGUAGES),
                       key=LANGUAGES.index)
    cb = Codebook(codebook_id or (patterns_from.id if patterns_from else slug(path.stem, "codebook")),
                  patterns_from.version if patterns_from else "1", languages,
                  dict(patterns_from.title) if patterns_from else {}, themes, groups=groups)
    return cb, notes


def _groups(sets: list[QdcSet], id_of_guid: dict[str, str], notes: list[str]) -> list[CodeGroup]:
    """``<Set>``s → code groups; members that are sources or notes (project sets) are not codebook content."""
    out: list[CodeGroup] = []
    used: set[str] = set()
    for index, item in enumerate(sets):
        gid = item.fields.get("id", {}).get("", "")
        if not re.fullmatch(r"[a-z][a-z0-9_]*", gid) or gid in used:
            gid, n = slug(item.name, f"group{index + 1}"), 2
            while gid in used:
                gid, n = f"{slug(item.name, f'group{index + 1}')}_{n}", n + 1
        members = [id_of_guid[m] for m in item.members if m in id_of_guid]
        missing = len(item.members) - len(members)
        if not members and not item.members:
            notes.append(f"set {item.name!r} has no codes (only sources or notes) and was left out")
            continue
        if missing:
            notes.append(f"set {item.name!r}: {missing} member(s) are not codes of this codebook and were left out")
        used.add(gid)
        labels = labels_from(QdcCode(item.guid, item.name, False, "", item.fields, [], item.line))
        definition = item.fields.get("definition", {})
        description = ({k: v for k, v in definition.items() if k in LANGUAGES} or
                       ({"en": definition[""]} if definition.get("") else {}))
        out.append(CodeGroup(gid, labels, tuple(dict.fromkeys(members)), description))
    if out:
        notes.append(f"{len(out)} code group(s) (sets) kept as 'groups'")
    return out
