"""The widget wiring, driven from Python (the browser test covers the page): each control reaches the library
function it stands for, in the study's language."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
import pandas as pd

from gtna_analysis.explore.data import ExploreData
from gtna_analysis.explore.widgets import Workbench


def test_every_tab_works_from_its_controls(study_copy: Path) -> None:
    data = ExploreData.load(study_copy)
    wb = Workbench(data, "nino")
    assert wb.tabs.titles[0] == "მონაკვეთები"  # the sample study is Georgian
    total = len(wb.current)
    wb.f_agency.value = "moes"
    assert set(wb.current["agency"]) == {"moes"} and "მონაკვეთი" in wb.count_line.value
    wb.next_b.click()
    assert wb.page_label.value.startswith("2 /")

    wb.f_agency.value = ""
    wb.f_source.value = "suggested"
    assert set(wb.current["segment_id"]) == set(data.suggestions["segment_id"])
    origin, code = wb.decide_code.value.split("|")
    assert origin == "suggested"
    wb.accept_b.click()
    sheet = pd.read_csv(study_copy / "codings" / "nino.csv", dtype=str)
    assert list(zip(sheet["segment_id"], sheet["code_id"], strict=True)) == [(wb.passage_pick.value, code)]

    wb.open_b.click()
    assert wb.tabs.selected_index == 1 and f'focus" id="t-{wb.passage_pick.value}"' in wb.i_out.value

    wb.m_cols.value = "gender"
    cell = next(c for c in wb.m_grid.children[0].children if isinstance(c, w.Button) and not c.disabled)
    cell.click()
    assert wb.tabs.selected_index == 0 and 0 < len(wb.current) < total

    wb.t_query.value = "ძალადობ*"
    assert "ძალადობ*" in wb.t_pattern.value and "<table" in wb.t_kwic.value
    wb.tabs.selected_index = 4
    assert "<table" in wb.t_freq.value

    wb.f_source.value = ""
    wb.f_search.value = "ძა*ლა"  # an invalid pattern: a message, not a traceback
    assert "gtna-error" in wb.count_line.value

    wb.memo_scope.value = "agency"
    wb.memo_body.value = "MoES: budgeting."
    wb.memo_save.click()
    assert (study_copy / "memos" / "agency" / "moes.md").exists() and "moes" in wb.memo_list.value

    assert not wb.k_a.options  # the coding files are read when the Coders tab is shown
    wb.tabs.selected_index = 6
    wb.k_a.value, wb.k_b.value = "auto", "coder_b"
    wb.k_go.click()
    assert "kappa" in wb.k_out.value and "nino" in wb.k_a.options


def test_the_passages_filters_are_the_matrix_and_cooccurrence_filters(data: ExploreData) -> None:
    from gtna_analysis.explore import queries
    from gtna_analysis.explore.retrieval import Filters
    from gtna_analysis.explore.widgets import COOCCURRENCE_TAB, MATRIX_TAB

    wb = Workbench(data)
    assert wb.stale == {MATRIX_TAB: True, COOCCURRENCE_TAB: True}  # nothing computed while the workbench opens
    wb.tabs.selected_index = MATRIX_TAB
    unfiltered = wb.matrix.values.copy()
    assert "gtna-filter-note" in wb.m_filters.value and "ფილტრი არ არის" in wb.m_filters.value

    wb.f_agency.value = "moes"  # changed in the Passages tab while the matrix is shown: it follows at once
    wb.f_attrs["gender"].value = "female"
    expected = Filters(agency="moes", attributes={"gender": ("female",)})
    assert wb.shared_filters() == expected
    same = queries.matrix_query(data, "theme", "agency", "interviews", None, filters=expected)
    assert wb.matrix.values.equals(same.values) and not wb.matrix.values.equals(unfiltered)
    assert wb.matrix.values.drop(columns="moes").to_numpy().sum() == 0
    assert "უწყება" in wb.m_filters.value and "female" in wb.m_filters.value

    wb.tabs.selected_index = 0  # a change made while another tab is shown waits for the tab to open
    wb.f_theme.value = wb.f_theme.options[1][1]
    assert wb.stale[COOCCURRENCE_TAB]
    wb.tabs.selected_index = COOCCURRENCE_TAB
    cooc = queries.cooccurrence_query(data, "theme", "segment", filters=wb.shared_filters())
    assert wb.cooc.values.equals(cooc.values) and not wb.stale[COOCCURRENCE_TAB]

    wb.f_theme.value = ""
    wb.f_search.value = "ტრენინგ*"  # a search narrows the counted passages too
    found = set(wb.search_ids or ())
    assert found and set(wb.current["segment_id"]) <= found
    wb.tabs.selected_index = MATRIX_TAB
    cells = {s for ids in wb.matrix.cells.values() for s in ids}
    assert cells and cells <= found

    row, column = next(k for k, v in wb.matrix.cells.items() if v)
    wb.show_segments(wb.matrix.passages(row, column), keep_filters=True)  # what a click on the cell does
    assert wb.tabs.selected_index == 0 and wb.f_agency.value == "moes" and wb.f_search.value == "ტრენინგ*"
    assert set(wb.current["segment_id"]) == set(wb.matrix.passages(row, column))


def test_matrix_and_cooccurrence_export_what_their_grids_show(study_copy: Path, tmp_path: Path) -> None:
    """The export buttons bring a stale grid up to date first, then write its labelled table where the path says."""
    wb = Workbench(ExploreData.load(study_copy))
    for path_box, button, status, query, name in (
            (wb.m_path, wb.m_export, wb.m_status, lambda: wb.matrix, "matrix.xlsx"),
            (wb.c_path, wb.c_export, wb.c_status, lambda: wb.cooc, "cooccurrence.csv")):
        path_box.value = str(tmp_path / name)
        button.click()
        assert str(tmp_path / name) in status.value
        saved = (pd.read_excel if name.endswith(".xlsx") else pd.read_csv)(tmp_path / name)
        assert len(saved) == len(query().labelled()) > 0  # one row a grid row (the xlsx also keeps the index)
