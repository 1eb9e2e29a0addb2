# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python (gtna)
#     language: python
#     name: gtna
# ---

# %% [markdown]
# # Explore the coded interviews
# Run `make build` (or `gtna build`) first, then run all cells. The workbench's tabs: **Passages** (filter by
# agency, interview, question, theme or code, source, polarity and participant attributes; search; accept or
# reject suggested and auto codes, add codes to a passage or to words selected with the mouse — saved to
# `<study>/codings/<coder>.csv`), **Interview**, **Matrix** and **Co-occurrence** (counted under the Passages
# filters; click a cell to read its passages; export to XLSX/CSV), **Text** (keyword in
# context, word frequency, a search as a codebook pattern), **Memos** (`<study>/memos/`) and **Coders**
# (agreement between two coders). `make app` serves the same page with Voilà. All logic: `gtna_analysis.explore`.

# %% tags=["parameters"]
import os

study = os.environ.get("GTNA_STUDY", "../data/raw")
processed = os.environ.get("GTNA_PROCESSED", "../data/processed")
lang = os.environ.get("GTNA_LANG", "")  # "" = the study's default language
coder = os.environ.get("GTNA_CODER", "")

# %%
from gtna_analysis import explore

explore.workbench(study, processed, lang or None, coder or None)
