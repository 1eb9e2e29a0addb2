"""Human coding import: coders' work from CSV / XLSX sheets (and, via ``refi``, REFI-QDA .qdpx projects).

A coding sheet has one row per (segment, code, coder) decision: columns ``segment_id``, ``code_id`` and
``coder`` (optional: ``start_char``, ``end_char`` to code part of a segment, ``memo``; other columns such as the
segment text or code labels of an exported sheet are ignored, so a sheet written by ``gtna export --format xlsx``
can be filled in and read back). A row with an empty ``code_id`` records that the coder *read* the segment and
found no code — that is what lets agreement statistics count uncoded segments instead of silently dropping them.
A row with a code in ``rejected_code`` (what the workbench writes when a coder rejects an auto code) says "not
this code here": ``apply_rejections`` takes a rejected auto coding out of the analysed codings. A coder's last row
on a (segment, code) is their decision — a later accept overrides an earlier reject, and the other way round.

Every problem is reported as ``file:line: message`` (the spreadsheet row, or the CSV line) so coders can fix
their sheet; nothing is guessed.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from gtna_analysis.errors import GtnaError, ProblemLog
from gtna_analysis.ingest.readers.limits import check_zip
from gtna_analysis.paths import GOLD_FOLDER
from gtna_analysis.schema import CODING_COLUMNS, REJECTION_COLUMNS

from .codebook import Codebook
from .polarity import POLARITIES, STATED

SHEET_SUFFIXES = (".csv", ".tsv", ".xlsx")
REQUIRED = ("segment_id", "code_id")
ACCEPTED = ("accept", "accepted", "yes", "y", "x", "1", "true", "✓", "ok", "მიღება", "კი")
ALIASES = {"segment": "segment_id", "segment id": "segment_id", "code": "code_id", "code id": "code_id",
           "coder_id": "coder", "user": "coder", "start": "start_char", "end": "end_char", "note": "memo",
           "rejected": "rejected_code", "rejected code": "rejected_code"}
DECISION_COLUMNS = ["segment_id", "code_id", "coder"]  # a rejection: this coder says the code is not there
SUPPRESSED, DISPUTED = "suppressed", "disputed"


@dataclass
class HumanCoding:
    """Imported codings plus, per coder, the segments the coder read (coded or not)."""

    codings: pd.DataFrame
    units: dict[str, set[str]] = field(default_factory=dict)
    path: Path | None = None
    rejections: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=DECISION_COLUMNS))

    @property
    def coders(self) -> list[str]:
        return sorted(self.units)

    def only(self, coder: str) -> HumanCoding:
        """The part of this file coded by ``coder``."""
        return HumanCoding(self.codings[self.codings["coder"] == coder].reset_index(drop=True),
                           {coder: self.units.get(coder, set())}, self.path,
                           self.rejections[self.rejections["coder"] == coder].reset_index(drop=True))


def _column_name(raw: object) -> str:
    name = str(raw or "").strip().lower().replace("-", "_")
    return ALIASES.get(name, name.replace(" ", "_"))


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    text = path.read_text(encoding="utf-8-sig")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel_tab if path.suffix.lower() == ".tsv" else csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    line = 1
    for row in reader:
        yield line, row
        line = reader.line_num + 1


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    check_zip(path)  # openpyxl would inflate a zip bomb's sheet without bound
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a damaged file
        raise GtnaError.at(path, None, f"cannot read the workbook: {exc}") from None
    sheet = book["codings"] if "codings" in book.sheetnames else book.worksheets[0]
    for index, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield index, ["" if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
                      for v in row]
    book.close()


def read_rows(path: Path, required: tuple[str, ...] = REQUIRED
              ) -> tuple[dict[str, int], list[tuple[int, dict[str, str]]]]:
    """Header (column -> index) and data rows (line, {column: value}) of a CSV/TSV/XLSX coding sheet."""
    rows = _xlsx_rows(path) if path.suffix.lower() == ".xlsx" else _csv_rows(path)
    header: dict[str, int] | None = None
    out: list[tuple[int, dict[str, str]]] = []
    for line, row in rows:
        if not any(str(v).strip() for v in row):
            continue
        if header is None:
            header = {}
            for i, v in enumerate(row):
                name = _column_name(v)
                if name and name not in header:
                    header[name] = i
            missing = [c for c in required if c not in header]
            if missing:
                raise GtnaError.at(path, line, f"missing column(s) {', '.join(missing)}",
                                   f"expected columns: {', '.join(required)}")
            continue
        out.append((line, {name: str(row[i]).strip() if i < len(row) else "" for name, i in header.items()}))
    if header is None:
        raise GtnaError.at(path, 1, "empty sheet", f"expected a header row: {', '.join(required)}")
    return header, out


def _suggest(value: str, options: list[str]) -> str:
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else ""


def load_coding_sheet(path: str | Path, segments: pd.DataFrame, codebook: Codebook,
                      coder: str | None = None) -> HumanCoding:
    """Read and validate a CSV/TSV/XLSX coding sheet against the build's segments and the codebook."""
    path = Path(path)
    if not path.exists():
        raise GtnaError.at(path, None, "file not found")
    header, rows = read_rows(path)
    reviewed = "decision" in header  # a review sheet of suggestions: only accepted rows count (see suggest.py)
    seg = segments.set_index("segment_id")
    segment_ids = seg.index.tolist()
    known_segments = set(segment_ids)
    code_ids = [c.id for c in codebook.codes]
    theme_ids = {t.id for t in codebook.themes}
    log = ProblemLog()
    records: dict[tuple[str, str, str, int, int], dict] = {}
    last: dict[tuple[str, str, str], str] = {}  # (coder, segment, code) → the coder's last word: code | reject
    units: dict[str, set[str]] = {}
    default_coder = coder or path.stem
    for line, row in rows:
        segment_id, code_id = row.get("segment_id", ""), row.get("code_id", "")
        who = row.get("coder") or default_coder
        if reviewed and (row.get("decision") or "").strip().lower() not in ACCEPTED:
            continue  # rejected or not yet reviewed: neither a coding nor a segment this coder read
        if not segment_id:
            log.add(path, line, "empty segment_id")
            continue
        if segment_id not in known_segments:
            log.add(path, line, f"unknown segment_id {segment_id!r}", _suggest(segment_id, segment_ids))
            continue
        units.setdefault(who, set()).add(segment_id)
        rejected = row.get("rejected_code", "")
        if rejected:
            if rejected == code_id:
                log.add(path, line, f"{code_id!r} is both given and rejected in one row",
                        "leave code_id empty in a rejection row")
                continue
            if _known_code(rejected, "rejected_code", codebook, code_ids, theme_ids, log, path, line):
                last[(who, segment_id, rejected)] = "reject"
        if not code_id:
            continue
        if not _known_code(code_id, "code_id", codebook, code_ids, theme_ids, log, path, line):
            continue
        s = seg.loc[segment_id]
        start, end = int(s["start_char"]), int(s["end_char"])
        if row.get("start_char") or row.get("end_char"):
            try:
                start, end = int(float(row["start_char"])), int(float(row["end_char"]))
            except (KeyError, ValueError):
                log.add(path, line, "start_char and end_char must both be whole numbers")
                continue
            if not int(s["start_char"]) <= start < end <= int(s["end_char"]):
                log.add(path, line, f"span {start}-{end} is outside segment {segment_id} "
                                    f"({int(s['start_char'])}-{int(s['end_char'])})")
                continue
        stance = (row.get("polarity") or STATED).strip().lower()
        if stance not in POLARITIES:
            log.add(path, line, f"unknown polarity {stance!r}", f"use one of {', '.join(POLARITIES)} (or leave empty)")
            continue
        whole = (start, end) == (int(s["start_char"]), int(s["end_char"]))
        quote = "" if whole else str(s["text"])[start - int(s["start_char"]):end - int(s["start_char"])][:200]
        key = (segment_id, code_id, who, start, end)
        last[(who, segment_id, code_id)] = "code"
        records.setdefault(key, {
            "segment_id": segment_id, "interview_id": s["interview_id"], "agency": s["agency"],
            "code_id": code_id, "theme_id": codebook.code(code_id).theme_id, "start_char": start,
            "end_char": end, "matched_text": quote, "n_matches": 1,
            "source": "auto" if who.startswith("auto:") else "manual", "coder": who, "polarity": stance,
        })
    log.raise_if_any()
    final_rejections = [(who, seg, code) for (who, seg, code), verdict in last.items() if verdict == "reject"]
    for who, seg, code in final_rejections:  # a later rejection withdraws the coder's own earlier coding
        for key in [k for k in records if (k[2], k[0], k[1]) == (who, seg, code)]:
            del records[key]
    rejections = pd.DataFrame([{"segment_id": seg, "code_id": code, "coder": who}
                               for who, seg, code in final_rejections], columns=DECISION_COLUMNS)
    return HumanCoding(codings_frame(list(records.values())), units, path, rejections)


