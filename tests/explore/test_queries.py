"""Matrix coding query and co-occurrence: counts cross-checked against the reports' own analysis functions,
shares, cells traced back to passages, export to CSV and XLSX."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from gtna_analysis.explore import queries
from gtna_analysis.explore.data import ExploreData
from gtna_analysis.explore.retrieval import Filters
from gtna_analysis.reports import analysis


def test_themes_by_agency_counts_interviews_as_the_reports_do(data: ExploreData) -> None:
    m = queries.matrix_query(data, "theme", "agency", "interviews")
    assert list(m.values.columns) == data.tables.agencies
    for agency in data.tables.agencies:
        prevalence = analysis.prevalence(data.tables, "theme", "en", agency).set_index("id")["interviews"]
        assert m.values[agency].to_dict() == prevalence.reindex(m.values.index).to_dict()


def test_column_share_of_participants_matches_the_breakdown(data: ExploreData) -> None:
    m = queries.matrix_query(data, "theme", "gender", "participants", share="column")
    breakdown = analysis.breakdown(data.tables, "gender", data.lang)
    labels = m.labelled()
    for gender in m.values.columns:
        column = next(c for c in breakdown.columns if c.startswith(f"{gender} (n="))
        for theme_label in breakdown.index:
            assert labels.loc[theme_label, gender] == pytest.approx(breakdown.loc[theme_label, column])


def test_row_shares_of_segments_add_up_to_one(data: ExploreData) -> None:
    m = queries.matrix_query(data, "code", "level", "segments", share="row")
    totals = m.values.sum(axis=1)
    assert ((totals.round(9) == 1.0) | (totals == 0)).all()
    assert (totals == 1.0).sum() > 10


def test_a_cell_lists_exactly_its_passages(data: ExploreData) -> None:
    m = queries.matrix_query(data, "theme", "gender", "segments")
    row, col = "gbv", "female"
    ids = m.passages(row, col)
    assert len(ids) == m.values.loc[row, col] > 0
    seg = data.segments.set_index("segment_id").loc[list(ids)]
    assert set(seg["gender"]) == {col}
    coded = data.tables.codings
    assert set(ids) <= set(coded.loc[coded["theme_id"] == row, "segment_id"])
    with pytest.raises(KeyError):
        m.passages("nope", col)


def test_rejected_mentions_do_not_count_unless_asked(data: ExploreData) -> None:
    c = data.tables.codings
    rejected = c[c["polarity"] == "rejected"]
    if rejected.empty:
        pytest.skip("the sample has no rejected mention")
    theme = rejected["theme_id"].iloc[0]
    counted = queries.matrix_query(data, "theme", "agency", "segments").values.loc[theme].sum()
    only_rejected = queries.matrix_query(data, "theme", "agency", "segments",
                                         filters=Filters(polarity="rejected")).values.loc[theme].sum()
    assert only_rejected == rejected[rejected["theme_id"] == theme]["segment_id"].nunique()
    assert counted == c[(c["theme_id"] == theme) & (c["polarity"] != "rejected")]["segment_id"].nunique()


def test_cooccurrence_same_segment_matches_the_reports(data: ExploreData) -> None:
    m = queries.cooccurrence_query(data, "theme", "segment")
    reference = analysis.cooccurrence(data.tables, "theme", data.lang)
    labelled = m.labelled()
    labelled.columns = [m.row_labels[c] for c in m.values.columns]
    assert labelled.loc[reference.index, reference.columns].equals(reference.astype("int64"))
    a, b = m.values.index[0], m.values.index[1]
    assert len(m.passages(a, b)) == m.values.loc[a, b]


def test_same_answer_finds_at_least_what_same_segment_finds(data: ExploreData) -> None:
    seg = queries.cooccurrence_query(data, "theme", "segment").values
    ans = queries.cooccurrence_query(data, "theme", "answer").values
    assert (ans.loc[seg.index, seg.columns] >= 0).all().all()
    assert (ans.values.diagonal() <= seg.values.diagonal()).all()  # answers group segments: fewer units
    m = queries.cooccurrence_query(data, "theme", "answer")
    a, b = next((a, b) for a in m.values.index for b in m.values.columns if a != b and m.values.loc[a, b] > 0)
    codes = data.tables.codings.groupby("segment_id")["theme_id"].agg(set)
    assert all({a, b} & codes[s] for s in m.passages(a, b))


def test_bad_query_arguments_are_named(data: ExploreData) -> None:
    with pytest.raises(ValueError, match="columns must be one of"):
        queries.matrix_query(data, "theme", "shoe_size")
    with pytest.raises(ValueError, match="measure"):
        queries.matrix_query(data, "theme", "agency", "words")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_round_trips_georgian(data: ExploreData, tmp_path: Path, suffix: str) -> None:
    frame = queries.matrix_query(data, "theme", "agency", "interviews").labelled()
    path = queries.export(frame, tmp_path / "out" / f"matrix{suffix}")
    back = (pd.read_csv(path, index_col=0, encoding="utf-8-sig") if suffix == ".csv"
            else pd.read_excel(path, index_col=0))
    assert list(back.index) == list(frame.index) and any("ა" <= ch <= "ჰ" for ch in back.index[0])
    assert (back.to_numpy() == frame.to_numpy()).all()
    assert not list((tmp_path / "out").glob(".*.tmp"))
    with pytest.raises(ValueError, match=r"\.csv or \.xlsx"):
        queries.export(frame, tmp_path / "m.json")
