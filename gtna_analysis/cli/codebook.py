"""``gtna codebook export|import``: exchange the codebook with QDA software as a REFI-QDA .qdc."""

from __future__ import annotations

import argparse
from pathlib import Path

from gtna_analysis.console import OUTPUT
from gtna_analysis.errors import GtnaError
from gtna_analysis.schema import LANGUAGES

from ._common import check_out, common, study_codebook

EPILOG_CODEBOOK_EXPORT = """examples:
  gtna codebook export --format qdc --out codebook.qdc              # labels in the codebook's first language
  gtna codebook export --format qdc --lang en --study fieldwork/ --out fieldwork-codebook.qdc

Import the .qdc with the REFI-QDA codebook import of NVivo, ATLAS.ti, MAXQDA or QualCoder (menu names vary by
version). Themes are exported as non-codable parent codes; the code id, both labels and the MacQueen fields
travel in each code's description.
"""
EPILOG_CODEBOOK_IMPORT = """examples:
  gtna codebook import edited.qdc --out new-codebook.yml
  gtna codebook import edited.qdc --patterns-from data/raw/codebook.yml --out data/raw/codebook.yml --force

A .qdc has no search patterns: without --patterns-from every code gets an empty 'patterns' list (auto-coding
will not find it until you add patterns). With --patterns-from, codes whose id matches keep their patterns.
"""
def cmd_codebook_export(args: argparse.Namespace) -> int:
    from gtna_analysis.exchange.qdc import export_qdc

    codebook = study_codebook(args)
    out = check_out(args.out)
    lang = args.lang or (codebook.languages[0] if codebook.languages else "en")
    export_qdc(codebook, out, lang)
    OUTPUT.info(f"wrote {out}: {len(codebook.themes)} themes, {len(codebook.codes)} codes (names in {lang}); "
                "patterns are not part of REFI-QDA and stay in the YAML")
    return 0


def cmd_codebook_import(args: argparse.Namespace) -> int:
    from gtna_analysis.atomic import write_text_atomic
    from gtna_analysis.coding.codebook import dump_codebook_yaml, load_codebook
    from gtna_analysis.exchange.qdc import qdc_to_codebook

    source = Path(args.file)
    if not source.exists():
        raise GtnaError.at(source, None, "file not found")
    if source.is_dir():
        raise GtnaError.at(source, None, "is a folder, not a .qdc or .qdpx file")
    out = check_out(args.out, args.force)
    patterns_from = load_codebook(args.patterns_from) if args.patterns_from else None
    codebook, notes = qdc_to_codebook(source, patterns_from)
    header = (f"Imported from {source.name} by `gtna codebook import`.\n"
              "REFI-QDA codebooks carry no search patterns: add patterns (see README) before auto-coding.")
    write_text_atomic(out, dump_codebook_yaml(codebook, header))
    load_codebook(out)  # what we wrote must be a valid codebook
    for note in notes:
        OUTPUT.info(note)
    OUTPUT.info(f"wrote {out}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add codebook export/import to the ``gtna`` parser."""
    raw = argparse.RawDescriptionHelpFormatter
    p = sub.add_parser("codebook", help="exchange the codebook with QDA software (REFI-QDA .qdc)",
                       formatter_class=raw, epilog=EPILOG_CODEBOOK_EXPORT + "\n" + EPILOG_CODEBOOK_IMPORT)
    cs = p.add_subparsers(dest="codebook_command", required=True, metavar="ACTION")
    e = cs.add_parser("export", help="write the codebook as a REFI-QDA .qdc file", formatter_class=raw,
                      epilog=EPILOG_CODEBOOK_EXPORT)
    common(e, "the .qdc file to write")
    e.add_argument("--format", choices=["qdc"], default="qdc", help="file format (default: qdc)")
    e.add_argument("--lang", choices=LANGUAGES, help="language of code names (default: first codebook language)")
    e.set_defaults(func=cmd_codebook_export)
    i = cs.add_parser("import", help="read a REFI-QDA .qdc (or .qdpx) code tree into a codebook YAML",
                      formatter_class=raw, epilog=EPILOG_CODEBOOK_IMPORT)
    common(i, "the codebook .yml to write")
    i.add_argument("file", type=Path, help="a .qdc (or .qdpx) file")
    i.add_argument("--patterns-from", type=Path, help="take patterns from this codebook for codes with the same id")
    i.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    i.set_defaults(func=cmd_codebook_import)
