"""``gtna suggest``: codes suggested by classifiers trained on the study's human coding, for review."""

from __future__ import annotations

import argparse

from gtna_analysis.console import OUTPUT
from gtna_analysis.errors import GtnaError

from ._common import check_out, common, load_tables, processed_dir, write_csv

EPILOG_SUGGEST = """examples:
  gtna suggest                                   # train on <study>/codings/ + gold, write suggestions table
  gtna suggest --out review.xlsx                 # also a review sheet: fill 'decision' with accept / reject,
                                                 # save it in <study>/codings/, run gtna build
  gtna suggest --min-examples 8 --study fieldwork/

A code gets a classifier when people coded it on at least --min-examples segments. The printed precision /
recall / F1 are cross-validated leaving whole interviews out: what to expect on interviews it has not seen.
Suggestions never enter codings or reports until someone accepts them.
"""


def cmd_suggest(args: argparse.Namespace) -> int:
    import pandas as pd

    from gtna_analysis.coding.codebook import load_codebook
    from gtna_analysis.coding.human import load_gold
    from gtna_analysis.coding.suggest import review_sheet, suggest
    from gtna_analysis.exchange.coding_files import load_study_codings
    from gtna_analysis.paths import GOLD_FOLDER
    from gtna_analysis.study import load_study
    from gtna_analysis.tables import table_path, write_table

    if args.min_examples < 2:
        raise GtnaError.at("--min-examples", None, "must be at least 2")
    out = check_out(args.out) if args.out is not None else None
    if out is not None and out.suffix.lower() not in (".xlsx", ".csv"):
        raise GtnaError.at(out, None, "the review sheet must be .xlsx or .csv")
    study = load_study(args.study)
    codebook = load_codebook(study.codebook_path)
    processed = processed_dir(args)
    segments = load_tables(processed, ("segments",))["segments"]
    human = load_study_codings(study, codebook, segments)
    if (study.root / GOLD_FOLDER / "gold.csv").exists():
        human.append(load_gold(study.root, segments, codebook))
    frames = [h.codings for h in human if len(h.codings)]
    if not frames:
        raise GtnaError.at(study.root / "codings", None, "no human coding to learn from",
                           "code some segments by hand (a sheet in codings/ or gold/gold.csv) first")
    codings = pd.concat(frames, ignore_index=True)
    read = set().union(*(ids for h in human for ids in h.units.values()))
    theme_of = {c.id: c.theme_id for c in codebook.codes}
    result = suggest(segments, codings, read, theme_of, min_positive=args.min_examples)
    if result.scores.empty:
        OUTPUT.warn(f"no code has {args.min_examples}+ human examples in 3+ interviews: nothing to learn yet")
    else:
        OUTPUT.info("cross-validated per code (leaving whole interviews out):")
        OUTPUT.info(result.scores.to_string(index=False, float_format=lambda x: f"{x:.2f}", na_rep="–"))
        scored = result.scores.dropna(subset=["f1"])
        OUTPUT.info(f"macro-F1 over {len(scored)} codes: {scored['f1'].mean():.3f}" if len(scored) else "")
    published = table_path(processed, "suggestions")  # beside the tables it was learned from; a rebuild drops it
    write_table(result.table, published.parent, "suggestions")
    OUTPUT.info(f"wrote {len(result.table)} suggestions for {result.table['segment_id'].nunique()} segments to "
                f"{published} (ordered for review: least certain first)")
    if out is not None:
        sheet = review_sheet(result.table, segments, args.coder)
        if out.suffix.lower() == ".xlsx":
            from gtna_analysis.exchange.xlsx import write_sheet_xlsx

            write_sheet_xlsx(sheet, out, "suggestions")
        else:
            write_csv(sheet, out)
        OUTPUT.info(f"wrote the review sheet {out}: mark 'decision' accept/reject, save it in "
                    f"{study.root / 'codings'}, then run gtna build")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add suggest to the ``gtna`` parser."""
    p = sub.add_parser("suggest", help="suggest codes learned from your own human coding, for review",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG_SUGGEST)
    common(p, "write a review sheet (.xlsx or .csv) of the suggestions")
    p.add_argument("--min-examples", type=int, default=5, help="human examples a code needs (default: 5)")
    p.add_argument("--coder", default="reviewer", help="coder name written into the review sheet")
    p.set_defaults(func=cmd_suggest)



