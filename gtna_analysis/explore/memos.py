"""Analytic memos: Markdown files in ``<study>/memos/``, one per study, agency, interview, code or passage.

Why files in the study: memos are part of the analysis record — diffable, versioned with the study, readable
without the workbench. Each file has a small YAML front matter and a Markdown body::

    ---
    scope: agency          # study | agency | interview | code | passage
    target: moes           # the agency / interview / code / segment id ("" for the study)
    title: Budgeting is the gap
    author: nino
    created: 2026-11-27T17:40:00+00:00
    updated: 2026-11-27T17:52:00+00:00
    report: true           # agency memos only: print in the agency report as "Analyst's note" (default true)
    ---
    Participants at MoES name budgeting ...

Paths: ``memos/study.md`` and ``memos/<scope>/<target>.md``. A memo with broken front matter is reported as
``path:line: message``, never skipped silently.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml
from markupsafe import Markup

from gtna_analysis.atomic import write_text_atomic
from gtna_analysis.errors import GtnaError
from gtna_analysis.yamlio import load_yaml_text

MEMOS_FOLDER = "memos"
SCOPES = ("study", "agency", "interview", "code", "passage")
_TARGET = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n?", re.S)
MEMO_COLUMNS = ["scope", "target", "title", "author", "updated", "report", "path"]


@dataclass
class Memo:
    scope: str
    target: str
    body: str
    title: str = ""
    author: str = ""
    created: str = ""
    updated: str = ""
    report: bool = True

    def html(self) -> Markup:
        return render_markdown(self.body)


def _check(scope: str, target: str) -> None:
    if scope not in SCOPES:
        raise ValueError(f"memo scope must be one of {', '.join(SCOPES)}, not {scope!r}")
    if scope != "study" and not _TARGET.match(target or ""):
        raise ValueError(f"memo target {target!r}: use the agency, interview, code or segment id")


def memo_path(study_root: str | Path, scope: str, target: str = "") -> Path:
    """Where the memo about ``target`` (of kind ``scope``) lives."""
    _check(scope, target)
    folder = Path(study_root) / MEMOS_FOLDER
    return folder / "study.md" if scope == "study" else folder / scope / f"{target}.md"


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()


def save_memo(study_root: str | Path, memo: Memo) -> Path:
    """Write (or overwrite) a memo atomically; ``created`` is kept from the file on disk, ``updated`` is now."""
    path = memo_path(study_root, memo.scope, memo.target)
    previous = read_memo(path) if path.exists() else None
    memo.created = (previous.created if previous and previous.created else "") or memo.created or _now()
    memo.updated = _now()
    front = {"scope": memo.scope, "target": memo.target, "title": memo.title, "author": memo.author,
             "created": memo.created, "updated": memo.updated}
    if memo.scope == "agency":
        front["report"] = bool(memo.report)
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n" + memo.body.strip() + "\n"
    write_text_atomic(path, text)
    return path


def read_memo(path: str | Path) -> Memo:
    """Parse one memo file; bad front matter is a ``GtnaError`` naming the file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GtnaError.at(path, None, f"not UTF-8 text ({exc.reason})") from None
    match = _FRONT.match(text)
    if not match:
        raise GtnaError.at(path, 1, "a memo starts with a front matter block between '---' lines",
                           "scope: and target: at least")
    front = load_yaml_text(match.group(1), path, line_offset=1) or {}
    if not isinstance(front, dict):
        raise GtnaError.at(path, 2, "the front matter must be 'key: value' lines")
    scope, target = str(front.get("scope") or ""), str(front.get("target") or "")
    try:
        _check(scope, target)
    except ValueError as exc:
        raise GtnaError.at(path, 2, str(exc)) from None
    report = front.get("report", True)
    return Memo(scope, target, text[match.end():].strip(), str(front.get("title") or ""),
                str(front.get("author") or ""), str(front.get("created") or ""), str(front.get("updated") or ""),
                report is not False and str(report).lower() not in ("false", "no", "0"))


def get_memo(study_root: str | Path, scope: str, target: str = "") -> Memo | None:
    path = memo_path(study_root, scope, target)
    return read_memo(path) if path.exists() else None


def list_memos(study_root: str | Path) -> pd.DataFrame:
    """Every memo of the study, newest first: scope, target, title, author, updated, report, path."""
    folder = Path(study_root) / MEMOS_FOLDER
    rows = []
    for path in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
        memo = read_memo(path)
        rows.append({"scope": memo.scope, "target": memo.target, "title": memo.title, "author": memo.author,
                     "updated": memo.updated, "report": memo.report, "path": str(path.relative_to(study_root))})
    frame = pd.DataFrame(rows, columns=MEMO_COLUMNS)
    return frame.sort_values(["updated", "path"], ascending=[False, True], kind="stable").reset_index(drop=True)


def render_markdown(body: str) -> Markup:
    """Markdown → HTML with raw HTML disabled (escaped), so a memo cannot inject markup into a report."""
    from markdown_it import MarkdownIt

    return Markup(MarkdownIt("commonmark", {"html": False}).render(body))


def report_note(study_root: str | Path | None, agency: str | None) -> Memo | None:
    """The agency memo a report prints as its "Analyst's note" (None without one, or with ``report: false``)."""
    if study_root is None or agency is None:
        return None
    memo = get_memo(study_root, "agency", agency)
    return memo if memo is not None and memo.report and memo.body.strip() else None
