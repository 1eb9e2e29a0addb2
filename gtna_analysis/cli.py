"""The ``gtna`` command line. Each sub-command is a thin wrapper over library functions.

Exit codes: 0 success · 1 a problem with the input or a failed report (printed as ``path:line: message``) ·
2 wrong command-line usage · 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .console import OUTPUT
from .errors import GtnaError

EPILOG_BUILD = """examples:
  gtna build                                  # data/raw -> data/processed
  gtna build --study fieldwork/ --out fieldwork/processed
  gtna build --keep-going                     # build what is valid, list what was skipped
"""
EPILOG_VALIDATE = """examples:
  gtna validate                               # check data/raw, write nothing
  gtna validate --study fieldwork/
"""
EPILOG_REPORT = """examples:
  gtna report --all                           # every agency in every language + cross-agency + index
  gtna report --agency moes --lang en         # one report
  gtna report --all --jobs 2 --out reports/   # two notebooks at a time
"""


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


def cmd_validate(args: argparse.Namespace) -> int:
    from .build import build

    result = build(args.study, keep_going=True, progress=OUTPUT.progress)
    for warning in result.warnings:
        OUTPUT.warn(warning)
    for problem in result.skipped:
        OUTPUT.error(str(problem))
    t = result.tables
    if result.skipped:
        OUTPUT.error(f"{len(result.skipped)} problem(s); nothing was written")
        return 1
    OUTPUT.info(f"OK: {len(t['interviews'])} interviews, {len(t['segments'])} segments, "
                f"{len(result.codebook.codes)} codes in {len(result.codebook.themes)} themes; nothing written")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build, write_outputs

    out = args.out or args.processed or default_processed(args.study)
    result = build(args.study, keep_going=args.keep_going, cache_dir=None if args.no_cache else out / ".cache",
                   progress=OUTPUT.progress)
    OUTPUT.detail(f"read {len(result.reread)} transcript(s); the others were unchanged (cache)")
    for warning in result.warnings:
        OUTPUT.warn(warning)
    write_outputs(result, out)
    t = result.tables
    OUTPUT.info(f"built {len(t['interviews'])} interviews → {len(t['segments'])} segments, "
                f"{len(t['codings'])} codings, {len(t['preferences'])} preference mentions → {out}")
    counts = ", ".join(f"{k}: {v}" for k, v in sorted(result.replacements.items())) or "none"
    OUTPUT.info(f"pseudonymised: {counts}")
    if result.skipped:
        OUTPUT.error(f"skipped {len(result.skipped)} problem(s):")
        for problem in result.skipped:
            OUTPUT.error(f"  {problem}")
        return 1
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .reporting import render_reports

    processed = args.processed or default_processed(args.study)
    out = args.out or default_reports(args.study)
    langs = None if args.lang == "all" else [args.lang]
    summary = render_reports(processed_dir=processed, out_dir=out, agencies=args.agency or None,
                             languages=langs, jobs=args.jobs, include_cross=args.all or not args.agency,
                             study=args.study, output=OUTPUT)
    return 0 if summary.ok else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gtna", description="GTNA workbench: qualitative analysis of gender training needs interviews.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="exit codes: 0 ok, 1 input problem or failed report, 2 usage error, 130 interrupted",
    )
    parser.add_argument("--version", action="version", version=f"gtna-workbench {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check the study folder without writing anything", epilog=EPILOG_VALIDATE,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    common(p, "unused")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("build", help="read, clean, pseudonymise, segment and code the transcripts",
                       epilog=EPILOG_BUILD, formatter_class=argparse.RawDescriptionHelpFormatter)
    common(p, "where to write the processed tables (default: data/processed)")
    p.add_argument("--keep-going", action="store_true", help="skip bad transcripts instead of stopping")
    p.add_argument("--no-cache", action="store_true",
                   help="re-read every transcript instead of reusing <out>/.cache (incremental builds)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("report", help="render the HTML reports with papermill + nbconvert", epilog=EPILOG_REPORT,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    common(p, "reports folder (default: reports/)")
    p.add_argument("--agency", action="append", help="agency id (repeatable); default: all")
    p.add_argument("--all", action="store_true", help="every agency, the cross-agency report and the index")
    p.add_argument("--lang", choices=["ka", "en", "all"], default="all", help="report language (default: all)")
    p.add_argument("--jobs", type=int, default=1, help="notebooks rendered in parallel (default: 1)")
    p.set_defaults(func=cmd_report)

    from .cli_coding import register as register_coding
    from .cli_study import register as register_study

    register_coding(sub, common)
    register_study(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    OUTPUT.verbosity = 0 if getattr(args, "quiet", False) else 2 if getattr(args, "verbose", False) else 1
    try:
        return int(args.func(args) or 0)
    except GtnaError as exc:
        for problem in exc.problems:
            OUTPUT.error(str(problem))
        return 1
    except FileNotFoundError as exc:
        OUTPUT.error(f"{exc.filename or ''}: {exc.strerror or exc}" if exc.filename else str(exc))
        return 1
    except KeyboardInterrupt:
        OUTPUT.error("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
