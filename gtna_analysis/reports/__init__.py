"""Reports: processed tables → analysis tables, charts and ka/en narrative → report sections → rendered HTML.

Data flow: ``analysis`` (prevalence, comparisons, quotes, recommendation) → ``plots`` (one chart style,
Georgian-safe) and ``narrative`` (jinja2 sentences with Georgian numeral agreement) → ``sections`` (what each
notebook cell shows) → ``batch`` (papermill runs, nbconvert export, index page). ``i18n`` holds the labels.
"""

from gtna_analysis._lazy import lazy_api

__all__, __getattr__, __dir__ = lazy_api(__name__, {
    "prevalence": "analysis", "training_recommendation": "analysis", "representative_quotes": "analysis",
    "ReportContext": "sections", "SECTIONS": "sections",
    "render_reports": "batch",
})
