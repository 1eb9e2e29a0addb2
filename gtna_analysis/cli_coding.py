"""CLI commands of the coding engine: codebook export/import, exports (qdpx, xlsx, csv), agreement.

Thin wrappers: each command parses options, calls the library (refi, xlsx_export, manual, agreement) and prints.
Input problems are raised as GtnaError and printed by ``cli.main`` as ``path:line: message`` (exit 1).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .console import OUTPUT
from .errors import GtnaError

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
EPILOG_EXPORT = """examples:
  gtna export --format qdpx --out gtna.qdpx            # REFI-QDA project: sources, cases, variables, codings
  gtna export --format xlsx --out codings.xlsx         # for review in Excel; re-import via <study>/codings/
  gtna export --format csv --source auto --out auto-codings.csv
  gtna export --format qdpx --study fieldwork/ --processed fieldwork/processed --out fieldwork.qdpx

Run `gtna build` first: exports read the processed tables. Open a .qdpx with the REFI-QDA project import of
NVivo, ATLAS.ti, MAXQDA or QualCoder; code there, export a .qdpx again and put it in <study>/codings/ (or
compare it with `gtna agreement`).
"""
EPILOG_AGREEMENT = """examples:
  gtna agreement gold data/raw/codings/coder_b.csv     # two human coders: kappa, alpha, % agreement
  gtna agreement auto gold                             # auto-coder vs gold set: + precision, recall, F1
  gtna agreement auto gold --split held_out            # honest figure: segments never used for tuning
  gtna agreement auto gold --disagreements fp_fn.csv   # every disagreement, to refine patterns
  gtna agreement a.xlsx team.qdpx --coder-b Nino --level theme --out agreement.csv

