"""The oversight report: every measure for a period and a scope, published. Pure.

Counts go through :func:`publish`, or :func:`publish_together` for tables that show some of
the same numbers (the sharing tables' area totals and grand total; the dead-lettered column
of records received and the reasons table's row totals; the two subject access request
tables' row totals), so no small count can be worked out by subtracting one table from
another. Medians go through :func:`publish_median`, shares through :func:`publish_share`;
net-widening indicators are worked out from published numbers only, so nothing in a report
is an unsuppressed small count. Every output (pages, API, exports) renders a
:class:`Report`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from broker.statistics.disclosure_control import (
    NOT_APPLICABLE,
    CountTable,
    Place,
    PublishedTable,
    publish,
    publish_median,
    publish_share,
    publish_together,
)
from broker.statistics.facts import SAR_OUTCOMES, Fact, Measure
from broker.statistics.measures import (
    COHORTS,
    cohort_flow_table,
    cohort_size_table,
    count_table,
    time_in_cohort,
)
from broker.statistics.uk_month import month_range

__all__ = ["Report", "ReportTable", "Scope", "Value", "build_report"]

Value = int | float | str | None
"""A published value: a number, a word (a label or ``flag``), or None for ``[c]``."""


@dataclass(frozen=True)
class Scope:
    """Whose view: all of Wales (``agency`` None) or one agency's flows; optionally one area."""

    agency: str | None = None
    area: str | None = None

    def shows_area(self, area: str, agency_areas: dict[str, str]) -> bool:
        """Whether this view has a row for ``area``: the one asked for, and for a DPO of a
        local agency its own area only."""
        if self.area is not None and area != self.area:
            return False
        home = agency_areas.get(self.agency) if self.agency is not None else None
        return home in (None, "wales") or area == home

    def keeps(self, fact: Fact, agency_areas: dict[str, str]) -> bool:
        """Whether a counter belongs in this view."""
        if self.area is not None and fact.area != self.area:
            return False
        if self.agency is None:
            return True
        if fact.agency or fact.recipient:
            return self.agency in (fact.agency, fact.recipient)
        home = agency_areas.get(self.agency)
        return home in (None, "wales") or fact.area == home


@dataclass(frozen=True)
class ReportTable:
    """One published table: an id, a title, headings and rows of published values."""

    table_id: str
    title: str
    headings: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]
    notes: str = ""


@dataclass(frozen=True)
class Report:
    """Everything published for one period and scope."""

    first_month: str
    last_month: str
    scope: Scope
    tables: tuple[ReportTable, ...]

    def has_table(self, table_id: str) -> bool:
        """Whether the report has a table with this id."""
        return any(t.table_id == table_id for t in self.tables)

    def table(self, table_id: str) -> ReportTable:
        """The table with this id."""
        return next(t for t in self.tables if t.table_id == table_id)


def _from_published(table_id: str, table: PublishedTable, notes: str = "") -> ReportTable:
    rows: list[tuple[Value, ...]] = [
        (label, *cells, total)
        for label, cells, total in zip(table.rows, table.cells, table.row_totals, strict=True)
    ]
    rows.append(("Total", *table.column_totals, table.grand_total))
    headings = (table.row_heading, *table.columns, "Total")
    return ReportTable(table_id, table.title, headings, tuple(rows), notes)


def build_report(
    counted: Iterable[tuple[Fact, int]],
    first_month: str,
    last_month: str,
    areas: Sequence[str],
    agency_areas: dict[str, str],
    scope: Scope = Scope(),
    threshold_percent: float = 10.0,
) -> Report:
    """Publish every measure from ``first_month`` to ``last_month`` (cohort sizes count every
    change up to each month's end, so ``counted`` must start from the beginning)."""
    cohort_changes: list[tuple[Fact, int]] = []
    in_period: list[tuple[Fact, int]] = []
    for fact, n in counted:
        if not scope.keeps(fact, agency_areas):
            continue
        if fact.measure == Measure.COHORT_NET:
            cohort_changes.append((fact, n))
        elif first_month <= fact.month <= last_month:
            in_period.append((fact, n))
    shown_areas = [a for a in areas if scope.shows_area(a, agency_areas)]
    months = month_range(first_month, last_month)
    monthly = {m: publish(cohort_size_table(cohort_changes, m, shown_areas)) for m in months}
    tables = [
        _from_published("cohort_size", monthly[last_month]) if months else None,
        _cohort_series(monthly),
        _net_widening(monthly, threshold_percent),
        *_cohort_flows(in_period, shown_areas),
        *_sharing(in_period, Measure.DISCLOSED, _DISCLOSURE_TABLES),
        *_sharing(in_period, Measure.REFUSED, _REFUSAL_TABLES),
        *_recording_quality(in_period),
        *_rights(in_period),
    ]
    return Report(first_month, last_month, scope, tuple(t for t in tables if t is not None))


