"""``gtna export``: codings as a REFI-QDA project (.qdpx), an Excel workbook or CSV."""

from __future__ import annotations

import argparse

from gtna_analysis.console import OUTPUT
from gtna_analysis.schema import LANGUAGES

from ._common import check_out, common, load_tables, processed_dir, study_codebook

EPILOG_EXPORT = """examples:
  gtna export --format qdpx --out gtna.qdpx            # REFI-QDA project: sources, cases, variables, codings
  gtna export --format xlsx --out codings.xlsx         # for review in Excel; re-import via <study>/codings/
  gtna export --format csv --source auto --out auto-codings.csv
  gtna export --format qdpx --study fieldwork/ --processed fieldwork/processed --out fieldwork.qdpx
  gtna export --format translations --out translations.xlsx   # quotes the reports show in the other language

Run `gtna build` first: exports read the processed tables. Open a .qdpx with the REFI-QDA project import of
NVivo, ATLAS.ti, MAXQDA or QualCoder; code there, export a .qdpx again and put it in <study>/codings/ (or
compare it with `gtna agreement`).
"""
def cmd_export(args: argparse.Namespace) -> int:
    from gtna_analysis.tables import read_manifest, table_path

    out = check_out(args.out)
    processed = processed_dir(args)
    if args.format == "translations":
        return _export_translations(args, processed, out)
    names = ("codings", "segments", "codes") + (("documents", "interviews", "participants")
                                                if args.format == "qdpx" else ())
    if args.format == "xlsx" and table_path(processed, "designs").exists():
        names = (*names, "designs")
    tables = load_tables(processed, names)
    if args.format == "qdpx":
        from gtna_analysis.exchange.qdpx import export_qdpx

        codebook = study_codebook(args)
        manifest = read_manifest(processed)
        built_with = manifest.get("codebook", {}).get("sha256")
        if built_with and built_with != codebook.sha256:
            OUTPUT.warn(f"{processed}: tables were built with another version of {codebook.source}; "
                        "run `gtna build` to refresh")
        if args.source:
            tables["codings"] = tables["codings"][tables["codings"]["source"] == args.source]
        lang = args.lang or (codebook.languages[0] if codebook.languages else "en")
        export_qdpx(codebook, tables, out, manifest.get("study_id", "gtna"), lang)
        OUTPUT.info(f"wrote {out}: {len(tables['documents'])} sources, {len(tables['participants'])} cases, "
                    f"{len(tables['codings'])} codings")
    elif args.format == "xlsx":
        from gtna_analysis.exchange.xlsx import export_xlsx

        export_xlsx(tables, out, args.source)
        OUTPUT.info(f"wrote {out}")
    else:
        from gtna_analysis.exchange.xlsx import export_csv

        export_csv(tables, out, args.source)
        OUTPUT.info(f"wrote {out}")
    return 0


def _export_translations(args: argparse.Namespace, processed, out) -> int:
    """Every quote a report would show in another language than its own, for translators (XLSX or CSV)."""
    from gtna_analysis.reports import translation_queue, translations

    load_tables(processed, ("segments",))  # a clear error when nothing is built yet
    frame = translation_queue.needed(processed, args.study, [args.lang] if args.lang else None)
    translations.export(frame, out)
    OUTPUT.info(f"wrote {out}: {len(frame)} quote(s), {translation_queue.pending_count(frame)} still to translate; "
                f"fill the 'translation' column and put the file in {args.study / translations.FOLDER}/")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add export to the ``gtna`` parser."""
    raw = argparse.RawDescriptionHelpFormatter
    x = sub.add_parser("export", help="export codings (REFI-QDA .qdpx, Excel, CSV) or quotes to translate",
                       formatter_class=raw, epilog=EPILOG_EXPORT)
    common(x, "the file to write")
    x.add_argument("--format", choices=["qdpx", "xlsx", "csv", "translations"], required=True, help="output format")
    x.add_argument("--source", choices=["auto", "manual"], help="only auto- or only manual codings (default: all)")
    x.add_argument("--lang", choices=LANGUAGES, help="language of code names in a .qdpx; for translations: only quotes "
                   "into this report language")
    x.set_defaults(func=cmd_export)
