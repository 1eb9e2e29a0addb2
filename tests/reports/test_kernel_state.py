"""``kernel_state.fresh`` (run in a reused report kernel): library memo caches are cleared, except the ones
``KEEP_CACHES`` names, which hold nothing a report could leave behind."""

from __future__ import annotations

from pathlib import Path

from gtna_analysis.coding import polarity
from gtna_analysis.reports import kernel_state, narrative


def test_fresh_clears_memo_caches_but_keeps_the_template_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # fresh() changes into the report's folder; undone after the test
    environment = narrative.environment()
    polarity._negator_kind("not")
    assert polarity._negator_kind.cache_info().currsize > 0
    kernel_state.fresh(str(tmp_path))
    assert Path.cwd() == tmp_path
    assert polarity._negator_kind.cache_info().currsize == 0
    assert narrative.environment() is environment
    assert "gtna_analysis.reports.narrative.environment" in kernel_state.KEEP_CACHES