def _cohort_series(monthly: dict[str, PublishedTable]) -> ReportTable:
    rows: list[tuple[Value, ...]] = []
    for month, table in monthly.items():
        for area, cells, total in zip(table.rows, table.cells, table.row_totals, strict=True):
            rows.append((month, area, *cells, total))
    return ReportTable(
        "cohort_size_by_month",
        "People in an IOM cohort at the end of each month, by area and cohort",
        ("Month", "Area", *COHORTS, "Total"),
        tuple(rows),
    )


def _net_widening(monthly: dict[str, PublishedTable], threshold: float) -> ReportTable:
    """Month-on-month change of each area's cohort and its Flex and Free share, from the
    published numbers; ``flag`` when the cohort grew by more than ``threshold`` per cent."""
    rows: list[tuple[Value, ...]] = []
    previous: dict[str, int | None] = {}
    for month, table in monthly.items():
        flex, free = table.columns.index("FLEX"), table.columns.index("FREE")
        for area, cells, total in zip(table.rows, table.cells, table.row_totals, strict=True):
            before = previous.get(area, 0)
            change: Value = None  # [c] when either month's number is suppressed
            if before == 0:
                change = NOT_APPLICABLE
            elif before is not None and total is not None:
                change = round(100.0 * (total - before) / before, 1)
            flex_people, free_people = cells[flex], cells[free]
            discretion = (
                None if flex_people is None or free_people is None else flex_people + free_people
            )
            share: Value = NOT_APPLICABLE if total == 0 else publish_share(discretion, total)
            flag = "flag" if isinstance(change, float) and change > threshold else ""
            rows.append((month, area, total, change, share, flag))
            previous[area] = total
    return ReportTable(
        "net_widening",
        "Net-widening indicators: cohort size change and Flex and Free share, by area",
        (
            "Month",
            "Area",
            "People",
            "Change on previous month (%)",
            "Flex and Free share (%)",
            "Flag",
        ),
        tuple(rows),
        f"Flag: the cohort grew by more than {threshold:g}% on the previous month. "
        "[x]: not applicable (no previous month, or no one in the cohort).",
    )


def _cohort_flows(in_period: list[tuple[Fact, int]], areas: Sequence[str]) -> list[ReportTable]:
    tables: list[ReportTable] = []
    published_exits = publish(
        cohort_flow_table(
            in_period, Measure.DESELECTIONS, "Deselections (exits) by area and cohort", areas
        )
    )
    for table_id, measure, title in (
        ("enrolments", Measure.ENROLMENTS, "Enrolments by area and cohort"),
        ("re_enrolments", Measure.RE_ENROLMENTS, "Re-enrolments by area and cohort"),
    ):
        tables.append(
            _from_published(table_id, publish(cohort_flow_table(in_period, measure, title, areas)))
        )
    tables.append(_from_published("deselections", published_exits))
    spreads = time_in_cohort(in_period)
    rows: list[tuple[Value, ...]] = []
    for area, cells in zip(published_exits.rows, published_exits.cells, strict=True):
        for cohort, people in zip(published_exits.columns, cells, strict=True):
            spread = spreads.get((area, cohort))
            if spread is None:
                continue
            rows.append(
                (
                    area,
                    cohort,
                    people,
                    publish_median(spread.lower_quartile, spread.people),
                    publish_median(spread.median, spread.people),
                    publish_median(spread.upper_quartile, spread.people),
                )
            )
    tables.append(
        ReportTable(
            "time_in_cohort",
            "Days in the cohort of the people who left, by area and cohort",
            ("Area", "Cohort", "People", "Lower quartile", "Median", "Upper quartile"),
            tuple(rows),
            "Medians and quartiles of fewer than 10 people are shown as [c].",
        )
    )
    return tables


@dataclass(frozen=True)
class _Breakdown:
    """A table of one measure: its id and title, and the dimensions of its rows and columns
    (names of :class:`Fact` fields)."""

    table_id: str
    title: str
    row_heading: str
    rows: str
    columns: str


_DISCLOSURE_TABLES = (
    _Breakdown("sharing_flows", "Disclosures by sender and recipient", "Sender", "agency",
               "recipient"),
    _Breakdown("sharing_legal_basis", "Disclosures by legal basis and area", "Legal basis",
               "legal_basis", "area"),
    _Breakdown("sharing_purpose", "Disclosures by purpose and area", "Purpose", "purpose",
               "area"),
    _Breakdown("sharing_event_type", "Disclosures by event type and area", "Event type",
               "event_type", "area"),
)  # fmt: skip
_REFUSAL_TABLES = (
    _Breakdown("refusals_reason", "Refusals by reason and area", "Reason", "reason", "area"),
    _Breakdown("refusal_flows", "Refusals by sender and recipient", "Sender", "agency",
               "recipient"),
)  # fmt: skip


