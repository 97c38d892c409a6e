"""The report as files: CSV, JSON and ODS (OpenDocument spreadsheet, with a cover sheet).

All three carry the same published values: a number, a label, or ``[c]`` where suppressed
(see docs/statistics.md for the JSON schema and the layout, which follows the Government
Analysis Function's "Releasing statistics in spreadsheets": a cover sheet, a contents sheet,
then one table per sheet with its title in A1).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

from broker.statistics.disclosure_control import NOT_APPLICABLE, SUPPRESSED, shown
from broker.statistics.report import Report, ReportTable, Value

__all__ = [
    "CSV_COLUMNS",
    "JSON_SCHEMA_ID",
    "MEDIA_TYPES",
    "ReleaseInfo",
    "render_export",
    "to_csv",
    "to_json",
    "to_ods",
]

JSON_SCHEMA_ID = "https://iom-broker.dev/schemas/statistics-export/v1"
CSV_COLUMNS = ("table", "title", "row", "column", "value")

SUPPRESSION_RULE = (
    "Counts from 1 to 4 are shown as [c], and further cells are shown as [c] so that none "
    "can be worked out from the totals or the other cells of its row or column (secondary "
    "suppression). Zero is shown as 0. Medians and quartiles of fewer than 10 people are [c]."
)
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
SYMBOLS = {
    SUPPRESSED: "confidential: suppressed to protect the people counted",
    NOT_APPLICABLE: "not applicable",
}


@dataclass(frozen=True)
class ReleaseInfo:
    """What the cover sheet says besides the numbers."""

    title: str = (
        "Integrated Offender Management in Wales: cohort and information-sharing statistics"
    )
    source: str = "iom-broker statistics service: the subjects, disclosures and dead-letter topics"
    contact: str = "iom-statistics@example.gov.wales"


def _label(value: Value, labels: Mapping[str, str]) -> Value:
    return labels.get(value, value) if isinstance(value, str) else value


def _text(value: Value) -> str:
    return value if isinstance(value, str) else shown(value)


def _scope_words(report: Report, labels: Mapping[str, str]) -> str:
    scope = report.scope
    who = (
        "All of Wales"
        if scope.agency is None
        else f"Flows involving {labels.get(scope.agency, scope.agency)}"
    )
    return who if scope.area is None else f"{who}, {labels.get(scope.area, scope.area)} only"


def to_csv(report: Report, labels: Mapping[str, str] | None = None) -> str:
    """Every table in long form: one line per published value, ``[c]`` where suppressed."""
    labels = labels or {}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for table in report.tables:
        for row in table.rows:
            row_label = " / ".join(_text(_label(v, labels)) for v in _row_keys(table, row))
            for heading, value in _row_values(table, row):
                column = _text(_label(heading, labels))
                writer.writerow(
                    (table.table_id, table.title, row_label, column, _text(_label(value, labels)))
                )
    return out.getvalue()


def _key_width(table: ReportTable) -> int:
    """How many leading columns label a row (month and area, or area and cohort...)."""
    return 2 if table.headings[:2] in (("Month", "Area"), ("Area", "Cohort")) else 1


def _row_keys(table: ReportTable, row: tuple[Value, ...]) -> tuple[Value, ...]:
    return row[: _key_width(table)]


def _row_values(table: ReportTable, row: tuple[Value, ...]) -> list[tuple[str, Value]]:
    width = _key_width(table)
    return list(zip(table.headings[width:], row[width:], strict=True))


def to_json(
    report: Report, labels: Mapping[str, str] | None = None, info: ReleaseInfo | None = None
) -> str:
    """The report as JSON (schema ``JSON_SCHEMA_ID``, docs/statistics.md)."""
    labels = labels or {}
    info = info or ReleaseInfo()

    def value(v: Value) -> Any:
        return SUPPRESSED if v is None else _label(v, labels)

    document = {
        "schema": JSON_SCHEMA_ID,
        "title": info.title,
        "period": {"from": report.first_month, "to": report.last_month},
        "scope": {"agency": report.scope.agency, "area": report.scope.area},
        "source": info.source,
        "suppression": SUPPRESSION_RULE,
        "symbols": SYMBOLS,
        "contact": info.contact,
        "tables": [
            {
                "id": t.table_id,
                "title": t.title,
                "headings": [_label(h, labels) for h in t.headings],
                "rows": [[value(v) for v in row] for row in t.rows],
                "notes": t.notes,
            }
            for t in report.tables
        ],
    }
    return json.dumps(document, indent=1, ensure_ascii=False)


def _cell(value: Value) -> TableCell:
    if isinstance(value, int | float) and not isinstance(value, bool):
        cell = TableCell(valuetype="float", value=value)
        cell.addElement(P(text=shown(value)))
        return cell
    cell = TableCell(valuetype="string")
    cell.addElement(P(text=_text(value)))
    return cell


def _line(*values: Value) -> list[Value]:
    return list(values)


def _sheet(name: str, lines: list[list[Value]]) -> Table:
    sheet = Table(name=name)
    for line in lines:
        row = TableRow()
        for value in line:
            row.addElement(_cell(value))
        sheet.addElement(row)
    return sheet


def to_ods(
    report: Report, labels: Mapping[str, str] | None = None, info: ReleaseInfo | None = None
) -> bytes:
    """An OpenDocument spreadsheet: cover sheet, contents, then one sheet per table (title in
    A1, notes in A2, headings in row 3, data below; ``[c]`` as text)."""
    labels = labels or {}
    info = info or ReleaseInfo()
    document = OpenDocumentSpreadsheet()
    cover: list[list[Value]] = [
        [info.title],
        ["Period", f"{report.first_month} to {report.last_month} (months in UK time)"],
        ["Coverage", _scope_words(report, labels)],
        ["Source", info.source],
        ["Suppression", SUPPRESSION_RULE],
        *[_line("Symbol " + symbol, meaning) for symbol, meaning in SYMBOLS.items()],
        ["Contact", info.contact],
    ]
    document.spreadsheet.addElement(_sheet("Cover_sheet", cover))
    contents: list[list[Value]] = [
        ["Contents"],
        ["This workbook has one table per sheet."],
        ["Sheet", "Table"],
        *[_line(t.table_id, t.title) for t in report.tables],
    ]
    document.spreadsheet.addElement(_sheet("Contents", contents))
    for table in report.tables:
        lines: list[list[Value]] = [
            [table.title],
            [
                table.notes
                or "Counts from 1 to 4 and cells that would reveal them are shown as [c]."
            ],
            [_label(h, labels) for h in table.headings],
            *[[_label(v, labels) for v in row] for row in table.rows],
        ]
        document.spreadsheet.addElement(_sheet(table.table_id, lines))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def render_export(
    report: Report, file_format: str, labels: Mapping[str, str], info: ReleaseInfo
) -> bytes:
    """The report as a file: ``csv``, ``ods`` or ``json``."""
    if file_format == "ods":
        return to_ods(report, labels, info)
    if file_format == "json":
        return to_json(report, labels, info).encode()
    return to_csv(report, labels).encode()
