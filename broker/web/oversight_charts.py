"""The oversight pages' charts: accessible SVG drawn by pygal from published tables only.

(The flow map between agencies is a node-link diagram, which pygal cannot draw:
:mod:`broker.web.flow_map`.)

Each chart has a ``<title>`` and a ``<desc>``, tells its series apart by line pattern or by
printed values (not colour alone), loads nothing from the network (no pygal scripts), and
plots a suppressed value (``[c]``) as a gap. The page puts the same numbers in a table next
to it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape

import pygal
from pygal.style import Style

from broker.statistics.report import ReportTable, Value

__all__ = ["cohort_chart", "quality_chart"]

#: GOV.UK colours (blue, orange, green, purple) on white, text in GOV.UK black.
_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#505a5f",
    colors=("#1d70b8", "#f47738", "#00703c", "#4c2c92"),
    font_family="Arial, sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=14,
    title_font_size=16,
    value_font_size=12,
)
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
#: Line patterns by series: solid, dashed, dotted.
_PATTERNS = ({"width": 3}, {"width": 3, "dasharray": "9, 5"}, {"width": 3, "dasharray": "2, 4"})


def _options(title: str, height: int = 380) -> dict[str, object]:
    return {
        "title": title,
        "style": _STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "width": 720,
        "height": height,
        "legend_at_bottom": True,
        "print_values": True,
        "no_data_text": "0",
    }


def _accessible(svg: str, title: str, description: str) -> str:
    """Name the chart for assistive technology (role img, a title and a description) and drop
    pygal's inline configuration script: the chart is a still image."""
    head, _, rest = _SCRIPT.sub("", svg).partition(">")
    return (
        f'{head} role="img" aria-labelledby="chart-title chart-desc">'
        f'<title id="chart-title">{escape(title)}</title>'
        f'<desc id="chart-desc">{escape(description)}</desc>{rest}'
    )


def _number(value: Value) -> int | float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def cohort_chart(
    series: ReportTable, area: str, labels: Mapping[str, str], title: str, description: str
) -> str:
    """People at each month's end in ``area``, one line per cohort (solid, dashed, dotted)."""
    rows = [row for row in series.rows if row[1] == area]
    chart = pygal.Line(**_options(title), show_dots=True, dots_size=4)
    chart.x_labels = [str(row[0]) for row in rows]
    cohorts = series.headings[2:-1]
    for index, cohort in enumerate(cohorts):
        values = [_number(row[2 + index]) for row in rows]
        chart.add(labels.get(cohort, cohort), values, stroke_style=_PATTERNS[index % 3])
    return _accessible(chart.render(is_unicode=True), title, description)


def quality_chart(
    quality: ReportTable, labels: Mapping[str, str], title: str, description: str
) -> str:
    """Per agency, the share of its records turned away (per cent, printed on each bar)."""
    rows = list(quality.rows)
    chart = pygal.HorizontalBar(**_options(title, max(240, 60 + 36 * len(rows))))
    chart.x_labels = [labels.get(str(row[0]), str(row[0])) for row in rows]
    chart.add("%", [_number(row[3]) for row in rows])
    return _accessible(chart.render(is_unicode=True), title, description)
