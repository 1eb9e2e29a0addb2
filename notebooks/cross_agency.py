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

# %% [markdown] tags=["remove_cell"]
# # GTNA cross-agency report
# Rendered once per language by `gtna report --all`. Sections and logic live in `gtna_analysis.reports.sections`.

# %% tags=["parameters"]
lang = "en"
study = "../data/raw"
processed = "../data/processed"
word_copy = False  # also a PNG of each chart, for the Word copy (`gtna report --format docx` sets it)

# %%
# %config InlineBackend.figure_formats = ["png"]
from gtna_analysis.reports import sections as report

ctx = report.ReportContext.load(processed, None, lang, study or None)

# %%
report.show_report(ctx, word_copy=word_copy)  # every section of report.SECTIONS, in order; pass only=[...] to show some
