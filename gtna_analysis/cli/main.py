"""The ``gtna`` command line: the parser and ``main``. Each command group lives in its own module of this
package (build, report, codebook, exchange, agreement, suggest, privacy, study) as a thin wrapper over
library functions.

Exit codes: 0 success · 1 a problem with the input or a failed report (printed as ``path:line: message``) ·
2 wrong command-line usage · 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys

from gtna_analysis import __version__
from gtna_analysis.console import OUTPUT
from gtna_analysis.errors import GtnaError

from . import agreement, build, codebook, exchange, privacy, report, study, suggest


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gtna", description="GTNA workbench: qualitative analysis of gender training needs interviews.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="exit codes: 0 ok, 1 input problem or failed report, 2 usage error, 130 interrupted",
    )
    parser.add_argument("--version", action="version", version=f"gtna-workbench {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    for command_group in (build, report, codebook, exchange, agreement, suggest, privacy, study):  # `gtna --help` order
        command_group.register(sub)
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
    except OSError as exc:  # a missing file, a folder where a file belongs, no permission, a full disk
        OUTPUT.error(f"{exc.filename}: {exc.strerror or exc}" if exc.filename else str(exc.strerror or exc))
        return 1
    except KeyboardInterrupt:
        OUTPUT.error("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
