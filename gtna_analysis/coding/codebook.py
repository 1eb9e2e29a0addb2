"""The codebook: themes → codes (→ sub-codes), bilingual labels, MacQueen fields, colours and matching patterns.

Validated strictly because everything downstream (prevalence, agreement, reports, REFI-QDA export) trusts it:
duplicate ids, a code outside its parent's namespace, a pattern that cannot compile, an unknown language, a
missing label or a misspelt key (``pattern:`` for ``patterns:`` would otherwise silently switch a code off) are
all reported with the YAML line, every problem in one run.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd
import yaml

from gtna_analysis.errors import GtnaError, ProblemLog
from gtna_analysis.schema import LANGUAGES
from gtna_analysis.yamlio import LineDict, LineList, load_yaml_file

from .patterns import PatternError, compile_pattern

ID_PART_RE = re.compile(r"^[a-z][a-z0-9_]*$")
COLOR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
MACQUEEN_FIELDS = ("definition", "include", "exclude", "example")
META_KEYS = ("id", "version", "languages", "title", "description")
THEME_KEYS = ("id", "label", "description", "color", "codes", "memo", "codable")
GROUP_KEYS = ("id", "label", "description", "codes")
CODE_KEYS = ("id", "label", *MACQUEEN_FIELDS, "patterns", "exclude_patterns", "requires", "color", "codes", "memo")
# Okabe–Ito, colour-blind safe; used when a theme gives no colour.
DEFAULT_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
                  "#999999", "#8C564B", "#332288", "#117733", "#AA4499", "#44AA99")


@dataclass(frozen=True)
class Code:
    """One code. ``parent_id`` is the enclosing code for a sub-code, else None (the code sits under its theme)."""

    id: str
    theme_id: str
    label: dict[str, str]
    patterns: dict[str, tuple[str, ...]]
    exclude_patterns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # context: a match counts only if one of these matches in the same sentence (ambiguous single words)
    requires: dict[str, tuple[str, ...]] = field(default_factory=dict)
    definition: str = ""
    include: str = ""
    exclude: str = ""
    example: str = ""
    color: str = ""
    parent_id: str | None = None
    translations: dict[str, dict[str, str]] = field(default_factory=dict)  # MacQueen field -> {lang: text}
    memo: str = ""

    def text(self, lang: str) -> str:
        return self.label.get(lang) or self.label.get("en") or self.label.get("ka") or self.id

    def field_text(self, name: str, lang: str) -> str:
        """A MacQueen field in ``lang`` (falls back to the single-language text)."""
        return self.translations.get(name, {}).get(lang) or getattr(self, name)

    @property
    def n_patterns(self) -> int:
        return sum(len(p) for p in self.patterns.values())


@dataclass(frozen=True)
class Theme:
    id: str
    label: dict[str, str]
    color: str
    codes: tuple[Code, ...]
    description: dict[str, str] = field(default_factory=dict)
    memo: str = ""
    # A theme that is itself a code (a codable top-level code in MAXQDA & co.): ``codes[0]`` is then its own code,
    # with the theme's id, label and no parent, so it can be applied, exchanged and counted like any code.
    codable: bool = False

    def text(self, lang: str) -> str:
        return self.label.get(lang) or self.label.get("en") or self.label.get("ka") or self.id

    @property
    def subcodes(self) -> tuple[Code, ...]:
        """The codes written under the theme (without a codable theme's own code)."""
        return tuple(c for c in self.codes if c.id != self.id)


def theme_own_code(theme_id: str, label: dict[str, str], description: dict[str, str]) -> Code:
    """The code that stands for a codable theme itself (id = theme id; no patterns: applied by people)."""
    return Code(theme_id, theme_id, dict(label), {}, definition=description.get("en") or description.get("ka") or "",
                translations={"definition": dict(description)} if description else {})


@dataclass(frozen=True)
class CodeGroup:
    """A named set of codes across themes (REFI-QDA ``<Set>``, MAXQDA code set, ATLAS.ti code group)."""

    id: str
    label: dict[str, str]
    codes: tuple[str, ...]
    description: dict[str, str] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return self.label.get(lang) or self.label.get("en") or self.label.get("ka") or self.id


@dataclass
class Codebook:
    id: str
    version: str
    languages: list[str]
    title: dict[str, str]
    themes: list[Theme]
    sha256: str = ""
    source: Path | None = None
    groups: list[CodeGroup] = field(default_factory=list)

    @property
    def codes(self) -> list[Code]:
        return [c for t in self.themes for c in t.codes]

    @cached_property
    def _by_id(self) -> dict[str, Code]:
        return {c.id: c for c in self.codes}

    def code(self, code_id: str) -> Code:
        return self._by_id[code_id]

    def has_code(self, code_id: str) -> bool:
        return code_id in self._by_id

    def theme(self, theme_id: str) -> Theme:
        for t in self.themes:
            if t.id == theme_id:
                return t
        raise KeyError(theme_id)

    def children(self, parent_id: str | None, theme_id: str) -> list[Code]:
        """Direct children of a code (or the top-level codes of a theme when ``parent_id`` is None)."""
        return [c for c in self.theme(theme_id).subcodes if c.parent_id == parent_id]

    def codes_frame(self) -> pd.DataFrame:
        """One row per code: ids, labels in both languages, theme, colour (for joins in reports)."""
        rows = []
        for order, theme in enumerate(self.themes):
            for code in theme.codes:
                rows.append({
                    "code_id": code.id, "theme_id": theme.id, "theme_order": order,
                    "code_label_ka": code.text("ka"), "code_label_en": code.text("en"),
                    "theme_label_ka": theme.text("ka"), "theme_label_en": theme.text("en"),
                    "color": theme.color, "definition": code.definition,
                    "parent_id": code.parent_id or "", "code_color": code.color or theme.color,
                    "n_patterns": code.n_patterns,
                })
        return pd.DataFrame(rows)


class _Loader:
    """Walks the parsed YAML; every problem goes to one ProblemLog so a single run reports all of them."""

    def __init__(self, path: Path, languages: list[str]):
        self.path = path
        self.languages = languages
        self.log = ProblemLog()
        self.seen: dict[str, int] = {}

    def add(self, line: int, message: str, hint: str = "") -> None:
        self.log.add(self.path, line, message, hint)

    def keys(self, node: LineDict, allowed: tuple[str, ...], what: str) -> None:
        for key in node:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                self.add(node.line_of(key), f"{what}: unknown key {key!r}",
                         f"did you mean {close[0]!r}?" if close else f"allowed: {', '.join(allowed)}")

    def labels(self, value: object, line: int, what: str, required: bool = True) -> dict[str, str]:
        if value is None:
            if required:
                self.add(line, f"{what}: missing label", "give {ka: …, en: …}")
            return {}
        if isinstance(value, str):
            if value.strip():
                return {"en": value.strip()}
            if required:  # blank is no label, as a missing one or {ka: "", en: ""} is
                self.add(line, f"{what}: missing label", "give {ka: …, en: …}")
            return {}
        if not isinstance(value, dict):
            self.add(line, f"{what}: expected {{ka: …, en: …}}")
            return {}
        for lang in value:
            if lang not in LANGUAGES:
                self.add(value.line_of(lang) if isinstance(value, LineDict) else line,
                         f"{what}: unknown language {lang!r}", f"use {', '.join(LANGUAGES)}")
        out = {k: str(v).strip() for k, v in value.items() if k in LANGUAGES and v is not None and str(v).strip()}
        if required and not out:
            self.add(line, f"{what}: missing label")
        return out

    def pattern_lists(self, value: object, line: int, what: str) -> dict[str, tuple[str, ...]]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.add(line, f"{what}: expected a mapping of language -> list of patterns",
                     "e.g. patterns: {ka: [\"ძალადობ*\"], en: [\"violence\"]}")
            return {}
        out: dict[str, tuple[str, ...]] = {}
        for lang, items in value.items():
            item_line = value.line_of(lang) if isinstance(value, LineDict) else line
            if lang not in LANGUAGES:
                self.add(item_line, f"{what}: unknown language {lang!r}", f"use {', '.join(LANGUAGES)}")
                continue
            if lang not in self.languages:
                self.add(item_line, f"{what}: language {lang!r} is not in codebook.languages",
                         f"codebook.languages is {self.languages}")
                continue
            if items is None:
                items = []
            if isinstance(items, str):
                items = [items]
            if not isinstance(items, list):
                self.add(item_line, f"{what}.{lang}: expected a list of patterns")
                continue
            good: list[str] = []
            for i, pattern in enumerate(items):
                p_line = items.line_of(i) if isinstance(items, LineList) else item_line
                if not isinstance(pattern, str | int | float):
                    self.add(p_line, f"{what}.{lang}: a pattern must be text, got {type(pattern).__name__}")
                    continue
                try:
                    compile_pattern(str(pattern))
                except PatternError as exc:
                    self.add(p_line, f"{what}.{lang}: {exc}")
                    continue
                good.append(str(pattern))
            out[lang] = tuple(good)
        return out

    def macqueen(self, node: LineDict, cid: str) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
        plain: dict[str, str] = {}
        translated: dict[str, dict[str, str]] = {}
        for name in MACQUEEN_FIELDS:
            value = node.get(name)
            if isinstance(value, dict):
                texts = self.labels(value, node.line_of(name), f"code {cid} {name}", required=False)
                translated[name] = texts
                plain[name] = texts.get("en") or texts.get("ka") or ""
            elif isinstance(value, list):
                self.add(node.line_of(name), f"code {cid}: {name} must be text or {{ka: …, en: …}}")
            else:
                plain[name] = str(value or "").strip()
        return plain, translated

    def color(self, node: LineDict, what: str, default: str) -> str:
        color = str(node.get("color") or default)
        if not COLOR_RE.match(color):
            self.add(node.line_of("color"), f"{what}: colour {color!r} must look like #0072B2")
        return color

    def claim(self, ident: str, line: int) -> bool:
        if ident in self.seen:
            self.add(line, f"duplicate id {ident!r} (first at line {self.seen[ident]})")
            return False
        self.seen[ident] = line
        return True

    def codes(self, items: object, line: int, theme_id: str, parent: str | None, out: list[Code]) -> None:
        owner = parent or theme_id
        if not isinstance(items, LineList) or not items:
            if parent is None:
                self.add(line, f"theme {theme_id}: needs a non-empty 'codes' list")
            elif items is not None:
                self.add(line, f"code {parent}: 'codes' must be a list of sub-codes")
            return
        for index, node in enumerate(items):
            if not isinstance(node, LineDict):
                self.add(items.line_of(index), f"{owner}: each code must be a mapping with id, label, patterns")
                continue
            cid = str(node.get("id", ""))
            tail = cid[len(owner) + 1:] if cid.startswith(owner + ".") else ""
            if not ID_PART_RE.match(tail or "-"):
                self.add(node.line_of("id"), f"code id {cid!r} must be '{owner}.<snake_case>'")
                continue
            self.keys(node, CODE_KEYS, f"code {cid}")
            if not self.claim(cid, node.line_of("id")):
                continue
            plain, translated = self.macqueen(node, cid)
            out.append(Code(
                id=cid, theme_id=theme_id,
                label=self.labels(node.get("label"), node.line_of("label"), f"code {cid}"),
                patterns=self.pattern_lists(node.get("patterns"), node.line_of("patterns"), f"code {cid} patterns"),
                exclude_patterns=self.pattern_lists(node.get("exclude_patterns"), node.line_of("exclude_patterns"),
                                                    f"code {cid} exclude_patterns"),
                requires=self.pattern_lists(node.get("requires"), node.line_of("requires"), f"code {cid} requires"),
                color=self.color(node, f"code {cid}", "") if node.get("color") else "",
                parent_id=parent, translations=translated, memo=str(node.get("memo") or "").strip(), **plain,
            ))
            if "codes" in node:
                self.codes(node.get("codes"), node.line_of("codes"), theme_id, cid, out)

    def theme(self, node: object, line: int, index: int) -> Theme | None:
        if not isinstance(node, LineDict):
            self.add(line, "each theme must be a mapping with id, label, codes")
            return None
        tid = str(node.get("id", ""))
        if not ID_PART_RE.match(tid):
            self.add(node.line_of("id"), f"theme id {tid!r} must be lowercase snake_case")
            return None
        self.keys(node, THEME_KEYS, f"theme {tid}")
        if not self.claim(tid, node.line_of("id")):
            return None
        codable = node.get("codable", False)
        if not isinstance(codable, bool):
            self.add(node.line_of("codable"), f"theme {tid}: codable must be true or false")
            codable = False
        codes: list[Code] = []
        if not (codable and not node.get("codes")):  # a codable theme may have no sub-codes
            self.codes(node.get("codes"), node.line_of("codes"), tid, None, codes)
        label = self.labels(node.get("label"), node.line_of("label"), f"theme {tid}")
        description = self.labels(node.get("description"), node.line_of("description"), f"theme {tid}",
                                  required=False)
        if codable:
            codes.insert(0, theme_own_code(tid, label, description))
        return Theme(tid, label, self.color(node, f"theme {tid}", DEFAULT_COLORS[index % len(DEFAULT_COLORS)]),
                     tuple(codes), description, str(node.get("memo") or "").strip(), codable)

    def groups(self, items: object, line: int, themes: list[Theme]) -> list[CodeGroup]:
        """``groups:`` — named sets of code (or theme) ids; every member must exist."""
        if items is None:
            return []
        if not isinstance(items, LineList):
            self.add(line, "'groups' must be a list of {id, label, codes}")
            return []
        known = {c.id for t in themes for c in t.codes} | {t.id for t in themes}
        seen: dict[str, int] = {}
        out: list[CodeGroup] = []
        for index, node in enumerate(items):
            if not isinstance(node, LineDict):
                self.add(items.line_of(index), "each group must be a mapping with id, label, codes")
                continue
            gid = str(node.get("id", ""))
            if not ID_PART_RE.match(gid):
                self.add(node.line_of("id"), f"group id {gid!r} must be lowercase snake_case")
                continue
            self.keys(node, GROUP_KEYS, f"group {gid}")
            if gid in seen:
                self.add(node.line_of("id"), f"duplicate group id {gid!r} (first at line {seen[gid]})")
                continue
            seen[gid] = node.line_of("id")
            members = node.get("codes")
            if members is None:
                members = LineList()
            if not isinstance(members, list):
                self.add(node.line_of("codes"), f"group {gid}: codes must be a list of code ids")
                members = []
            ids: list[str] = []
            for i, member in enumerate(members):
                member_line = members.line_of(i) if isinstance(members, LineList) else node.line_of("codes")
                member = str(member)
                if member not in known:
                    close = difflib.get_close_matches(member, sorted(known), n=1)
                    self.add(member_line, f"group {gid}: unknown code {member!r}",
                             f"did you mean {close[0]!r}?" if close else "use a code or theme id of this codebook")
                elif member not in ids:
                    ids.append(member)
            out.append(CodeGroup(gid, self.labels(node.get("label"), node.line_of("label"), f"group {gid}"),
                                 tuple(ids), self.labels(node.get("description"), node.line_of("description"),
                                                         f"group {gid}", required=False)))
        return out


def load_codebook(path: str | Path) -> Codebook:
    """Load and validate a codebook YAML file; raise GtnaError listing every problem with its line."""
    path = Path(path)
    data = load_yaml_file(path)
    raw_bytes = path.read_bytes()
    if not isinstance(data, LineDict):
        raise GtnaError.at(path, 1, "a codebook is a mapping with 'codebook' and 'themes'")
    meta = data.get("codebook") or LineDict()
    meta_line = data.line_of("codebook")
    if not isinstance(meta, LineDict):
        raise GtnaError.at(path, meta_line, "'codebook' must be a mapping {id, version, languages}")
    languages_raw = meta.get("languages", list(LANGUAGES))
    if isinstance(languages_raw, str):
        languages_raw = [languages_raw]
    languages = [str(x) for x in languages_raw] if isinstance(languages_raw, list) else []
    loader = _Loader(path, [lang for lang in languages if lang in LANGUAGES])
    loader.keys(data, ("codebook", "themes", "groups"), "codebook file")
    loader.keys(meta, META_KEYS, "codebook")
    if not languages:
        loader.add(meta.line_of("languages"), "codebook.languages must be a list such as [ka, en]")
    for lang in languages:
        if lang not in LANGUAGES:
            loader.add(meta.line_of("languages"), f"unknown language {lang!r}", f"use {', '.join(LANGUAGES)}")
    if "id" in meta and not re.match(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", str(meta["id"])):
        loader.add(meta.line_of("id"), f"codebook id {meta['id']!r}: use letters, digits, '-', '_' or '.'")
    themes_raw = data.get("themes")
    if not isinstance(themes_raw, LineList) or not themes_raw:
        loader.add(data.line_of("themes"), "'themes' must be a non-empty list")
        loader.log.raise_if_any()
    themes = [t for i, node in enumerate(themes_raw)
              if (t := loader.theme(node, themes_raw.line_of(i), i)) is not None]
    title = loader.labels(meta.get("title"), meta.line_of("title"), "codebook title", required=False)
    groups = loader.groups(data.get("groups"), data.line_of("groups"), themes)
    loader.log.raise_if_any()
    return Codebook(str(meta.get("id", path.stem)), str(meta.get("version", "1")), languages, title, themes,
                    hashlib.sha256(raw_bytes).hexdigest(), path, groups)


def _labels_yaml(labels: dict[str, str]) -> dict[str, str]:
    return {lang: labels[lang] for lang in LANGUAGES if labels.get(lang)}


def codebook_to_dict(codebook: Codebook) -> dict:
    """The codebook as plain data in the YAML schema (used to write a codebook imported from .qdc)."""

    def code_dict(code: Code, theme: Theme) -> dict:
        out: dict = {"id": code.id, "label": _labels_yaml(code.label)}
        for name in MACQUEEN_FIELDS:
            if code.translations.get(name):
                out[name] = _labels_yaml(code.translations[name])
            elif getattr(code, name):
                out[name] = getattr(code, name)
        if code.color:
            out["color"] = code.color
        if code.memo:
            out["memo"] = code.memo
        out["patterns"] = {lang: list(p) for lang, p in code.patterns.items()}
        if code.exclude_patterns:
            out["exclude_patterns"] = {lang: list(p) for lang, p in code.exclude_patterns.items()}
        if code.requires:
            out["requires"] = {lang: list(p) for lang, p in code.requires.items()}
        children = [code_dict(c, theme) for c in theme.codes if c.parent_id == code.id]
        if children:
            out["codes"] = children
        return out

    themes = []
    for theme in codebook.themes:
        t: dict = {"id": theme.id, "label": _labels_yaml(theme.label)}
        if theme.description:
            t["description"] = _labels_yaml(theme.description)
        t["color"] = theme.color
        if theme.memo:
            t["memo"] = theme.memo
        if theme.codable:
            t["codable"] = True
        t["codes"] = [code_dict(c, theme) for c in theme.subcodes if c.parent_id is None]
        themes.append(t)
    meta: dict = {"id": codebook.id, "version": codebook.version, "languages": list(codebook.languages)}
    if codebook.title:
        meta["title"] = _labels_yaml(codebook.title)
    out: dict = {"codebook": meta, "themes": themes}
    if codebook.groups:
        out["groups"] = []
        for group in codebook.groups:
            g: dict = {"id": group.id, "label": _labels_yaml(group.label)}
            if group.description:
                g["description"] = _labels_yaml(group.description)
            g["codes"] = list(group.codes)
            out["groups"].append(g)
    return out


def dump_codebook_yaml(codebook: Codebook, header: str = "") -> str:
    """YAML text in our schema; ``header`` lines become comments at the top."""
    body = yaml.safe_dump(codebook_to_dict(codebook), allow_unicode=True, sort_keys=False, width=120,
                          default_flow_style=None)
    comments = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return comments + body


def context_warnings(codebook: Codebook) -> list[str]:
    """Codes that fire on a single word with no ``requires`` context: the usual source of false positives
    ("inspector", "annual", "platform"). A lint, not an error: many single words are unambiguous."""
    from .patterns import pattern_words

    out = []
    for code in codebook.codes:
        if code.requires:
            continue
        singles = [p for ps in code.patterns.values() for p in ps
                   if not p.startswith("re:") and len(pattern_words(p)) == 1]
        if singles:
            shown = ", ".join(repr(p) for p in singles[:3])
            out.append(f"{codebook.source}: code {code.id} fires on {len(singles)} single word(s) without context "
                       f"({shown}{', …' if len(singles) > 3 else ''}) — add requires: or use phrases if ambiguous")
    return out
