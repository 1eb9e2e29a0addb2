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
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Explore the coded interviews
# Run `make build` (or `gtna build`) first. Pick an agency, a theme and a question to read the coded,
# pseudonymised passages. The tables are ordinary pandas DataFrames: `tables.segments`, `tables.codings`,
# `tables.preferences`, … — try your own cross-tabulations below.

# %% tags=["parameters"]
processed = "../data/processed"
lang = "en"

# %%
from gtna_analysis.reports import analysis
from gtna_analysis import explore

tables = analysis.Tables.load(processed)
explore.explorer(tables, lang)

# %%
analysis.prevalence(tables, "theme", lang).head(10)

# %%
analysis.agency_theme_matrix(tables, lang).round(2)