A and B: a coding file (.csv/.tsv/.xlsx with segment_id, code_id, coder; or a .qdpx), 'auto' (the auto-codings
of the processed tables) or 'gold' (<study>/gold/gold.csv). Units are the segments both sides read; a sheet row
with an empty code_id records a segment read and left uncoded. Use --units all to count every participant
segment as read by both (only for complete codings).
"""


def _processed(args: argparse.Namespace) -> Path:
    from .cli import default_processed

    return args.processed or default_processed(args.study)


def _load_tables(processed: Path, names: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    from .tables import read_table

    try:
        return {name: read_table(processed, name) for name in names}
    except FileNotFoundError as exc:
        raise GtnaError.at(processed, None, f"{exc}", "run `gtna build` first (or pass --processed)") from None


def _codebook(args: argparse.Namespace):
    from .codebook import load_codebook
    from .study import load_study

    return load_codebook(load_study(args.study).codebook_path)


def _check_out(out: Path | None, force: bool = True) -> Path:
    if out is None:
        raise GtnaError.at("--out", None, "give the file to write with --out")
    if out.exists() and not force:
        raise GtnaError.at(out, None, "file exists", "use --force to overwrite")
    return out


# ---------------------------------------------------------------------------------------------- codebook

def cmd_codebook_export(args: argparse.Namespace) -> int:
    from .refi import export_qdc

    codebook = _codebook(args)
    out = _check_out(args.out)
    lang = args.lang or (codebook.languages[0] if codebook.languages else "en")
    export_qdc(codebook, out, lang)
    OUTPUT.info(f"wrote {out}: {len(codebook.themes)} themes, {len(codebook.codes)} codes (names in {lang}); "
                "patterns are not part of REFI-QDA and stay in the YAML")
    return 0


def cmd_codebook_import(args: argparse.Namespace) -> int:
    from .atomic import write_text_atomic
    from .codebook import dump_codebook_yaml, load_codebook
    from .refi import qdc_to_codebook

    source = Path(args.file)
    if not source.exists():
        raise GtnaError.at(source, None, "file not found")
    out = _check_out(args.out, args.force)
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


# ---------------------------------------------------------------------------------------------- export

def cmd_export(args: argparse.Namespace) -> int:
    from .tables import read_manifest

    out = _check_out(args.out)
    processed = _processed(args)
    names = ("codings", "segments", "codes") + (("documents", "interviews", "participants")
                                                if args.format == "qdpx" else ())
    tables = _load_tables(processed, names)
    if args.format == "qdpx":
        from .refi import export_qdpx

        codebook = _codebook(args)
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
        from .xlsx_export import export_xlsx

        export_xlsx(tables, out, args.source)
        OUTPUT.info(f"wrote {out}")
    else:
        from .xlsx_export import export_csv

        export_csv(tables, out, args.source)
        OUTPUT.info(f"wrote {out}")
    return 0


# ---------------------------------------------------------------------------------------------- agreement

@dataclass
class _Side:
    label: str
    kind: str  # auto | gold | file
    coder_set: object
    codings: pd.DataFrame


def _side(spec: str, coder: str | None, args: argparse.Namespace, tables: dict[str, pd.DataFrame],
          codebook) -> _Side:
    from .agreement import CoderSet
    from .manual import load_coding_file, load_gold

    segments = tables["segments"]
    participants = set(segments.loc[segments["speaker_role"] == "participant", "segment_id"])
    if spec == "auto":
        codings = tables["codings"][tables["codings"]["source"] == "auto"]
        return _Side("auto", "auto", CoderSet.from_codings("auto", codings, participants), codings)
    if spec == "gold":
        coding = load_gold(args.study, segments, codebook, args.split)
        kind, label = "gold", f"gold ({args.split})"
    else:
        coding = load_coding_file(spec, segments, codebook, coder)
        kind, label = "file", Path(spec).name
    coders = coding.coders
    if len(coders) > 1:
        raise GtnaError.at(spec, None, f"several coders in this file: {', '.join(coders)}",
                           "pick one with --coder-a / --coder-b")
    if not coders:
        raise GtnaError.at(spec, None, "no codings in this file")
    units = participants if args.units == "all" else coding.units[coders[0]] & participants
    every_listed_segment_coded = len(set(coding.codings["segment_id"])) == len(coding.units[coders[0]])
    if args.units != "all" and every_listed_segment_coded:
        OUTPUT.warn(f"{spec}: every segment listed has a code — if the coder read segments and left them uncoded, "
                    "list them with an empty code_id (or use --units all); otherwise kappa is biased")
    return _Side(f"{label} [{coders[0]}]", kind, CoderSet.from_codings(coders[0], coding.codings, units),
                 coding.codings)


def _fmt(frame: pd.DataFrame) -> str:
    return frame.to_string(index=False, float_format=lambda x: f"{x:.3f}", na_rep="–")


def cmd_agreement(args: argparse.Namespace) -> int:
    from .agreement import agreement, disagreements, validate

    codebook = _codebook(args)
    tables = _load_tables(_processed(args), ("codings", "segments"))
    a = _side(args.a, args.coder_a, args, tables, codebook)
    b = _side(args.b, args.coder_b, args, tables, codebook)
    units = a.coder_set.units & b.coder_set.units
    if not units:
        raise GtnaError.at(args.b, None, f"{a.label} and {b.label} have no segment in common")
    ids = None
    if args.level == "code":
        ids = sorted({c for _, c in a.coder_set.pairs | b.coder_set.pairs})
    OUTPUT.info(f"A = {a.label}: {len(a.coder_set.restricted(units).pairs)} codings · B = {b.label}: "
                f"{len(b.coder_set.restricted(units).pairs)} codings · {len(units)} segments compared ({args.units})")
    table = agreement(a.coder_set, b.coder_set, ids, level=args.level)
    OUTPUT.info(_fmt(table))
    result = table.assign(measure="agreement")
    reference, predicted = _reference(a, b)
    if reference is not None:
        scores = validate(predicted.coder_set, reference.coder_set, level=args.level)
        OUTPUT.info(f"\nprecision / recall / F1 of {predicted.label} against {reference.label}:")
        OUTPUT.info(_fmt(scores))
        result = pd.concat([result, scores.assign(measure="validation")], ignore_index=True)
        if args.disagreements:
            listing = disagreements(predicted.coder_set, reference.coder_set, tables["segments"],
                                    predicted.codings, codebook)
            _write_csv(listing, args.disagreements)
            OUTPUT.info(f"wrote {len(listing)} disagreements to {args.disagreements}")
    elif args.disagreements:
        listing = disagreements(b.coder_set, a.coder_set, tables["segments"], b.codings, codebook)
        _write_csv(listing, args.disagreements)
        OUTPUT.info(f"wrote {len(listing)} disagreements to {args.disagreements} (FP = B only, FN = A only)")
    if args.out:
        _write_csv(result, args.out)
        OUTPUT.info(f"wrote {args.out}")
    return 0


def _reference(a: _Side, b: _Side) -> tuple[_Side | None, _Side | None]:
    """Which side is the reference for P/R/F1: the gold set, else the human side against the auto-coder."""
    if b.kind == "gold" or (a.kind == "auto" and b.kind != "auto"):
        return b, a
    if a.kind == "gold" or (b.kind == "auto" and a.kind != "auto"):
        return a, b
    return None, None


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    from .atomic import atomic_path

    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False, lineterminator="\n")


# ---------------------------------------------------------------------------------------------- parser

def register(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser, str], None]) -> None:
    """Add the coding-engine sub-commands to the ``gtna`` parser."""
    raw = argparse.RawDescriptionHelpFormatter
    p = sub.add_parser("codebook", help="exchange the codebook with QDA software (REFI-QDA .qdc)",
                       formatter_class=raw, epilog=EPILOG_CODEBOOK_EXPORT + "\n" + EPILOG_CODEBOOK_IMPORT)
    cs = p.add_subparsers(dest="codebook_command", required=True, metavar="ACTION")
    e = cs.add_parser("export", help="write the codebook as a REFI-QDA .qdc file", formatter_class=raw,
                      epilog=EPILOG_CODEBOOK_EXPORT)
    common(e, "the .qdc file to write")
    e.add_argument("--format", choices=["qdc"], default="qdc", help="file format (default: qdc)")
    e.add_argument("--lang", choices=["ka", "en"], help="language of code names (default: first codebook language)")
    e.set_defaults(func=cmd_codebook_export)
    i = cs.add_parser("import", help="read a REFI-QDA .qdc (or .qdpx) code tree into a codebook YAML",
                      formatter_class=raw, epilog=EPILOG_CODEBOOK_IMPORT)
    common(i, "the codebook .yml to write")
    i.add_argument("file", type=Path, help="a .qdc (or .qdpx) file")
    i.add_argument("--patterns-from", type=Path, help="take patterns from this codebook for codes with the same id")
    i.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    i.set_defaults(func=cmd_codebook_import)

    x = sub.add_parser("export", help="export codings: REFI-QDA project (.qdpx), Excel workbook or CSV",
                       formatter_class=raw, epilog=EPILOG_EXPORT)
    common(x, "the file to write")
    x.add_argument("--format", choices=["qdpx", "xlsx", "csv"], required=True, help="output format")
    x.add_argument("--source", choices=["auto", "manual"], help="only auto- or only manual codings (default: all)")
    x.add_argument("--lang", choices=["ka", "en"], help="language of code names in a .qdpx")
    x.set_defaults(func=cmd_export)

    g = sub.add_parser("agreement", help="inter-coder agreement, or auto-coder precision/recall against a gold set",
                       formatter_class=raw, epilog=EPILOG_AGREEMENT)
    common(g, "save the table as CSV")
    g.add_argument("a", help="coding file, 'auto' or 'gold'")
    g.add_argument("b", help="coding file, 'auto' or 'gold'")
    g.add_argument("--coder-a", help="coder to take from A when it holds several")
    g.add_argument("--coder-b", help="coder to take from B when it holds several")
    g.add_argument("--level", choices=["code", "theme"], default="code", help="compare codes or themes")
    g.add_argument("--split", choices=["all", "held_in", "held_out"], default="all",
                   help="part of the gold set to use (default: all)")
    g.add_argument("--units", choices=["declared", "all"], default="declared",
                   help="segments compared: those both sides read (default) or all participant segments")
    g.add_argument("--disagreements", type=Path, help="write every disagreement (FP/FN) to this CSV")
    g.set_defaults(func=cmd_agreement)
