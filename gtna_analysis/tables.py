"""Processed tables on disk: parquet for the notebooks, a CSV twin for Excel/R users, written atomically."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .atomic import atomic_path, write_text_atomic

TABLES = ("interviews", "participants", "segments", "codings", "preferences", "documents")


def write_table(frame: pd.DataFrame, directory: Path, name: str, csv: bool = True) -> None:
    """Write ``name.parquet`` (and ``name.csv``) so that the same frame always gives the same bytes."""
    frame = frame.reset_index(drop=True)
    with atomic_path(directory / f"{name}.parquet") as tmp:
        frame.to_parquet(tmp, index=False, compression="zstd")
    if csv:
        with atomic_path(directory / f"{name}.csv") as tmp:
            frame.to_csv(tmp, index=False, lineterminator="\n")


def read_table(directory: str | Path, name: str) -> pd.DataFrame:
    path = Path(directory) / f"{name}.parquet"
    if not path.exists():
        raise FileNotFoundError(f"{path} not found — run `gtna build` first")
    return pd.read_parquet(path)


def write_json(path: Path, data: object) -> None:
    write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def read_manifest(directory: str | Path) -> dict:
    path = Path(directory) / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
