"""CLI commands for researchers starting a study: ``gtna init``."""

from __future__ import annotations

import argparse
import shutil
from importlib import resources
from pathlib import Path

from gtna_analysis.console import OUTPUT
from gtna_analysis.errors import GtnaError

EPILOG_INIT = """examples:
  gtna init fieldwork-2024           # new study folder with the default guide and codebook
  gtna validate --study fieldwork-2024
  gtna build --study fieldwork-2024  # tables go to fieldwork-2024/processed
  gtna report --study fieldwork-2024 --all   # reports go to fieldwork-2024/reports
"""


def scaffold_study(target: Path, force: bool = False) -> list[Path]:
    """Copy the study template (study.yml, questionnaire, default codebook, interviews.csv, one example
    transcript) into ``target``; refuse to overwrite a non-empty folder unless ``force``."""
    if target.exists() and not target.is_dir():
        raise GtnaError.at(target, None, "is a file, not a folder", "give the name of a new folder")
    if not target.absolute().parent.is_dir():
        raise GtnaError.at(target.absolute().parent, None, f"folder does not exist (needed for {target})",
                           "create it first")
    if target.exists() and any(target.iterdir()) and not force:
        raise GtnaError.at(target, None, "folder exists and is not empty", "choose a new folder or pass --force")
    source = resources.files("gtna_analysis") / "scaffold"
    written: list[Path] = []

    def copy(node, dest: Path) -> None:  # Traversable: works from a wheel or a source checkout
        for child in node.iterdir():
            if child.name.startswith((".", "__")):
                continue
            out = dest / child.name
            if child.is_dir():
                out.mkdir(parents=True, exist_ok=True)
                copy(child, out)
            else:
                with resources.as_file(child) as real:
                    shutil.copyfile(real, out)
                written.append(out)

    target.mkdir(exist_ok=True)
    copy(source, target)
    return sorted(written)


def cmd_init(args: argparse.Namespace) -> int:
    written = scaffold_study(args.path, args.force)
    OUTPUT.info(f"created study in {args.path}:")
    for path in written:
        OUTPUT.info(f"  {path.relative_to(args.path)}")
    OUTPUT.info("next: edit study.yml, put transcripts in transcripts/<agency>/, then "
                f"`gtna validate --study {args.path}`")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the study-management sub-commands to the ``gtna`` parser."""
    p = sub.add_parser("init", help="create a new study folder from the template", epilog=EPILOG_INIT,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("path", type=Path, help="folder to create")
    p.add_argument("--force", action="store_true", help="write into a non-empty folder")
    p.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    p.add_argument("-v", "--verbose", action="store_true", help="print more detail")
    p.set_defaults(func=cmd_init)