def _known_code(code_id: str, column: str, codebook: Codebook, code_ids: list[str], theme_ids: set[str],
                log: ProblemLog, path: Path, line: int) -> bool:
    """Whether ``code_id`` is a codebook code; if not, the problem is logged with the sheet's line."""
    if codebook.has_code(code_id):
        return True
    if code_id in theme_ids:
        log.add(path, line, f"{code_id!r} is a theme, not a code", "use one of the theme's codes")
    else:
        log.add(path, line, f"unknown {column} {code_id!r}", _suggest(code_id, code_ids))
    return False


def codings_frame(rows: list[dict]) -> pd.DataFrame:
    """A codings table with the standard columns and dtypes."""
    frame = pd.DataFrame(rows, columns=CODING_COLUMNS)
    # rows without a polarity leave an all-NaN float column: cast before filling (pandas 4 refuses str into float)
    frame["polarity"] = frame["polarity"].astype(object).fillna(STATED).astype(str)
    return frame.astype({"start_char": "int64", "end_char": "int64", "n_matches": "int64"})


def merge_codings(auto: pd.DataFrame, human: list[HumanCoding]) -> pd.DataFrame:
    """Auto-codings and imported human codings in one table; provenance stays in ``source`` and ``coder``."""
    frames = [auto] + [h.codings for h in human if len(h.codings)]
    if len(frames) == 1:
        return auto
    merged = pd.concat(frames, ignore_index=True)
    merged = merged.drop_duplicates(["segment_id", "code_id", "coder", "start_char", "end_char"])
    merged = merged.sort_values(["interview_id", "start_char", "source", "coder", "code_id"], kind="stable")
    return merged.reset_index(drop=True)


