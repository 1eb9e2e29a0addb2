"""The explore workbench: retrieve, query, search, memo and code the interviews in JupyterLab (or Voilà).

All logic lives in the modules below and is tested without a browser; ``widgets`` only assembles them.

* ``data``: the built study loaded once (``ExploreData``);
* ``retrieval``: filters, paging, highlighting, the whole-interview view;
* ``queries``: matrix coding query, co-occurrence, cell → passages, CSV/XLSX export;
* ``text``: search in the codebook's pattern language, keyword in context, word frequency;
* ``memos``: Markdown memos in ``<study>/memos/``;
* ``coding_in_place``: accept/reject/add codes into ``<study>/codings/<coder>.csv``; coder comparison;
* ``widgets``: the ipywidgets interface (``workbench``), in Georgian when the study is.
"""

from __future__ import annotations

from .data import ExploreData, question_order
from .retrieval import Filters, counts, page, retrieve

__all__ = ["ExploreData", "Filters", "coded_passages", "counts", "page", "question_order", "retrieve", "workbench"]


def coded_passages(tables, agency: str | None = None, theme: str | None = None, question: str | None = None,
                   code: str | None = None):
    """Participant segments coded with the theme/code (all of them: page the result with ``page``)."""
    data = ExploreData(tables)
    return retrieve(data, Filters(agency=agency, theme=theme, question=question, code=code))


def workbench(study=None, processed=None, lang: str | None = None, coder: str | None = None):
    """The workbench widget for a study folder (and its processed tables; default ``<study>/processed``)."""
    from .widgets import Workbench

    return Workbench(ExploreData.load(study, processed, lang), coder).widget
