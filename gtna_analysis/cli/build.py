"""``gtna validate`` and ``gtna build``: check the study folder; turn it into the processed tables."""

from __future__ import annotations

import argparse
from pathlib import Path

from gtna_analysis.console import OUTPUT
from gtna_analysis.errors import GtnaError

from ._common import check_out_folder, common, default_processed

EPILOG_BUILD = """examples:
  gtna build                                  # data/raw -> data/processed
  gtna build --study fieldwork/ --out fieldwork/processed
  gtna build --keep-going                     # build what is valid, list what was skipped
"""
EPILOG_VALIDATE = """examples:
  gtna validate                               # check data/raw, write nothing
  gtna validate --study fieldwork/
"""
def cmd_validate(args: argparse.Namespace) -> int:
    from gtna_analysis.build import build

    result = build(args.study, keep_going=True, progress=OUTPUT.progress)
    for warning in result.warnings:
        OUTPUT.warn(warning)
    for problem in result.skipped:
        OUTPUT.error(str(problem))
    t = result.tables
    if result.skipped:
        OUTPUT.error(f"{len(result.skipped)} problem(s); nothing was written")
        return 1
    from gtna_analysis.coding.codebook import context_warnings

    lint = context_warnings(result.codebook)
    if lint:
        OUTPUT.warn(f"{len(lint)} code(s) fire on single words without context (requires:); "
                    "`gtna validate -v` lists them")
        for line in lint:
            OUTPUT.detail(line)
    OUTPUT.info(f"OK: {len(t['interviews'])} interviews, {len(t['segments'])} segments, "
                f"{len(result.codebook.codes)} codes in {len(result.codebook.themes)} themes; nothing written")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    out = args.out or args.processed or default_processed(args.study)
    if args.out or args.processed:  # the default lies in the study folder, which build() checks itself
        check_out_folder(out)
    return build_into(args.study, out, keep_going=args.keep_going, use_cache=not args.no_cache)


def build_into(study: Path, out: Path, keep_going: bool = False, use_cache: bool = True) -> int:
    """``gtna build``'s work and messages (also run by ``gtna report --build``): the exit code."""
    from gtna_analysis.build import build, write_outputs

    try:
        result = build(study, keep_going=keep_going, cache_dir=out / ".cache" if use_cache else None,
                       progress=OUTPUT.progress)
        OUTPUT.detail(f"read {len(result.reread)} transcript(s); the others were unchanged (cache)")
        for warning in result.warnings:
            OUTPUT.warn(warning)
        write_outputs(result, out)
    except OSError as exc:  # a full disk, no permission: nothing half-written is published
        where = exc.filename or out
        hint = (f"{out} still holds the previous build" if (out / "CURRENT").exists()
                else "nothing was written")
        raise GtnaError.at(where, None, f"{exc.strerror or exc}", hint) from None
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


def register(sub: argparse._SubParsersAction) -> None:
    """Add validate and build to the ``gtna`` parser."""
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