def _counts(
    in_period: list[tuple[Fact, int]],
    measure: str,
    breakdown: _Breakdown,
    columns: Sequence[str] = (),
) -> CountTable:
    wanted = [(f, n) for f, n in in_period if f.measure == measure]
    return count_table(
        breakdown.title,
        breakdown.row_heading,
        wanted,
        lambda f: str(getattr(f, breakdown.rows)),
        lambda f: str(getattr(f, breakdown.columns)),
        columns=columns,
    )


def _sharing(
    in_period: list[tuple[Fact, int]], measure: str, breakdowns: Sequence[_Breakdown]
) -> list[ReportTable]:
    """Tables of one measure, published together: they share the grand total, and the
    tables by area share each area's total."""
    tables = [_counts(in_period, measure, b) for b in breakdowns]
    by_area = [i for i, b in enumerate(breakdowns) if b.columns == "area"]
    areas = sorted({area for i in by_area for area in tables[i].columns})
    same = [[Place(i, None, area) for i in by_area] for area in areas]
    same.append([Place(i, None, None) for i in range(len(tables))])
    published = publish_together(tables, same)
    return [
        _from_published(b.table_id, table) for b, table in zip(breakdowns, published, strict=True)
    ]


_DEAD_LETTER_REASONS = _Breakdown(
    "dead_letters_reason", "Records dead-lettered by agency and reason", "Agency", "agency",
    "reason",
)  # fmt: skip
_REQUEST_OUTCOMES = _Breakdown(
    "subject_access_requests", "Subject access requests received, by outcome", "Agency",
    "agency", "reason",
)  # fmt: skip
_REQUEST_EXTENSIONS = _Breakdown(
    "subject_access_extensions", "Subject access requests received, extended", "Agency",
    "agency", "reason",
)  # fmt: skip


def _recording_quality(in_period: list[tuple[Fact, int]]) -> list[ReportTable]:
    """Records received (decided, dead-lettered) and dead letters by reason, published
    together: the dead-lettered column is the reasons table's row totals."""
    received_counts = count_table(
        "Records received by agency: decided and dead-lettered",
        "Agency",
        in_period,
        lambda f: f.agency,
        lambda f: "Decided" if f.measure == Measure.RECEIVED else "Dead-lettered",
        columns=("Decided", "Dead-lettered"),
        keep=lambda f: f.measure in (Measure.RECEIVED, Measure.DEAD_LETTERED),
    )
    reason_counts = _counts(in_period, Measure.DEAD_LETTERED, _DEAD_LETTER_REASONS)
    same = [[Place(0, row, "Dead-lettered"), Place(1, row, None)] for row in reason_counts.rows]
    same.append([Place(0, None, "Dead-lettered"), Place(1, None, None)])
    received, reasons = publish_together([received_counts, reason_counts], same)
    shares: list[tuple[Value, ...]] = []
    for agency, cells, total in zip(
        received.rows, received.cells, received.row_totals, strict=True
    ):
        share: Value = NOT_APPLICABLE if total == 0 else publish_share(cells[1], total)
        shares.append((agency, total, cells[1], share))
    return [
        _from_published("records_received", received),
        ReportTable(
            "recording_quality",
            "Recording quality: share of records dead-lettered, by agency",
            ("Agency", "Records received", "Dead-lettered", "Share dead-lettered (%)"),
            tuple(shares),
            "Identifier conflicts are the identifier_conflict column of the reasons table.",
        ),
        _from_published(_DEAD_LETTER_REASONS.table_id, reasons),
    ]


def _rights(in_period: list[tuple[Fact, int]]) -> list[ReportTable]:
    """Subject access requests by addressee: what became of them, and how many were extended
    (only when the report was given the records' counts). Every request is in both tables,
    so they are published together (the same row totals)."""
    if not any(f.measure in (Measure.SAR_OUTCOME, Measure.SAR_EXTENSION) for f, _ in in_period):
        return []
    outcomes = _counts(in_period, Measure.SAR_OUTCOME, _REQUEST_OUTCOMES, SAR_OUTCOMES)
    extensions = _counts(
        in_period, Measure.SAR_EXTENSION, _REQUEST_EXTENSIONS, ("extended", "not_extended")
    )
    same = [[Place(0, row, None), Place(1, row, None)] for row in outcomes.rows]
    same.append([Place(0, None, None), Place(1, None, None)])
    published = publish_together([outcomes, extensions], same)
    return [
        _from_published(b.table_id, table)
        for b, table in zip((_REQUEST_OUTCOMES, _REQUEST_EXTENSIONS), published, strict=True)
    ]
