"""``gtna privacy-check``: look for participants' names in a processed folder, reports and exports."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from gtna_analysis.console import OUTPUT

if TYPE_CHECKING:
    from gtna_analysis.ingest.pseudonymise import StudyNames

EPILOG = """examples:
  gtna privacy-check data/processed                        # the processed tables and manifest
  gtna privacy-check data/processed reports/ gtna.qdpx codings.xlsx
  gtna privacy-check fieldwork/processed --study fieldwork/

Looks for every participant name of the study's transcript headers (and interviews.csv) in all Georgian case
forms and romanisations, in tables (parquet, csv), manifest and notebooks (json), HTML reports and their PDF and
Word copies, Excel workbooks and QDPX projects (every zip member). Prints each name found with its file and
location, and every file it could not read (damaged, or over the zip limits): such a file is not called clean.
exit codes: 0 no name found, 1 a name found or a file unreadable (or the study cannot be read), 2 usage error
"""


def study_names(study_dir: Path) -> StudyNames:
    """Every participant of the study (headers and interviews.csv), as the build's pseudonymiser sees them.
    A transcript whose metadata cannot be read is reported as a warning: its names cannot be looked for."""
    from gtna_analysis.errors import ProblemLog
    from gtna_analysis.ingest.pseudonymise import StudyNames
    from gtna_analysis.ingest.transcripts import collect_sources, read_all
    from gtna_analysis.study import load_study

    study = load_study(study_dir)
    log = ProblemLog()
    items = read_all(study, collect_sources(study, log), log)
    for problem in log.problems:
        OUTPUT.warn(f"{problem} (its names are not checked)")
    return StudyNames([item.meta for item in items], study.keep_names)


def cmd_privacy_check(args: argparse.Namespace) -> int:
    from gtna_analysis.ingest.leaks import scan_leaks

    paths: list[Path] = args.paths
    processed = paths[0]
    if not processed.is_dir():
        OUTPUT.error(f"{processed}: not a folder (give the processed tables folder first)")
        return 2
    missing = [p for p in paths[1:] if not p.exists()]
    for path in missing:
        OUTPUT.error(f"{path}: no such file or folder")
    if missing:
        return 2
    names = study_names(args.study)
    if not names.people:
        OUTPUT.error(f"{args.study}: no participant names in any transcript header; nothing to look for")
        return 1
    scan = scan_leaks(paths, names)
    for leak in scan.leaks:
        OUTPUT.error(str(leak))
    for problem in scan.unreadable:
        OUTPUT.error(problem)
    if scan.leaks:
        OUTPUT.error(f"{len(scan.leaks)} participant name(s) found in {len({leak.file for leak in scan.leaks})}"
                     f" of {scan.files} file(s)")
    if scan.unreadable:
        OUTPUT.error(f"{len(scan.unreadable)} of {scan.files} file(s) could not be read and were not checked")
    if scan.leaks or scan.unreadable:
        return 1
    OUTPUT.info(f"no participant name found in {scan.files} file(s) ({len(names.people)} participants' names, "
                "all case forms and romanisations)")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add privacy-check to the ``gtna`` parser."""
    p = sub.add_parser("privacy-check", help="look for participants' names in processed tables, reports, exports",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", type=Path, nargs="+", metavar="PATH",
                   help="the processed folder, then any report folders or files and exports (.xlsx, .qdpx …)")
    p.add_argument("--study", type=Path, default=Path("data/raw"), help="study folder (default: data/raw)")
    p.add_argument("-q", "--quiet", action="store_true", help="print only what was found")
    p.add_argument("-v", "--verbose", action="store_true", help="print more detail")
    p.set_defaults(func=cmd_privacy_check)
