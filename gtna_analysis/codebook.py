"""The codebook: themes → codes, bilingual labels, MacQueen fields, colours and matching patterns.

Validated strictly because everything downstream (prevalence, agreement, reports, REFI-QDA export) trusts it:
duplicate ids, a code outside its theme's namespace, a pattern that cannot compile, an unknown language or a
missing label are all reported with the YAML line.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import GtnaError, ProblemLog
from .patterns import PatternError, compile_pattern
from .study import LANGUAGES
from .yamlio import LineDict, LineList, load_yaml_file

THEME_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
COLOR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
MACQUEEN_FIELDS = ("definition", "include", "exclude", "example")
# Okabe–Ito, colour-blind safe; used when a theme gives no colour.
DEFAULT_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
                  "#999999", "#8C564B", "#332288", "#117733", "#AA4499", "#44AA99")


@dataclass(frozen=True)
class Code:
    id: str
    theme_id: str
    label: dict[str, str]
    patterns: dict[str, tuple[str, ...]]
    exclude_patterns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    definition: str = ""
    include: str = ""
    exclude: str = ""
    example: str = ""

    def text(self, lang: str) -> str:
        return self.label.get(lang) or self.label.get("en") or self.id


@dataclass(frozen=True)
class Theme:
    id: str
    label: dict[str, str]
    color: str
    codes: tuple[Code, ...]
    description: dict[str, str] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return self.label.get(lang) or self.label.get("en") or self.id


@dataclass
class Codebook:
    id: str
    version: str
    languages: list[str]
    title: dict[str, str]
    themes: list[Theme]
    sha256: str = ""
    source: Path | None = None

    @property
    def codes(self) -> list[Code]:
        return [c for t in self.themes for c in t.codes]

    def code(self, code_id: str) -> Code:
        for c in self.codes:
            if c.id == code_id:
                return c
        raise KeyError(code_id)

    def theme(self, theme_id: str) -> Theme:
        for t in self.themes:
            if t.id == theme_id:
                return t
        raise KeyError(theme_id)

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
                })
        return pd.DataFrame(rows)


def _labels(value: object, path: Path, line: int, what: str, log: ProblemLog, required: bool = True
            ) -> dict[str, str]:
    if value is None:
        if required:
            log.add(path, line, f"{what}: missing label", "give {ka: …, en: …}")
        return {}
    if isinstance(value, str):
        return {"en": value}
    if not isinstance(value, dict):
        log.add(path, line, f"{what}: expected {{ka: …, en: …}}")
        return {}
    for lang in value:
        if lang not in LANGUAGES:
            log.add(path, line, f"{what}: unknown language {lang!r}", f"use {', '.join(LANGUAGES)}")
    out = {k: str(v).strip() for k, v in value.items() if k in LANGUAGES and v is not None and str(v).strip()}
    if required and not out:
        log.add(path, line, f"{what}: missing label")
    return out


def _pattern_lists(value: object, path: Path, line: int, what: str, log: ProblemLog
                   ) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        log.add(path, line, f"{what}: expected a mapping of language -> list of patterns")
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for lang, items in value.items():
        item_line = value.line_of(lang) if isinstance(value, LineDict) else line
        if lang not in LANGUAGES:
            log.add(path, item_line, f"{what}: unknown language {lang!r}", f"use {', '.join(LANGUAGES)}")
            continue
        if isinstance(items, str):
            items = [items]
        if not isinstance(items, list):
            log.add(path, item_line, f"{what}.{lang}: expected a list of patterns")
            continue
        good: list[str] = []
        for i, pattern in enumerate(items):
            p_line = items.line_of(i) if isinstance(items, LineList) else item_line
            try:
                compile_pattern(str(pattern))
            except PatternError as exc:
                log.add(path, p_line, f"{what}.{lang}: {exc}")
                continue
            good.append(str(pattern))
        out[lang] = tuple(good)
    return out


def load_codebook(path: str | Path) -> Codebook:
    """Load and validate a codebook YAML file; raise GtnaError listing every problem with its line."""
    path = Path(path)
    raw_bytes = path.read_bytes() if path.exists() else b""
    data = load_yaml_file(path)
    log = ProblemLog()
    if not isinstance(data, LineDict):
        raise GtnaError.at(path, 1, "a codebook is a mapping with 'codebook' and 'themes'")
    meta = data.get("codebook") or {}
    if not isinstance(meta, dict):
        log.add(path, data.line_of("codebook"), "'codebook' must be a mapping {id, version, languages}")
        meta = {}
    languages = list(meta.get("languages", LANGUAGES))
    for lang in languages:
        if lang not in LANGUAGES:
            log.add(path, data.line_of("codebook"), f"unknown language {lang!r}", f"use {', '.join(LANGUAGES)}")
    themes_raw = data.get("themes")
    if not isinstance(themes_raw, LineList) or not themes_raw:
        raise GtnaError.at(path, data.line_of("themes"), "'themes' must be a non-empty list")
    seen: dict[str, int] = {}
    themes: list[Theme] = []
    for t_index, t in enumerate(themes_raw):
        t_line = themes_raw.line_of(t_index)
        if not isinstance(t, LineDict):
            log.add(path, t_line, "each theme must be a mapping with id, label, codes")
            continue
        tid = str(t.get("id", ""))
        if not THEME_ID_RE.match(tid):
            log.add(path, t.line_of("id"), f"theme id {tid!r} must be lowercase snake_case")
            continue
        if tid in seen:
            log.add(path, t.line_of("id"), f"duplicate id {tid!r} (first at line {seen[tid]})")
            continue
        seen[tid] = t.line_of("id")
        label = _labels(t.get("label"), path, t.line_of("label"), f"theme {tid}", log)
        color = str(t.get("color") or DEFAULT_COLORS[t_index % len(DEFAULT_COLORS)])
        if not COLOR_RE.match(color):
            log.add(path, t.line_of("color"), f"theme {tid}: colour {color!r} must look like #0072B2")
        codes: list[Code] = []
        codes_raw = t.get("codes")
        if not isinstance(codes_raw, LineList) or not codes_raw:
            log.add(path, t.line_of("codes"), f"theme {tid}: needs a non-empty 'codes' list")
            codes_raw = []
        for c_index, c in enumerate(codes_raw):
            c_line = codes_raw.line_of(c_index)
            if not isinstance(c, LineDict):
                log.add(path, c_line, f"theme {tid}: each code must be a mapping")
                continue
            cid = str(c.get("id", ""))
            if not cid.startswith(tid + ".") or not THEME_ID_RE.match(cid[len(tid) + 1:] or "-"):
                log.add(path, c.line_of("id"), f"code id {cid!r} must be '{tid}.<snake_case>'")
                continue
            if cid in seen:
                log.add(path, c.line_of("id"), f"duplicate id {cid!r} (first at line {seen[cid]})")
                continue
            seen[cid] = c.line_of("id")
            codes.append(Code(
                id=cid, theme_id=tid,
                label=_labels(c.get("label"), path, c.line_of("label"), f"code {cid}", log),
                patterns=_pattern_lists(c.get("patterns"), path, c.line_of("patterns"), f"code {cid} patterns",
                                        log),
                exclude_patterns=_pattern_lists(c.get("exclude_patterns"), path, c.line_of("exclude_patterns"),
                                                f"code {cid} exclude_patterns", log),
                **{f: str(c.get(f) or "").strip() for f in MACQUEEN_FIELDS},
            ))
        themes.append(Theme(tid, label, color, tuple(codes),
                            _labels(t.get("description"), path, t.line_of("description"), f"theme {tid}", log,
                                    required=False)))
    log.raise_if_any()
    return Codebook(str(meta.get("id", path.stem)), str(meta.get("version", "1")), languages,
                    _labels(meta.get("title"), path, data.line_of("codebook"), "codebook title", log,
                            required=False),
                    themes, hashlib.sha256(raw_bytes).hexdigest(), path)
