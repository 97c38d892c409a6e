"""The oversight charts: titled, described SVG from published tables, gaps for [c]."""

from __future__ import annotations

import re

from broker.statistics.report import ReportTable
from broker.web.oversight_charts import cohort_chart, quality_chart

SERIES = ReportTable(
    "cohort_size_by_month",
    "t",
    ("Month", "Area", "FIXED", "FLEX", "FREE", "Total"),
    (("2026-01", "gwent", 20, None, 0, None), ("2026-02", "gwent", 25, 7, 0, 32)),
)


def _named(svg: str, title: str) -> bool:
    return (
        svg.startswith("<svg ")
        and 'role="img"' in svg
        and f'<title id="chart-title">{title}</title>' in svg
        and '<desc id="chart-desc">' in svg
        and "<script" not in svg
        and not re.search(r'(href|src)="https?://', svg)
    )


def test_cohort_chart_draws_a_patterned_line_per_cohort() -> None:
    """One line per cohort, named in the page's words, told apart by dash pattern."""
    svg = cohort_chart(SERIES, "gwent", {"FIXED": "Sefydlog"}, "Carfan", "Disgrifiad")
    assert _named(svg, "Carfan")
    assert "Sefydlog" in svg and "FLEX" in svg
    assert ".serie-1{stroke-width:3;stroke-dasharray:9,5}" in svg
    assert ".serie-2{stroke-width:3;stroke-dasharray:2,4}" in svg


def test_quality_chart_prints_each_agencys_share() -> None:
    """Each agency's share of records turned away is a labelled bar."""
    quality = ReportTable(
        "recording_quality", "t", ("Agency", "Records", "Dead", "Share"), (("gdas", 200, 10, 5.0),)
    )
    svg = quality_chart(quality, {}, "Quality", "d")
    assert _named(svg, "Quality") and ">5<" in svg
