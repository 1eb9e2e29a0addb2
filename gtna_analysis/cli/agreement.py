"""``gtna agreement``: inter-coder agreement, or the auto-coder's precision/recall against a gold set."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gtna_analysis.console import OUTPUT
from gtna_analysis.errors import GtnaError

from ._common import common, load_tables, processed_dir, study_codebook, write_csv

if TYPE_CHECKING:
    import pandas as pd

EPILOG_AGREEMENT = """examples:
  gtna agreement gold data/raw/codings/coder_b.csv     # two human coders: kappa, alpha, % agreement
  gtna agreement auto gold                             # auto-coder vs gold set: + precision, recall, F1
  gtna agreement auto gold --split held_out            # honest figure: segments never used for tuning
  gtna agreement auto gold --disagreements fp_fn.csv   # every disagreement, to refine patterns
  gtna agreement a.xlsx team.qdpx --coder-b Nino --level theme --out agreement.csv
  gtna agreement designs gold --study data/eval --split tuning   # training designs vs gold/designs.csv

A and B: a coding file (.csv/.tsv/.xlsx with segment_id, code_id, coder; or a .qdpx), 'auto' (the auto-codings
of the processed tables) or 'gold' (<study>/gold/gold.csv). Units are the segments both sides read; a sheet row
with an empty code_id records a segment read and left uncoded. Use --units all to count every participant
segment as read by both (only for complete codings).
"""


@dataclass
class _Side:
    label: str
    kind: str  # auto | gold | file
    coder_set: object
    codings: pd.DataFrame


def _side(spec: str, coder: str | None, args: argparse.Namespace, tables: dict[str, pd.DataFrame],
          codebook) -> _Side:
    from gtna_analysis.coding.agreement import CoderSet
    from gtna_analysis.coding.human import auto_coder_output, load_gold
    from gtna_analysis.exchange.coding_files import load_coding_file

    segments = tables["segments"]
    participants = set(segments.loc[segments["speaker_role"] == "participant", "segment_id"])
    if spec == "auto":
        codings = auto_coder_output(tables["codings"], tables.get("rejections"))
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


def cmd_designs(args: argparse.Namespace) -> int:
    """``gtna agreement designs gold``: extracted training designs against <study>/gold/designs.csv."""
    import pandas as pd

    from gtna_analysis.coding.design_check import check_designs
    from gtna_analysis.paths import GOLD_FOLDER

    tables = load_tables(processed_dir(args), ("designs", "codings", "segments"))
    folder = Path(args.study) / GOLD_FOLDER
    if not (folder / "designs.csv").exists():
        raise GtnaError.at(folder / "designs.csv", None, "no careful reading of the designs to compare with")
    gold = pd.read_csv(folder / "designs.csv", dtype={"interview_id": str, "participant": str})
    interviews = None
    if args.split != "all":
        split = pd.read_csv(folder / "split.csv", dtype=str)
        if args.split not in set(split["split"]):
            raise GtnaError.at(folder / "split.csv", None, f"unknown split {args.split!r}",
                               f"use all or one of {', '.join(sorted(set(split['split'])))}")
        keep = set(split.loc[split["split"] == args.split, "segment_id"])
        seg = tables["segments"]
        interviews = set(seg.loc[seg["segment_id"].isin(keep), "interview_id"])
    result = check_designs(tables["designs"], tables["codings"], tables["segments"], gold, interviews)
    OUTPUT.info(_fmt(result.rows))
    OUTPUT.info(f"\ndesigns against the careful reading ({args.split}):")
    OUTPUT.info(_fmt(result.summary))
    if args.out:
        write_csv(result.rows, args.out)
    return 0


def cmd_agreement(args: argparse.Namespace) -> int:
    import pandas as pd

    from gtna_analysis.coding.agreement import agreement, disagreements, target_summary, validate

    if args.a == "designs":
        return cmd_designs(args)
    codebook = study_codebook(args)
    from gtna_analysis.tables import read_table, table_path

    tables = load_tables(processed_dir(args), ("codings", "segments"))
    if table_path(processed_dir(args), "rejections").exists():  # (builds before rejections were applied have none)
        tables["rejections"] = read_table(processed_dir(args), "rejections")
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
        if args.level == "code":
            summary = target_summary(predicted.coder_set, reference.coder_set, predicted.codings, reference.codings)
            OUTPUT.info(f"\nagainst the targets for unseen interviews ({reference.label}):")
            OUTPUT.info(_fmt(summary))
        if args.disagreements:
            listing = disagreements(predicted.coder_set, reference.coder_set, tables["segments"],
                                    predicted.codings, codebook)
            write_csv(listing, args.disagreements)
            OUTPUT.info(f"wrote {len(listing)} disagreements to {args.disagreements}")
    elif args.disagreements:
        listing = disagreements(b.coder_set, a.coder_set, tables["segments"], b.codings, codebook)
        write_csv(listing, args.disagreements)
        OUTPUT.info(f"wrote {len(listing)} disagreements to {args.disagreements} (FP = B only, FN = A only)")
    if args.out:
        write_csv(result, args.out)
        OUTPUT.info(f"wrote {args.out}")
    return 0


def _reference(a: _Side, b: _Side) -> tuple[_Side | None, _Side | None]:
    """Which side is the reference for P/R/F1: the gold set, else the human side against the auto-coder."""
    if b.kind == "gold" or (a.kind == "auto" and b.kind != "auto"):
        return b, a
    if a.kind == "gold" or (b.kind == "auto" and a.kind != "auto"):
        return a, b
    return None, None


def register(sub: argparse._SubParsersAction) -> None:
    """Add agreement to the ``gtna`` parser."""
    raw = argparse.RawDescriptionHelpFormatter
    g = sub.add_parser("agreement", help="inter-coder agreement, or auto-coder precision/recall against a gold set",
                       formatter_class=raw, epilog=EPILOG_AGREEMENT)
    common(g, "save the table as CSV")
    g.add_argument("a", help="coding file, 'auto' or 'gold'")
    g.add_argument("b", help="coding file, 'auto' or 'gold'")
    g.add_argument("--coder-a", help="coder to take from A when it holds several")
    g.add_argument("--coder-b", help="coder to take from B when it holds several")
    g.add_argument("--level", choices=["code", "theme"], default="code", help="compare codes or themes")
    g.add_argument("--split", default="all", metavar="NAME",
                   help="part of the gold set (gold/split.csv: held_in, held_out, tuning, locked …; default: all)")
    g.add_argument("--units", choices=["declared", "all"], default="declared",
                   help="segments compared: those both sides read (default) or all participant segments")
    g.add_argument("--disagreements", type=Path, help="write every disagreement (FP/FN) to this CSV")
    g.set_defaults(func=cmd_agreement)
