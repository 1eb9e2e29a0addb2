"""REFI-QDA XML shared by the codebook (.qdc) and project (.qdpx) formats: namespaces, deterministic GUIDs,
the bilingual code Description format, and the code tree written and read as ``<Code>`` elements.

Bilingual labels and the MacQueen fields travel inside each code's ``Description`` as ``Field (lang):`` lines, so
a round trip keeps them; other tools simply show the text. GUIDs are uuid5 of our ids, so exporting the same data
twice gives byte-identical files and a code keeps its GUID across codebook versions.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections import defaultdict
from dataclasses import dataclass

from lxml import etree

from gtna_analysis import __version__
from gtna_analysis.coding.codebook import MACQUEEN_FIELDS, Code, Codebook, Theme
from gtna_analysis.errors import GtnaError
from gtna_analysis.schema import LANGUAGES

NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"


NS_PROJECT = "urn:QDA-XML:project:1.0"

# Root namespaces other tools write for the same format: the standard's ``…:1.0``, the colon spelling ``…:1:0``
# and the pre-1.0 draft ``…:0:4`` (the element names are the same). We read any of them and write ``…:1.0``.
_NAMESPACE_VARIANT = re.compile(r"^urn:QDA-XML:(codebook|project):(\d+)[.:](\d+)$")


GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/gtna-workbench/gtna-workbench")


ORIGIN = f"gtna-workbench {__version__}"


FIELD_TITLES = {"definition": "Definition", "include": "Include", "exclude": "Exclude", "example": "Example",
                "label": "Label", "id": "Code id", "memo": "Memo"}


_FIELD_LINE = re.compile(r"^(Definition|Include|Exclude|Example|Label|Code id|Memo)(?: \((ka|en)\))?:\s?(.*)$")


GEORGIAN_LATIN = dict(zip("აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ",
                          ("a", "b", "g", "d", "e", "v", "z", "t", "i", "k", "l", "m", "n", "o", "p", "zh", "r",
                           "s", "t", "u", "p", "k", "gh", "q", "sh", "ch", "ts", "dz", "ts", "ch", "kh", "j", "h"),
                          strict=True))


def guid(kind: str, key: str) -> str:
    """Deterministic GUID (upper-case, as most QDA tools write them) for an object of our data."""
    return str(uuid.uuid5(GUID_NAMESPACE, f"{kind}:{key}")).upper()


def norm_guid(value: str | None) -> str:
    return (value or "").strip().strip("{}").upper()


def qname(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}" if ns else tag


def root_namespace(root: etree._Element, kind: str, element: str, where: str) -> str:
    """The namespace of a REFI-QDA root element (``kind`` codebook|project), accepting the variants tools write.

    An element in no namespace is accepted too (hand-made files); anything else is an error at the root's line.
    """
    ns, _, local = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", root.tag)
    match = _NAMESPACE_VARIANT.match(ns)
    if local == element and (ns == "" or (match and match.group(1) == kind)):
        return ns
    expected = NS_CODEBOOK if kind == "codebook" else NS_PROJECT
    raise GtnaError.at(where, root.sourceline, f"root element is {root.tag!r}, expected {element} in namespace "
                                               f"{expected} (or {expected[:-3]}1:0 / {expected[:-3]}0:4)")


def code_guid(codebook: Codebook, code_id: str) -> str:
    """The GUID a code is exported under: a codable theme's own code is the theme's ``<Code>`` element."""
    is_theme = any(t.id == code_id for t in codebook.themes)
    return guid("theme" if is_theme else "code", code_id)


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


def code_element(parent: etree._Element, ns: str, item: Code | Theme, codebook: Codebook, theme: Theme,
                  lang: str) -> None:
    is_theme = isinstance(item, Theme)
    color = item.color if is_theme else (item.color or theme.color)  # type: ignore[union-attr]
    codable = item.codable if is_theme else True  # type: ignore[union-attr]
    el = etree.SubElement(parent, qname(ns, "Code"), guid=guid("theme" if is_theme else "code", item.id),
                          name=item.text(lang), isCodable="true" if codable else "false", color=color.upper())
    etree.SubElement(el, qname(ns, "Description")).text = code_description(item)
    children = codebook.children(None if is_theme else item.id, theme.id)
    for child in children:
        code_element(el, ns, child, codebook, theme, lang)


def codes_element(parent: etree._Element, ns: str, codebook: Codebook, lang: str) -> None:
    codes = etree.SubElement(parent, qname(ns, "Codes"))
    for theme in codebook.themes:
        code_element(codes, ns, theme, codebook, theme, lang)


def sets_element(parent: etree._Element, ns: str, codebook: Codebook, lang: str) -> None:
    """The codebook's ``groups`` as ``<Sets>`` (left out when there are none: the schema wants ≥ 1 Set).

    A member is referenced by ``guid`` in a codebook and by ``targetGUID`` in a project (the two XSDs differ).
    """
    if not codebook.groups:
        return
    attribute = "targetGUID" if ns == NS_PROJECT else "guid"
    sets = etree.SubElement(parent, qname(ns, "Sets"))
    for group in codebook.groups:
        el = etree.SubElement(sets, qname(ns, "Set"), guid=guid("set", group.id), name=group.text(lang))
        lines = [f"Label ({k}): {v}" for k, v in group.label.items()]
        lines += [f"Definition ({k}): {' '.join(v.split())}" for k, v in group.description.items()]
        etree.SubElement(el, qname(ns, "Description")).text = "\n".join([*lines, f"Code id: {group.id}"])
        for member in group.codes:
            etree.SubElement(el, qname(ns, "MemberCode"), {attribute: code_guid(codebook, member)})


@dataclass
class QdcSet:
    """A ``<Set>`` as read: its name, parsed Description and the GUIDs of its member codes."""

    guid: str
    name: str
    fields: dict[str, dict[str, str]]
    members: list[str]
    other_members: int  # sources and notes: not part of a codebook
    line: int


def read_sets(parent: etree._Element | None, ns: str) -> list[QdcSet]:
    if parent is None:
        return []
    out = []
    for el in parent.findall(qname(ns, "Set")):
        desc = el.find(qname(ns, "Description"))
        members = [norm_guid(m.get("guid") or m.get("targetGUID")) for m in el.findall(qname(ns, "MemberCode"))]
        others = len(el.findall(qname(ns, "MemberSource"))) + len(el.findall(qname(ns, "MemberNote")))
        out.append(QdcSet(norm_guid(el.get("guid")), (el.get("name") or "").strip(),
                          parse_description(desc.text if desc is not None else ""), members, others,
                          el.sourceline or 0))
    return out


def xml_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def parse_xml(data: bytes, where: str) -> etree._Element:
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


def is_georgian(text: str) -> bool:
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


def read_codes(parent: etree._Element, ns: str) -> list[QdcCode]:
    out = []
    for el in parent.findall(qname(ns, "Code")):
        desc = el.find(qname(ns, "Description"))
        out.append(QdcCode(norm_guid(el.get("guid")), el.get("name", "").strip(),
                           el.get("isCodable", "true").lower() in ("true", "1"), (el.get("color") or "").upper(),
                           parse_description(desc.text if desc is not None else ""), read_codes(el, ns),
                           el.sourceline or 0))
    return out


def expand_color(color: str) -> str:
    if re.fullmatch(r"#[0-9A-F]{3}", color):
        return "#" + "".join(c * 2 for c in color[1:])
    return color if re.fullmatch(r"#[0-9A-F]{6}", color) else ""


def labels_from(item: QdcCode) -> dict[str, str]:
    """Labels from ``Label (lang):`` lines; the code's name fills the language it is written in if missing."""
    labels = {k: v for k, v in item.fields.get("label", {}).items() if k in LANGUAGES and v}
    if item.name and item.name not in labels.values():
        labels.setdefault("ka" if is_georgian(item.name) else "en", item.name)
    return labels
