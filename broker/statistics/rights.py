"""Subject access requests as counts: received, answered on time or late, open, extended.

Read from the API's records database (``subject_requests``) when a report is built: only the
addressee, the dates and the status of each request are read, never the person's reference,
and only counts leave this module (by month received, UK dates as the records hold them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date

from broker.records.database import RecordsDatabase
from broker.records.subject_requests import statutory_deadline
from broker.statistics.aggregation import UNKNOWN
from broker.statistics.facts import Fact, Measure

__all__ = ["request_counts"]


def request_counts(
    records: RecordsDatabase,
    first_month: str,
    last_month: str,
    today: date,
    agency_areas: Mapping[str, str],
) -> list[tuple[Fact, int]]:
    """Counts of the requests received from ``first_month`` to ``last_month``."""
    with records.transaction() as tx:
        rows = tx.rows(
            "SELECT addressee, received_on, status, extension_months, completed_on "
            "FROM subject_requests WHERE received_on >= ? AND received_on < ?",
            (f"{first_month}-01", f"{last_month}-99"),
        )
    counts: Counter[Fact] = Counter()
    for addressee, received, status, months, completed in rows:
        agency = str(addressee or "")
        received_on = date.fromisoformat(str(received))
        extension = int(str(months or 0))
        due = statutory_deadline(received_on, extension > 0, extension)
        if str(status) == "answered" and completed is not None:
            late = date.fromisoformat(str(completed)) > due
            outcome = "answered_late" if late else "answered_on_time"
        else:
            outcome = "open_overdue" if today > due else "open_in_time"
        month = received_on.strftime("%Y-%m")
        area = agency_areas.get(agency, UNKNOWN)
        counts[Fact(Measure.SAR_OUTCOME, month, area=area, agency=agency, reason=outcome)] += 1
        extended = "extended" if extension > 0 else "not_extended"
        counts[Fact(Measure.SAR_EXTENSION, month, area=area, agency=agency, reason=extended)] += 1
    return list(counts.items())
