"""What every ``gtna`` command shares: the common options, default folders, and reading the processed tables."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from gtna_analysis.errors import GtnaError

if TYPE_CHECKING:  # pandas only when a command reads tables: report workers import this module too
    import pandas as pd

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
    """The file ``--out`` names, checked before any work: not a folder, in a folder that exists (a typo in
    the folder must not create a chain of new folders), and not overwritten without ``force``."""
    if out is None:
        raise GtnaError.at("--out", None, "give the file to write with --out")
    if out.is_dir():
        raise GtnaError.at(out, None, "is a folder; --out must name a file", f"e.g. --out {out / 'codings.xlsx'}")
    _check_parent(out)
    if out.exists() and not force:
        raise GtnaError.at(out, None, "file exists", "use --force to overwrite")
    return out


def check_out_folder(folder: Path) -> Path:
    """An output folder (processed tables, reports): a folder or not there yet, inside an existing folder."""
    if folder.exists() and not folder.is_dir():
        raise GtnaError.at(folder, None, "is a file, not a folder", "give a folder to write into")
    _check_parent(folder)
    return folder


def _check_parent(path: Path) -> None:
    parent = path.absolute().parent
    if not parent.exists():
        raise GtnaError.at(parent, None, f"folder does not exist (needed for {path})", "create it first")
    if not parent.is_dir():
        raise GtnaError.at(parent, None, f"is a file, not a folder (needed for {path})")


def positive_int(text: str) -> int:
    """argparse type for counts such as ``--jobs``: 0 or a negative number is a usage error (exit 2)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    from gtna_analysis.atomic import atomic_path

    check_out(path)
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False, lineterminator="\n")
