"""Processed tables on disk: parquet for the notebooks, a CSV twin for Excel/R users, written atomically;
and ``Tables``, the loaded set that the reports and the explore workbench read.

A processed folder holds its tables in the generation folder named by its ``CURRENT`` pointer (see
atomic.publish_generation); every function here that takes a processed folder follows that pointer, so callers
pass the processed folder itself and always read one complete build.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from gtna_analysis.atomic import atomic_path, current_generation, write_text_atomic
from gtna_analysis.schema import DESIGN_COLUMNS


def write_table(frame: pd.DataFrame, directory: Path, name: str, csv: bool = True, staged: bool = False) -> None:
    """Write ``name.parquet`` (and ``name.csv``) so that the same frame always gives the same bytes.

    Each file is replaced atomically and durably — unless ``staged``: ``directory`` is then a staging folder that
    no reader sees until ``publish_generation`` syncs all of it and renames it, so a temporary file, a rename and
    two fsyncs per file would only repeat what publishing does once for the whole folder."""
    frame = frame.reset_index(drop=True)
    targets = [(directory / f"{name}.parquet", lambda path: frame.to_parquet(path, index=False, compression="zstd"))]
    if csv:
        targets.append((directory / f"{name}.csv", lambda path: frame.to_csv(path, index=False, lineterminator="\n")))
    for target, write in targets:
        if staged:
            write(target)
            continue
        with atomic_path(target) as tmp:
            write(tmp)


def table_path(directory: str | Path, name: str, suffix: str = ".parquet") -> Path:
    """Where table ``name`` of the processed folder ``directory`` is published (its current generation)."""
    return current_generation(directory) / f"{name}{suffix}"


def read_table(directory: str | Path, name: str, columns: list[str] | None = None) -> pd.DataFrame:
    path = table_path(directory, name)
    if not path.exists():
        raise FileNotFoundError(f"{path} not found — run `gtna build` first")
    return pd.read_parquet(path, columns=columns)


def write_json(path: Path, data: object) -> None:
    write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def read_manifest(directory: str | Path) -> dict:
    path = table_path(directory, "manifest", ".json")
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


@dataclass
class Tables:
    interviews: pd.DataFrame
    participants: pd.DataFrame
    segments: pd.DataFrame
    codings: pd.DataFrame
    preferences: pd.DataFrame
    codes: pd.DataFrame
    manifest: dict = field(default_factory=dict)
    designs: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=DESIGN_COLUMNS))

    @classmethod
    def load(cls, processed_dir: str | Path) -> Tables:
        """Every table of one generation; if a build replaced it while we read, read the new one once more."""
        generation = current_generation(processed_dir)
        try:
            return cls._load_generation(generation)
        except FileNotFoundError:
            if current_generation(processed_dir) == generation:
                raise
            return cls._load_generation(current_generation(processed_dir))

    @classmethod
    def _load_generation(cls, d: Path) -> Tables:
        tables = cls(*(read_table(d, n) for n in ("interviews", "participants", "segments", "codings",
                                                   "preferences", "codes")), read_manifest(d))
        if "polarity" not in tables.codings:  # tables built before codings carried a polarity
            tables.codings["polarity"] = "stated"
        if (d / "designs.parquet").exists():  # tables built before the designs table existed have none
            tables.designs = read_table(d, "designs")
        return tables

    @property
    def counted_codings(self) -> pd.DataFrame:
        """The codings that count as a mention in prevalence, priorities and quotes: every polarity but
        ``rejected`` (a topic named only to reject it is no priority; it stays in ``codings`` for reading)."""
        if "polarity" not in self.codings:
            return self.codings
        return self.codings[self.codings["polarity"] != "rejected"]

    def scope(self, agency: str | None) -> Tables:
        """The same tables restricted to one agency (or all when None)."""
        if agency is None:
            return self

        def keep(df: pd.DataFrame) -> pd.DataFrame:
            return df[df["agency"] == agency].reset_index(drop=True)

        return Tables(keep(self.interviews), keep(self.participants), keep(self.segments), keep(self.codings),
                      keep(self.preferences), self.codes, self.manifest, keep(self.designs))

    @property
    def agencies(self) -> list[str]:
        order = self.manifest.get("agency_order") or list(self.manifest.get("agencies", {}))
        present = set(self.interviews["agency"])
        return [a for a in order if a in present] + sorted(present - set(order))

    def agency_name(self, agency: str, lang: str, short: bool = False) -> str:
        info = self.manifest.get("agencies", {}).get(agency, {})
        names = info.get("short" if short else "name", {})
        return names.get(lang) or names.get("en") or agency
