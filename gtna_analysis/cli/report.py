"""``gtna report``: render the HTML reports (papermill + nbconvert), PDF/Word copies on request, and the index."""

from __future__ import annotations

import argparse

from gtna_analysis.console import OUTPUT
from gtna_analysis.schema import LANGUAGES

from ._common import check_out_folder, common, default_processed, default_reports, positive_int

EPILOG_REPORT = """examples:
  gtna report --all                           # every agency in every language + cross-agency + index
  gtna report --agency moes --lang en         # one report
  gtna report --all --jobs 2 --out reports/   # two notebooks at a time
  gtna report --agency moes --format pdf --format docx   # also moes/<lang>.pdf and .docx
  gtna report --all --build --jobs 2          # build first (as gtna build), the report workers starting meanwhile
"""


class BuildFailed(Exception):
    """``gtna report --build``: the build listed its problems (exit code 1); nothing is rendered."""


def cmd_report(args: argparse.Namespace) -> int:
    from gtna_analysis.reports.batch import render_reports

    processed = args.processed or default_processed(args.study)
    if args.build and args.processed:
        check_out_folder(processed)
    out = check_out_folder(args.out) if args.out else default_reports(args.study)
    langs = None if args.lang == "all" else [args.lang]

    def build_first() -> None:
        from .build import build_into

        if build_into(args.study, processed) != 0:
            raise BuildFailed

    try:
        summary = render_reports(processed_dir=processed, out_dir=out, agencies=args.agency or None,
                                 languages=langs, jobs=args.jobs, include_cross=args.all or not args.agency,
                                 study=args.study, output=OUTPUT, formats=("html", *(args.format or ())),
                                 before=build_first if args.build else None)
    except BuildFailed:
        return 1
    return 0 if summary.ok else 1


def register(sub: argparse._SubParsersAction) -> None:
    """Add report to the ``gtna`` parser."""
    p = sub.add_parser("report", help="render the HTML reports with papermill + nbconvert", epilog=EPILOG_REPORT,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    common(p, "reports folder (default: reports/)")
    p.add_argument("--agency", action="append", help="agency id (repeatable); default: all")
    p.add_argument("--all", action="store_true", help="every agency, the cross-agency report and the index")
    p.add_argument("--lang", choices=[*LANGUAGES, "all"], default="all", help="report language (default: all)")
    p.add_argument("--jobs", type=positive_int, default=1, help="notebooks rendered in parallel (default: 1)")
    p.add_argument("--format", action="append", choices=["html", "pdf", "docx"],
                   help="also write each report as an A4 PDF (headless Chromium) or an editable Word file; "
                        "repeatable (HTML is always written)")
    p.add_argument("--build", action="store_true",
                   help="build the study first (as `gtna build --out` the processed folder); with --jobs 2 or more "
                        "the report workers start while it runs (what `make reports` does)")
    p.set_defaults(func=cmd_report)
