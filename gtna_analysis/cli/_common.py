"""What every ``gtna`` command shares: the common options, default folders, and reading the processed tables."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from gtna_analysis.errors import GtnaError

if TYPE_CHECKING:
    from gtna_analysis.coding.codebook import Codebook


def common(parser: argparse.ArgumentParser, out_help: str) -> None:
    parser.add_argument("--study", type=Path, default=Path("data/raw"), help="study folder (default: data/raw)")
    parser.add_argument("--processed", type=Path, default=None,
                        help="processed tables folder (default: data/processed, or <study>/processed)")
    parser.add_argument("--out", type=Path, default=None, help=out_help)
    parser.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    parser.add_argument("-v", "--verbose", action="store_true", help="print more detail")


def default_processed(study: Path) -> Path:
    """data/raw → data/processed; any other study folder → a 'processed' folder inside it."""
    study = study.resolve()
    if study.name == "raw" and study.parent.name == "data":
        return study.parent / "processed"
    return study / "processed"


def default_reports(study: Path) -> Path:
    study = study.resolve()
    if study.name == "raw" and study.parent.name == "data":
        return study.parent.parent / "reports"
    return study / "reports"


def processed_dir(args: argparse.Namespace) -> Path:
    return args.processed or default_processed(args.study)


def load_tables(processed: Path, names: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    from gtna_analysis.tables import read_table

    try:
        return {name: read_table(processed, name) for name in names}
    except FileNotFoundError as exc:
        raise GtnaError.at(processed, None, f"{exc}", "run `gtna build` first (or pass --processed)") from None


def study_codebook(args: argparse.Namespace) -> Codebook:
    """The codebook named by the study of ``--study``."""
    from gtna_analysis.coding.codebook import load_codebook
    from gtna_analysis.study import load_study

    return load_codebook(load_study(args.study).codebook_path)


def check_out(out: Path | None, force: bool = True) -> Path:
    if out is None:
        raise GtnaError.at("--out", None, "give the file to write with --out")
    if out.exists() and not force:
        raise GtnaError.at(out, None, "file exists", "use --force to overwrite")
    return out


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    from gtna_analysis.atomic import atomic_path

    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False, lineterminator="\n")