def apply_rejections(codings: pd.DataFrame, human: list[HumanCoding]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The analysed codings without the auto codings researchers rejected, and the audit table of rejections.

    Rule: an auto coding of (segment, code) leaves ``codings`` when a coder's last word on it is a rejection
    and no coder coded that (segment, code) — status ``suppressed``. When coders disagree (one rejects, another
    accepted or coded it) the build does not pick a winner: the auto coding stays, status ``disputed``, and the
    disagreement shows in coder comparison. Human codings are never removed by another coder's rejection.
    Every rejected auto coding is kept, with ``rejected_by`` / ``accepted_by`` (coders, ``;``-separated) and
    ``status``, in the returned table (the ``rejections`` table of the build), so what a rejection did can be
    audited and the auto-coder's own output rebuilt (``codings`` + the suppressed rows).
    """
    frames = [h.rejections for h in human if len(h.rejections)]
    empty = pd.DataFrame(columns=REJECTION_COLUMNS).astype(codings.dtypes.to_dict())
    if not frames:
        return codings, empty
    rejected = pd.concat(frames, ignore_index=True).drop_duplicates()
    by = rejected.groupby(["segment_id", "code_id"])["coder"].agg(lambda c: ";".join(sorted(set(c))))
    human_rows = codings[codings["source"] != "auto"]
    coded_by = human_rows.groupby(["segment_id", "code_id"])["coder"].agg(lambda c: ";".join(sorted(set(c))))
    keys = pd.MultiIndex.from_frame(codings[["segment_id", "code_id"]])
    hit = (codings["source"] == "auto").to_numpy() & keys.isin(by.index)
    if not hit.any():
        return codings, empty
    audit = codings[hit].copy()
    audit_keys = pd.MultiIndex.from_frame(audit[["segment_id", "code_id"]])
    audit["rejected_by"] = by.reindex(audit_keys).to_numpy()
    audit["accepted_by"] = coded_by.reindex(audit_keys).fillna("").to_numpy()
    audit["status"] = [DISPUTED if a else SUPPRESSED for a in audit["accepted_by"]]
    drop = audit.index[audit["status"] == SUPPRESSED]
    kept = codings.drop(index=drop).reset_index(drop=True)
    return kept, audit[REJECTION_COLUMNS].reset_index(drop=True)


def self_contradictions(rejections: pd.DataFrame, shown: int = 5) -> list[str]:
    """Warnings for disputes a coder has with themself: the same coder rejected a (segment, code) in one coding
    file and coded it in another (within one file the coder's last row wins, so only files disagree).

    Why a warning: the build cannot tell which decision is the coder's real one, so it keeps the auto coding as
    ``disputed`` — as if two coders disagreed — and the coder's own agreement figures count both. The coder
    should keep one of the two decisions."""
    if rejections.empty:
        return []
    found = [(coder, seg, code) for seg, code, rejected, accepted in
             zip(rejections["segment_id"], rejections["code_id"], rejections["rejected_by"],
                 rejections["accepted_by"], strict=True)
             for coder in sorted(set(str(rejected).split(";")) & set(str(accepted).split(";")) - {""})]
    by_coder: dict[str, list[tuple[str, str]]] = {}
    for coder, seg, code in dict.fromkeys(found):
        by_coder.setdefault(coder, []).append((seg, code))
    warnings = []
    for coder, pairs in sorted(by_coder.items()):
        examples = ", ".join(f"{code} on {seg}" for seg, code in pairs[:shown])
        more = f" and {len(pairs) - shown} more" if len(pairs) > shown else ""
        warnings.append(f"coder {coder!r} rejected and also coded the same code on the same segment in two coding "
                        f"files ({examples}{more}); the build keeps the auto coding as disputed — keep one of the "
                        f"two decisions")
    return warnings


def auto_coder_output(codings: pd.DataFrame, rejections: pd.DataFrame | None) -> pd.DataFrame:
    """What the auto-coder itself found: the auto codings of the build plus those a rejection suppressed — so
    agreement of ``auto`` with a coder measures the patterns, not the patterns after the coder's corrections."""
    auto = codings[codings["source"] == "auto"]
    if rejections is None or rejections.empty:
        return auto
    suppressed = rejections.loc[rejections["status"] == SUPPRESSED, CODING_COLUMNS]
    return pd.concat([auto, suppressed], ignore_index=True)


def load_gold(study_root: str | Path, segments: pd.DataFrame, codebook: Codebook, split: str = "all") -> HumanCoding:
    """The study's gold set (``<study>/gold/gold.csv``), optionally only the segments of one split.

    ``gold/split.csv`` (segment_id, split) names each gold segment's part: in the sample study ``held_in`` (used
    to tune patterns) or ``held_out``; in the evaluation set ``tuning`` or ``locked`` (never judged on until the
    end). Any names work; an unknown one is an error listing those the file has.
    """
    folder = Path(study_root) / GOLD_FOLDER
    gold = load_coding_sheet(folder / "gold.csv", segments, codebook)
    if split == "all":
        return gold
    _, rows = read_rows(folder / "split.csv", ("segment_id", "split"))
    rows = list(rows)
    names = sorted({row.get("split", "") for _, row in rows} - {""})
    if split not in names:
        raise GtnaError.at(folder / "split.csv", None, f"unknown split {split!r}",
                           f"use all or one of {', '.join(names)}")
    keep = {row["segment_id"] for _, row in rows if row.get("split") == split}
    units = {coder: ids & keep for coder, ids in gold.units.items()}
    return HumanCoding(gold.codings[gold.codings["segment_id"].isin(keep)].reset_index(drop=True), units, gold.path)
