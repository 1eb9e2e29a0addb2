"""REFI-QDA codebooks (.qdc, Codebook 1.0): export the code tree to NVivo, ATLAS.ti, MAXQDA or QualCoder and
import one edited there.

The code tree (themes → codes → sub-codes) carries one label per code (``name``), colours and a ``Description``
(see refi_xml). Themes are exported with ``isCodable="false"`` (we code with codes, not themes). Patterns cannot
be expressed in .qdc: importing keeps labels and definitions, and patterns can be taken over from an existing
codebook (``patterns_from``).
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from gtna_analysis.atomic import write_bytes_atomic
from gtna_analysis.coding.codebook import DEFAULT_COLORS, MACQUEEN_FIELDS, Code, Codebook, Theme
from gtna_analysis.errors import GtnaError
from gtna_analysis.schema import LANGUAGES

from .qdpx import open_project
from .refi_xml import (
    NS_CODEBOOK,
    NS_PROJECT,
    ORIGIN,
    QdcCode,
    codes_element,
    expand_color,
    labels_from,
    parse_xml,
    qname,
    read_codes,
    slug,
    xml_bytes,
)


def codebook_to_qdc(codebook: Codebook, lang: str = "en") -> bytes:
    """The codebook as a REFI-QDA Codebook 1.0 document (UTF-8 XML)."""
    root = etree.Element(qname(NS_CODEBOOK, "CodeBook"), nsmap={None: NS_CODEBOOK}, origin=ORIGIN)
    codes_element(root, NS_CODEBOOK, codebook, lang)
    return xml_bytes(root)


def export_qdc(codebook: Codebook, out: str | Path, lang: str = "en") -> Path:
    write_bytes_atomic(out, codebook_to_qdc(codebook, lang))
    return Path(out)


def qdc_to_codebook(path: str | Path, patterns_from: Codebook | None = None,
                    codebook_id: str | None = None) -> tuple[Codebook, list[str]]:
    """Read a .qdc (or the code tree of a .qdpx) into a Codebook; returns it with notes for the user.

    Top-level codes with children become themes; top-level codes without children are gathered in a theme
    ``codes``. Ids come from our ``Code id:`` lines when present, else from the labels (transliterated).
    """
    path = Path(path)
    if path.suffix.lower() == ".qdpx":
        root, where = open_project(path)[0], f"{path}:project.qde"
        ns = NS_PROJECT
        holder = root.find(f"{qname(ns, 'CodeBook')}/{qname(ns, 'Codes')}")
    else:
        where = str(path)
        root = parse_xml(path.read_bytes(), where)
        ns = NS_CODEBOOK
        if root.tag != qname(ns, "CodeBook"):
            raise GtnaError.at(where, root.sourceline, f"root element is {root.tag!r}, expected CodeBook in "
                                                       f"namespace {NS_CODEBOOK}")
        holder = root.find(qname(ns, "Codes"))
    if holder is None:
        raise GtnaError.at(where, root.sourceline, "no <Codes> element")
    tree = read_codes(holder, ns)
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
    for index, item in enumerate(t for t in tree if t.children):
        tid = own_id(item, "", f"theme{index + 1}")
        color = expand_color(item.color) or DEFAULT_COLORS[index % len(DEFAULT_COLORS)]
        codes: list[Code] = []
        for i, child in enumerate(item.children):
            make_code(child, tid, None, i, codes, color)
        definition = item.fields.get("definition", {})
        themes.append(Theme(tid, labels_from(item), color, tuple(codes),
                            {k: v for k, v in definition.items() if k in LANGUAGES} or
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
    languages = sorted({lang for t in themes for c in t.codes for lang in c.label} | set(LANGUAGES),
                       key=LANGUAGES.index)
    cb = Codebook(codebook_id or (patterns_from.id if patterns_from else slug(path.stem, "codebook")),
                  patterns_from.version if patterns_from else "1", languages,
                  dict(patterns_from.title) if patterns_from else {}, themes)
    return cb, notes
