"""The workbench interface: ipywidgets assembling the tested library pieces (no analysis logic here).

Keyboard-friendly: widgets are laid out in reading order, so Tab moves filter by filter; search boxes act on
Enter (``continuous_update=False``); every action is a button reachable by Tab and pressed with Enter or Space.
Widgets carry ``gtna-*`` CSS classes so a browser test (and a user stylesheet) can find them. Labels follow the
study's language (``labels.py``).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

import ipywidgets as w
import pandas as pd

from gtna_analysis.coding.patterns import PatternError
from gtna_analysis.errors import GtnaError

from . import coding_in_place, memos, queries, retrieval, text
from .data import ExploreData
from .labels import labels
from .span_select import SpanSelector

ATTRIBUTE_FILTERS = ("gender", "level", "mode")
PASSAGES_TAB, INTERVIEW_TAB, MATRIX_TAB, COOCCURRENCE_TAB, TEXT_TAB, MEMOS_TAB, CODERS_TAB = range(7)


def _table_html(frame: pd.DataFrame, floats: str = "{:.2f}") -> str:
    """A DataFrame as an escaped HTML table (cells may hold transcript text)."""
    return frame.to_html(escape=True, index=True, float_format=floats.format, border=0, classes="gtna-table")


class Workbench:
    """State and widgets of one workbench session. ``widget`` is what the notebook displays."""

    def __init__(self, data: ExploreData, coder: str | None = None):
        self.data = data
        self.L = labels(data.lang)
        self.coder = coder or ""
        self.page_no = 1
        self.hits: dict[str, list[tuple[int, int]]] = {}
        self.cell_ids: tuple[str, ...] | None = None
        self.search_ids: tuple[str, ...] | None = None  # the search box's passages (None: no search)
        self.current: pd.DataFrame = pd.DataFrame()
        # The Matrix and Co-occurrence tabs count the passages the Passages filters select; they are computed
        # when shown (not while the workbench opens, nor on every filter change made in another tab).
        self.stale = {MATRIX_TAB: True, COOCCURRENCE_TAB: True}
        self.widget = w.VBox([w.HTML(f"<h3>{html.escape(self.L['title'])}</h3>"), self._tabs()],
                             layout=w.Layout(width="100%"))
        self.widget.add_class("gtna-workbench")
        self.refresh()

    # --- building blocks -------------------------------------------------------------------------------------

    def _dropdown(self, key: str, options: list[tuple[str, str]], all_option: bool = True, width: str = "240px"):
        opts = ([(self.L["all"], "")] if all_option else []) + options
        d = w.Dropdown(options=opts, description=self.L.get(key, key), layout=w.Layout(width=width),
                       style={"description_width": "initial"})
        d.add_class(f"gtna-{key}")
        return d

    def _button(self, key: str, css: str) -> w.Button:
        b = w.Button(description=self.L[key], tooltip=self.L[key])
        b.add_class(css)
        return b

    def _tabs(self) -> w.Tab:
        pages = [("tab_passages", self._passages_tab()), ("tab_interview", self._interview_tab()),
                 ("tab_matrix", self._matrix_tab()), ("tab_cooccurrence", self._cooccurrence_tab()),
                 ("tab_text", self._text_tab()), ("tab_memos", self._memos_tab()),
                 ("tab_coders", self._coders_tab())]
        self.tabs = w.Tab(children=[p for _, p in pages])
        self.tabs.titles = tuple(self.L[k] for k, _ in pages)
        self.tabs.observe(self._on_tab, names="selected_index")
        return self.tabs

    def _on_tab(self, change: dict) -> None:
        """Word frequencies are computed when the Text tab is first opened (lemmatising every passage takes
        seconds; the workbench should open at once); the matrices when their tab is shown and the filters
        changed since."""
        if change["new"] == TEXT_TAB and not self.t_freq.value:
            self._frequency()
        elif change["new"] == INTERVIEW_TAB and not self.i_out.value and self.i_pick.value:
            self.open_interview(None, switch=False)
        elif change["new"] == CODERS_TAB:
            self._coder_names_keep()  # read the coding files when the tab is shown (a sheet may be new)
        self._render_if_stale(change["new"])

    def _render_if_stale(self, tab: int | None) -> None:
        if tab == MATRIX_TAB and self.stale[MATRIX_TAB]:
            self._render_matrix()
        elif tab == COOCCURRENCE_TAB and self.stale[COOCCURRENCE_TAB]:
            self._render_cooccurrence()

    def shared_filters(self) -> retrieval.Filters:
        """The one filter state of the workbench: the Passages tab's filters, narrowed to the search box's
        passages when it holds a search — what the Matrix and Co-occurrence tabs count (a matrix cell shown in
        the Passages tab is a view, not a filter)."""
        return retrieval.Filters(**{**self.filters().__dict__, "segment_ids": self.search_ids})

    def _filters_changed(self) -> None:
        for tab in self.stale:
            self.stale[tab] = True
        self._render_if_stale(self.tabs.selected_index)

    def _filter_note(self) -> str:
        said = retrieval.describe_filters(self.data, self.shared_filters(), self.L, self.f_search.value.strip())
        text = self.L["filters_applied"].format(filters=said) if said else self.L["no_filters"]
        return f'<span class="gtna-filter-note">{html.escape(text)}</span>'

    # --- passages --------------------------------------------------------------------------------------------

    def _passages_tab(self) -> w.VBox:
        d, L = self.data, self.L
        t = d.tables
        self.f_agency = self._dropdown("agency", [(t.agency_name(a, d.lang, short=True), a) for a in t.agencies])
        self.f_interview = self._dropdown("interview", [(i, i) for i in sorted(t.interviews["interview_id"])])
        self.f_question = self._dropdown("question", [(q, q) for q in d.questions], width="160px")
        themes = t.codes.drop_duplicates("theme_id")
        self.f_theme = self._dropdown("theme", list(zip(themes[f"theme_label_{d.lang}"], themes["theme_id"],
                                                        strict=True)), width="320px")
        self.f_code = self._dropdown("code", [], width="320px")
        self.f_source = self._dropdown("source", [(L[s], s) for s in retrieval.SOURCES], width="200px")
        polarities = sorted(set(t.codings["polarity"])) if "polarity" in t.codings else []
        self.f_polarity = self._dropdown("polarity", [(L.get(p, p), p) for p in polarities], width="220px")
        self.f_attrs = {a: self._dropdown(a, [(v, v) for v in d.attribute_values(a)], width="200px")
                        for a in ATTRIBUTE_FILTERS}
        self.f_search = w.Text(placeholder=L["search_help"], description=L["search"], continuous_update=False,
                               layout=w.Layout(width="520px"), style={"description_width": "initial"})
        self.f_search.add_class("gtna-search")
        self.count_line = w.HTML()
        self.count_line.add_class("gtna-counts")
        self.passages_out = w.HTML()
        self.passages_out.add_class("gtna-passages")
        self.prev_b, self.next_b = self._button("previous", "gtna-prev"), self._button("next", "gtna-next")
        self.page_label = w.Label()
        for widget in (self.f_agency, self.f_interview, self.f_question, self.f_code, self.f_source,
                       self.f_polarity, self.f_search, *self.f_attrs.values()):
            widget.observe(self._on_filter, names="value")
        self.f_theme.observe(self._on_theme, names="value")
        self.prev_b.on_click(lambda _: self._turn(-1))
        self.next_b.on_click(lambda _: self._turn(+1))
        self._update_codes()
        filters = w.VBox([
            w.HBox([self.f_agency, self.f_interview, self.f_question]),
            w.HBox([self.f_theme, self.f_code]),
            w.HBox([self.f_source, self.f_polarity, *self.f_attrs.values()], layout=w.Layout(flex_flow="row wrap")),
            self.f_search,
        ])
        return w.VBox([filters, self.count_line, w.HBox([self.prev_b, self.page_label, self.next_b]),
                       self.passages_out, self._coding_panel()])

    def _on_theme(self, _change: object) -> None:
        self._update_codes()
        self._on_filter(None)

    def _clear_filters(self) -> None:
        """Every filter back to "all", without recomputing on each change (a cell shows exactly its passages)."""
        self._quiet = True
        try:
            for d in (self.f_agency, self.f_interview, self.f_question, self.f_theme, self.f_code, self.f_source,
                      self.f_polarity, *self.f_attrs.values()):
                d.value = ""
            self.f_search.value = ""
        finally:
            self._quiet = False

    def _update_codes(self) -> None:
        codes = self.data.tables.codes
        if self.f_theme.value:
            codes = codes[codes["theme_id"] == self.f_theme.value]
        options = [(self.L["all"], "")]
        for row in codes.itertuples():
            depth = str(row.code_id).count(".") - 1
            options.append(("  " * depth + str(getattr(row, f"code_label_{self.data.lang}")), str(row.code_id)))
        self.f_code.options = options
        self.f_code.value = ""

    def filters(self) -> retrieval.Filters:
        attributes = {a: (d.value,) for a, d in self.f_attrs.items() if d.value}
        return retrieval.Filters(agency=self.f_agency.value or None, interview=self.f_interview.value or None,
                                 question=self.f_question.value or None, theme=self.f_theme.value or None,
                                 code=self.f_code.value or None, source=self.f_source.value or None,
                                 polarity=self.f_polarity.value or None, attributes=attributes,
                                 segment_ids=self.cell_ids)

    def _on_filter(self, _change: object) -> None:
        if getattr(self, "_quiet", False):
            return
        self.cell_ids = None
        self.page_no = 1
        self.refresh()
        self._filters_changed()

    def _turn(self, step: int) -> None:
        self.page_no += step
        self.refresh(recompute=False)

    def show_segments(self, segment_ids: tuple[str, ...], hits: dict[str, list[tuple[int, int]]] | None = None,
                      keep_filters: bool = False) -> None:
        """Show exactly these passages in the Passages tab: a matrix cell (counted under the current filters,
        which stay) or a Text-tab search result (over the whole study: the filters are cleared)."""
        self.tabs.selected_index = PASSAGES_TAB
        if not keep_filters:
            self._clear_filters()
            self.search_ids = None
            for tab in self.stale:
                self.stale[tab] = True
        self.cell_ids = tuple(segment_ids)
        if hits is not None or not keep_filters:
            self.hits = hits or {}
        self.page_no = 1
        self.refresh(keep_cell=True)

    def refresh(self, recompute: bool = True, keep_cell: bool = False) -> None:
        """Recompute the passages for the filters (and the search box), then show the current page."""
        L = self.L
        if recompute:
            filters = self.filters()
            query = self.f_search.value.strip()
            if query:
                try:
                    found = text.search(self.data, query, retrieval.Filters(**{**filters.__dict__,
                                                                                "coded_only": False}))
                except PatternError as exc:
                    self.count_line.value = f'<span class="gtna-error">{html.escape(L["error"])}: ' \
                                            f"{html.escape(str(exc))}</span>"
                    return
                self.hits = found.spans()
                ids = set(found.segment_ids)
                self.search_ids = tuple(sorted(ids))
                if self.cell_ids is not None:
                    ids &= set(self.cell_ids)
                filters = retrieval.Filters(**{**filters.__dict__, "segment_ids": tuple(ids), "coded_only": False})
            else:
                self.search_ids = None
                if not keep_cell:
                    self.hits = {}
            if filters.segment_ids is not None:
                filters = retrieval.Filters(**{**filters.__dict__, "coded_only": False})
            self.current = retrieval.retrieve(self.data, filters)
        shown = retrieval.page(self.current, self.page_no, retrieval.PAGE_SIZE)
        self.page_no = shown.number
        c = retrieval.counts(self.current)
        self.count_line.value = f"<b>{html.escape(L['counts'].format(**c))}</b>"
        self.page_label.value = f"{shown.number} / {shown.n_pages}"
        self.prev_b.disabled = shown.number <= 1
        self.next_b.disabled = shown.number >= shown.n_pages
        self.passages_out.value = retrieval.page_html(self.data, shown, L, self.hits)
        self.passage_pick.options = [(f"{r.segment_id} · {r.speaker_id}", r.segment_id)
                                     for r in shown.rows.itertuples()] or [("—", "")]
        self._on_pick(None)

    # --- coding in place -------------------------------------------------------------------------------------

    def _coding_panel(self) -> w.VBox:
        L = self.L
        self.passage_pick = self._dropdown("passage", [("—", "")], all_option=False, width="320px")
        self.passage_pick.remove_class("gtna-passage")  # that class marks the passages themselves
        self.passage_pick.add_class("gtna-pick")
        self.open_b = self._button("open_in_interview", "gtna-open")
        self.coder_box = w.Text(value=self.coder, description=L["coder"], layout=w.Layout(width="220px"),
                                style={"description_width": "initial"})
        self.coder_box.add_class("gtna-coder")
        self.decide_code = self._dropdown("code", [("—", "")], all_option=False, width="420px")
        self.decide_code.add_class("gtna-decide-code")
        self.accept_b, self.reject_b = self._button("accept", "gtna-accept"), self._button("reject", "gtna-reject")
        codes = self.data.tables.codes
        self.add_code = self._dropdown("add_code", [(f"{r.code_id} — {getattr(r, f'code_label_{self.data.lang}')}",
                                                     r.code_id) for r in codes.itertuples()],
                                       all_option=False, width="420px")
        self.add_code.add_class("gtna-add-code-pick")
        self.span_box = w.Text(description=L["span"], layout=w.Layout(width="520px"),
                               style={"description_width": "initial"})
        self.span_box.add_class("gtna-span-words")
        self.span_pick = SpanSelector(label=L["passage_text"], layout=w.Layout(width="90%"))
        self.span_pick.add_class("gtna-span-select")
        self.span_note = w.HTML()
        self.span_note.add_class("gtna-span-note")
        self.span_pick.on_select(self._on_span)
        self.span_box.observe(self._on_span_typed, names="value")
        self.add_b = self._button("add_code", "gtna-add")
        self.coding_status = w.HTML()
        self.coding_status.add_class("gtna-coding-status")
        self.passage_pick.observe(self._on_pick, names="value")
        self.open_b.on_click(lambda _: self.open_interview(self.passage_pick.value))
        self.accept_b.on_click(lambda _: self._decide("accept"))
        self.reject_b.on_click(lambda _: self._decide("reject"))
        self.add_b.on_click(lambda _: self._add())
        return w.VBox([w.HBox([self.passage_pick, self.open_b, self.coder_box]),
                       w.HBox([self.decide_code, self.accept_b, self.reject_b]),
                       w.HTML(f"<small>{html.escape(L['passage_text'])}</small>"), self.span_pick, self.span_note,
                       w.HBox([self.add_code, self.add_b]), self.span_box, self.coding_status])

    def _on_span(self, picker: SpanSelector) -> None:
        """A mouse selection: show what will be coded (or why it cannot be); it replaces typed words."""
        if picker.span is not None:
            self.span_note.value = html.escape(self.L["selected"].format(text=picker.span.text))
            if self.span_box.value:
                self._typing = True
                self.span_box.value = ""
                self._typing = False
        else:
            self.span_note.value = f'<span class="gtna-error">{html.escape(picker.error)}</span>'

    def _on_span_typed(self, _change: object) -> None:
        """Typed words (the keyboard route) replace a mouse selection."""
        if not getattr(self, "_typing", False) and self.span_box.value:
            self.span_pick.clear()
            self.span_note.value = ""

    def _on_pick(self, _change: object) -> None:
        seg = self.passage_pick.value
        text_of = self.data.segments.loc[self.data.segments["segment_id"] == seg, "text"] if seg else ()
        self.span_pick.show(seg or "", str(text_of.iloc[0]) if len(text_of) else "")
        self.span_note.value = ""
        c = self.data.codings
        rows = c[(c["segment_id"] == seg) & c["source"].isin(["suggested", "auto"])] if seg else c.iloc[0:0]
        options = []
        for r in rows.drop_duplicates(["code_id", "source"]).itertuples():
            options.append((f"{self.L[r.source]}: {self.data.code_label(r.code_id)}", f"{r.source}|{r.code_id}"))
        options.sort(key=lambda o: not o[1].startswith("suggested"))  # suggestions first: they await a decision
        self.decide_code.options = options or [("—", "")]

    def _sheet(self) -> coding_in_place.CoderSheet:
        return coding_in_place.CoderSheet.for_coder(self.data, self.coder_box.value.strip())

    def _decide(self, verdict: str) -> None:
        if not self.decide_code.value:
            return
        origin, code = self.decide_code.value.split("|", 1)
        self._write(lambda sheet: getattr(sheet, verdict)(self.passage_pick.value, code, origin))

    def _add(self) -> None:
        """Add the chosen code to the mouse selection, else to the typed words, else to the whole passage."""
        chosen = self.span_pick.span
        if chosen is not None and self.span_pick.segment_id == self.passage_pick.value:
            self._write(lambda sheet: sheet.add(self.passage_pick.value, self.add_code.value,
                                                offsets=(chosen.start, chosen.end)))
        else:
            self._write(lambda sheet: sheet.add(self.passage_pick.value, self.add_code.value,
                                                self.span_box.value.strip() or None))

    def _write(self, action) -> None:
        try:
            path = action(self._sheet())
        except (coding_in_place.CodingError, GtnaError, ValueError) as exc:
            self.coding_status.value = f'<span class="gtna-error">{html.escape(self.L["error"])}: ' \
                                       f"{html.escape(str(exc))}</span>"
            return
        shown = path.relative_to(self.data.root) if self.data.root else path
        self.coding_status.value = html.escape(self.L["decision_saved"].format(path=shown))

    # --- whole interview -------------------------------------------------------------------------------------

    def _interview_tab(self) -> w.VBox:
        ids = sorted(self.data.tables.interviews["interview_id"])
        self.i_pick = self._dropdown("interview", [(i, i) for i in ids], all_option=False)
        self.i_out = w.HTML()
        self.i_out.add_class("gtna-interview")
        self.i_pick.observe(lambda _: self.open_interview(None, switch=False), names="value")
        return w.VBox([self.i_pick, self.i_out])  # rendered when the tab is first shown

    def open_interview(self, segment_id: str | None, switch: bool = True) -> None:
        """Show the interview of ``segment_id`` (or of the interview dropdown) with that passage marked."""
        if segment_id:
            seg = self.data.segments[self.data.segments["segment_id"] == segment_id]
            if seg.empty:
                return
            interview = str(seg.iloc[0]["interview_id"])
            if self.i_pick.value != interview:
                self.i_pick.value = interview  # fires open_interview(None): rendered again below with the focus
        else:
            interview = self.i_pick.value
        self.i_out.value = retrieval.interview_html(self.data, interview, segment_id, self.L)
        if switch:
            self.tabs.selected_index = INTERVIEW_TAB

    # --- matrix and co-occurrence ----------------------------------------------------------------------------

    def _matrix_tab(self) -> w.VBox:
        L = self.L
        self.m_rows = self._dropdown("rows", [(L["theme"], "theme"), (L["code"], "code")], all_option=False)
        self.m_cols = self._dropdown("columns", [(L.get(a, a), a) for a in queries.ATTRIBUTES], all_option=False)
        self.m_measure = self._dropdown("count", [(L[m], m) for m in queries.MEASURES], all_option=False)
        self.m_measure.value = "interviews"
        self.m_share = self._dropdown("share", [(L["none"], ""), (L["row_share"], "row"),
                                                (L["column_share"], "column")], all_option=False)
        self.m_grid, self.m_filters, self.m_path, self.m_export, self.m_status = self._query_output(
            "gtna-matrix", "matrix.xlsx", MATRIX_TAB, lambda: self.matrix.labelled())
        for d in (self.m_rows, self.m_cols, self.m_measure, self.m_share):
            d.observe(lambda _: self._render_matrix(), names="value")
        return w.VBox([w.HBox([self.m_rows, self.m_cols]), w.HBox([self.m_measure, self.m_share]), self.m_filters,
                       self.m_grid, w.HBox([self.m_path, self.m_export]), self.m_status])

    def _query_output(self, css_class: str, filename: str, tab: int, table: Callable[[], pd.DataFrame]
                      ) -> tuple[w.VBox, w.HTML, w.Text, w.Button, w.HTML]:
        """What a query tab shows under its choices: the grid, the filters in force, and an export (path, button,
        status); the export first brings a stale grid up to date, so the file is what the grid would show."""
        grid = w.VBox()
        grid.add_class(css_class)
        path = w.Text(value=filename, description=self.L["export"], layout=w.Layout(width="320px"))
        export = self._button("export", "gtna-export")
        status = w.HTML()
        export.on_click(lambda _: (self._render_if_stale(tab), self._export(table(), path.value, status)))
        return grid, w.HTML(), path, export, status

    def _grid(self, matrix: queries.Matrix, col_labels: dict[str, str], share: bool) -> w.GridBox:
        """The matrix as a grid of buttons: a click (or Enter) on a cell lists the cell's passages."""
        values = matrix.values
        cells: list[w.Widget] = [w.HTML("")]
        cells += [w.HTML(f"<b>{html.escape(col_labels.get(str(c), str(c)))}</b>") for c in values.columns]
        for r in values.index:
            cells.append(w.HTML(html.escape(matrix.row_labels.get(r, r))))
            for c in values.columns:
                v = values.loc[r, c]
                b = w.Button(description=f"{v:.0%}" if share else str(int(v)),
                             tooltip=f"{matrix.row_labels.get(r, r)} × {col_labels.get(str(c), c)}",
                             layout=w.Layout(width="auto"))
                b.add_class("gtna-cell")
                b.disabled = not matrix.cells.get((r, c))
                b.on_click(lambda _, r=r, c=c: self.show_segments(matrix.passages(r, c), keep_filters=True))
                cells.append(b)
        n = len(values.columns) + 1
        return w.GridBox(cells, layout=w.Layout(grid_template_columns=f"minmax(14em, 2fr) repeat({n - 1}, 1fr)"))

    def _column_labels(self, attribute: str) -> dict[str, str]:
        if attribute == "agency":
            return {a: self.data.tables.agency_name(a, self.data.lang, short=True) for a in self.data.tables.agencies}
        return {}

    def _render_matrix(self) -> None:
        self.matrix = queries.matrix_query(self.data, self.m_rows.value, self.m_cols.value, self.m_measure.value,
                                           self.m_share.value or None, filters=self.shared_filters())
        self.m_grid.children = [self._grid(self.matrix, self._column_labels(self.m_cols.value),
                                           bool(self.m_share.value))]
        self.m_filters.value = self._filter_note()
        self.stale[MATRIX_TAB] = False

    def _cooccurrence_tab(self) -> w.VBox:
        L = self.L
        self.c_level = self._dropdown("rows", [(L["theme"], "theme"), (L["code"], "code")], all_option=False)
        self.c_unit = self._dropdown("unit", [(L["same_segment"], "segment"), (L["same_answer"], "answer")],
                                     all_option=False)
        self.c_grid, self.c_filters, self.c_path, self.c_export, self.c_status = self._query_output(
            "gtna-cooccurrence", "cooccurrence.xlsx", COOCCURRENCE_TAB, lambda: self.cooc.labelled())
        for d in (self.c_level, self.c_unit):
            d.observe(lambda _: self._render_cooccurrence(), names="value")
        return w.VBox([w.HBox([self.c_level, self.c_unit]), self.c_filters, self.c_grid,
                       w.HBox([self.c_path, self.c_export]), self.c_status])

    def _render_cooccurrence(self) -> None:
        self.cooc = queries.cooccurrence_query(self.data, self.c_level.value, self.c_unit.value,
                                               filters=self.shared_filters())
        self.c_grid.children = [self._grid(self.cooc, self.cooc.row_labels, False)]
        self.c_filters.value = self._filter_note()
        self.stale[COOCCURRENCE_TAB] = False

    def _export(self, frame: pd.DataFrame, target: str, status: w.HTML) -> None:
        path = Path(target)
        if not path.is_absolute() and self.data.root is not None:
            path = self.data.root / "exports" / path
        try:
            queries.export(frame, path)
        except (ValueError, OSError) as exc:
            status.value = f'<span class="gtna-error">{html.escape(str(exc))}</span>'
            return
        status.value = html.escape(self.L["exported"].format(path=path))

    # --- text ------------------------------------------------------------------------------------------------

    def _text_tab(self) -> w.VBox:
        L = self.L
        self.t_query = w.Text(placeholder=L["search_help"], description=L["search"], continuous_update=False,
                              layout=w.Layout(width="520px"), style={"description_width": "initial"})
        self.t_query.add_class("gtna-text-search")
        self.t_summary = w.HTML()
        self.t_pattern = w.Textarea(description=L["as_pattern"], layout=w.Layout(width="640px", height="3em"),
                                    style={"description_width": "initial"})
        self.t_read = self._button("read_hits", "gtna-read-hits")
        self.t_kwic = w.HTML()
        self.t_freq_by = self._dropdown("frequency", [(L["stem"], "stem"), (L["word"], "word")], all_option=False)
        self.t_freq = w.HTML()
        self.t_result: text.SearchResult | None = None
        self.t_query.observe(lambda _: self._search(), names="value")
        self.t_read.on_click(lambda _: self.t_result is not None and self.show_segments(
            self.t_result.segment_ids, self.t_result.spans()))
        self.t_freq_by.observe(lambda _: self._frequency(), names="value")
        return w.VBox([self.t_query, self.t_summary, w.HBox([self.t_read]), self.t_pattern,
                       w.HTML(f"<h4>{html.escape(L['kwic'])}</h4>"), self.t_kwic, self.t_freq_by, self.t_freq])

    def _search(self) -> None:
        L = self.L
        if not self.t_query.value.strip():
            return
        try:
            self.t_result = text.search(self.data, self.t_query.value)
        except PatternError as exc:
            self.t_summary.value = f'<span class="gtna-error">{html.escape(str(exc))}</span>'
            return
        hits = self.t_result.hits
        self.t_summary.value = html.escape(L["hits"].format(hits=len(hits), passages=hits["segment_id"].nunique()))
        self.t_pattern.value = text.as_pattern(self.t_result)
        table = text.kwic(self.data, self.t_result).rename(columns={"left": L["left"], "right": L["right"]})
        self.t_kwic.value = _table_html(table.head(200).set_index("segment_id"))

    def _frequency(self) -> None:
        self.t_freq.value = _table_html(text.word_frequency(self.data, by=self.t_freq_by.value, top=40))

    # --- memos -----------------------------------------------------------------------------------------------

    def _memos_tab(self) -> w.VBox:
        L = self.L
        self.memo_scope = self._dropdown("memo_scope", [(L.get(s, s), s) for s in memos.SCOPES], all_option=False)
        self.memo_target = self._dropdown("memo_target", [("—", "")], all_option=False, width="320px")
        self.memo_title = w.Text(description=L["memo_title"], layout=w.Layout(width="520px"))
        self.memo_body = w.Textarea(description=L["memo_body"], layout=w.Layout(width="90%", height="12em"),
                                    style={"description_width": "initial"})
        self.memo_body.add_class("gtna-memo-body")
        self.memo_save = self._button("save", "gtna-memo-save")
        self.memo_status = w.HTML()
        self.memo_list = w.HTML()
        self.memo_scope.observe(lambda _: self._memo_targets(), names="value")
        self.memo_target.observe(lambda _: self._memo_load(), names="value")
        self.memo_save.on_click(lambda _: self._memo_write())
        self._memo_targets()
        self._memo_listing()
        return w.VBox([w.HBox([self.memo_scope, self.memo_target]), self.memo_title, self.memo_body,
                       w.HBox([self.memo_save, self.memo_status]), w.HTML(f"<h4>{html.escape(L['memos_list'])}</h4>"),
                       self.memo_list])

    def _memo_targets(self) -> None:
        t, scope = self.data.tables, self.memo_scope.value
        options = {"study": [("—", "")],
                   "agency": [(t.agency_name(a, self.data.lang, short=True), a) for a in t.agencies],
                   "interview": [(i, i) for i in sorted(t.interviews["interview_id"])],
                   "code": [(f"{c} — {self.data.code_label(c)}", c) for c in t.codes["code_id"]],
                   "passage": [(s, s) for s in (self.current["segment_id"] if len(self.current) else [])]}[scope]
        self.memo_target.options = options or [("—", "")]
        self._memo_load()

    def _memo_load(self) -> None:
        if self.data.root is None:
            self.memo_status.value = html.escape(self.L["no_study"])
            return
        try:
            memo = memos.get_memo(self.data.root, self.memo_scope.value, self.memo_target.value or "")
        except (ValueError, GtnaError) as exc:
            self.memo_status.value = f'<span class="gtna-error">{html.escape(str(exc))}</span>'
            return
        self.memo_title.value = memo.title if memo else ""
        self.memo_body.value = memo.body if memo else ""

    def _memo_write(self) -> None:
        if self.data.root is None:
            self.memo_status.value = html.escape(self.L["no_study"])
            return
        memo = memos.Memo(self.memo_scope.value, self.memo_target.value or "", self.memo_body.value,
                          self.memo_title.value, self.coder_box.value.strip())
        try:
            path = memos.save_memo(self.data.root, memo)
        except (ValueError, OSError) as exc:
            self.memo_status.value = f'<span class="gtna-error">{html.escape(str(exc))}</span>'
            return
        self.memo_status.value = html.escape(f"{self.L['saved']}: {path.relative_to(self.data.root)}")
        self._memo_listing()

    def _memo_listing(self) -> None:
        if self.data.root is None:
            return
        try:
            listing = memos.list_memos(self.data.root)
        except GtnaError as exc:
            self.memo_list.value = f'<span class="gtna-error">{html.escape(str(exc))}</span>'
            return
        self.memo_list.value = _table_html(listing.drop(columns=["path"]).set_index("scope")) if len(listing) else ""

    # --- coders ----------------------------------------------------------------------------------------------

    def _coders_tab(self) -> w.VBox:
        L = self.L
        self.k_a = self._dropdown("coder_a", [], all_option=False, width="240px")
        self.k_b = self._dropdown("coder_b", [], all_option=False, width="240px")
        self.k_level = self._dropdown("rows", [(L["code"], "code"), (L["theme"], "theme")], all_option=False)
        self.k_go = self._button("compare", "gtna-compare")
        self.k_out = w.HTML()
        self.k_go.on_click(lambda _: self._compare())
        return w.VBox([w.HBox([self.k_a, self.k_b, self.k_level, self.k_go]), self.k_out])

    def _coder_names(self) -> None:
        try:
            names = sorted(coding_in_place.coder_sets(self.data))
        except GtnaError as exc:
            self.k_out.value = f'<span class="gtna-error">{html.escape(str(exc))}</span>'
            names = [coding_in_place.AUTO]
        self.k_a.options = names
        self.k_b.options = names
        if len(names) > 1:
            self.k_b.value = names[1] if names[0] == self.k_a.value else names[0]

    def _compare(self) -> None:
        L = self.L
        self._coder_names_keep()
        try:
            table, listing = coding_in_place.compare_coders(self.data, self.k_a.value, self.k_b.value,
                                                            self.k_level.value)
        except (coding_in_place.CodingError, GtnaError) as exc:
            self.k_out.value = f'<span class="gtna-error">{html.escape(str(exc))}</span>'
            return
        overall = table[table["level"] == "overall"].set_index("id")
        per_code = table[table["level"] != "overall"].set_index("id")
        self.k_out.value = (f"<h4>{html.escape(L['agreement'])}</h4>" + _table_html(overall)
                            + _table_html(per_code[per_code["a_yes"] + per_code["b_yes"] > 0])
                            + f"<h4>{html.escape(L['disagreements'])}</h4>"
                            + _table_html(listing.set_index("segment_id")))

    def _coder_names_keep(self) -> None:
        """Re-read the coders (a sheet may have been saved since), keeping the chosen pair."""
        a, b = self.k_a.value, self.k_b.value
        self._coder_names()
        if a in self.k_a.options:
            self.k_a.value = a
        if b in self.k_b.options:
            self.k_b.value = b
