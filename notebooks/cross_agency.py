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

# %% [markdown] tags=["remove_cell"]
# # GTNA cross-agency report
# Rendered once per language by `gtna report --all`. Logic lives in `gtna_analysis.reports.sections`.

# %% tags=["parameters"]
lang = "en"
study = "../data/raw"
processed = "../data/processed"

# %%
# %config InlineBackend.figure_formats = ["png"]
from gtna_analysis.reports import sections as report

ctx = report.ReportContext.load(processed, None, lang, study or None)
report.show(report.header(ctx))

# %%
report.show(report.profile(ctx))

# %%
report.show(report.priorities_text(ctx), report.priorities_chart(ctx))

# %%
report.show(report.position_text(ctx), report.position_chart(ctx))

# %%
report.show(report.breakdown_text(ctx), report.breakdown_chart(ctx))

# %%
report.show(report.training_text(ctx), report.training_charts(ctx))

# %%
report.show(report.cooccurrence_text(ctx), report.cooccurrence_chart(ctx))

# %%
report.show(report.method(ctx))
