"""The oversight report: every measure published, nothing small shown, scopes kept apart."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from broker.statistics.facts import Fact, Measure
from broker.statistics.report import Report, Scope, build_report
from tests.support.statistics_data import dead_lettered, disclosed, refused

AREAS = ["gwent", "dyfed-powys"]
AGENCY_AREAS = {
    "gwent-police": "gwent",
    "dyfed-powys-police": "dyfed-powys",
    "probation-wales": "wales",
}


def _counts(report: Report) -> list[tuple[str, object]]:
    """Every published value of the count tables (not labels, percentages or medians)."""
    values: list[tuple[str, object]] = []
    skip = {"net_widening", "time_in_cohort", "recording_quality"}
    for table in report.tables:
        if table.table_id in skip:
            continue
        first = 2 if table.table_id == "cohort_size_by_month" else 1
        values += [(table.table_id, v) for row in table.rows for v in row[first:]]
    return values


facts = st.lists(
    st.tuples(
        st.sampled_from(
            [
                Fact(Measure.COHORT_NET, "2026-01", area="gwent", cohort="FIXED"),
                Fact(Measure.COHORT_NET, "2026-02", area="dyfed-powys", cohort="FLEX"),
                Fact(Measure.ENROLMENTS, "2026-02", area="gwent", cohort="FREE"),
                Fact(Measure.DESELECTIONS, "2026-02", area="gwent", cohort="FIXED"),
                disclosed("gwent-police", "probation-wales", purpose="p", legal_basis="b"),
                disclosed(
                    "probation-wales",
                    "dyfed-powys-police",
                    "2026-02",
                    "dyfed-powys",
                    event_type="breach",
                    purpose="p",
                    legal_basis="c",
                ),
                refused("gwent-police", "probation-wales", "2026-02"),
                Fact(Measure.RECEIVED, "2026-01", area="gwent", agency="gwent-police"),
                dead_lettered("gwent-police", "2026-02"),
            ]
        ),
        st.integers(min_value=1, max_value=12),
    ),
    max_size=20,
)


@settings(max_examples=100, deadline=None)
@given(facts)
def test_no_table_of_a_report_shows_a_count_from_1_to_4(counted: list[tuple[Fact, int]]) -> None:
    """Whatever the traffic, every published count is [c], 0 or at least 5."""
    report = build_report(counted, "2026-01", "2026-02", AREAS, AGENCY_AREAS)
    for table_id, value in _counts(report):
        assert value is None or not (isinstance(value, int) and 1 <= value <= 4), table_id


def test_time_in_cohort_is_shown_from_ten_people() -> None:
    """Nine exits give a [c] median; ten give the median in days."""

    def exits(people: int) -> list[tuple[Fact, int]]:
        return [
            (Fact(Measure.TIME_IN_COHORT, "2026-02", area="gwent", cohort="FIXED", days=30 + i), 1)
            for i in range(people)
        ] + [(Fact(Measure.DESELECTIONS, "2026-02", area="gwent", cohort="FIXED"), people)]

    nine = build_report(exits(9), "2026-02", "2026-02", AREAS, AGENCY_AREAS)
    ten = build_report(exits(10), "2026-02", "2026-02", AREAS, AGENCY_AREAS)
    assert nine.table("time_in_cohort").rows == (("gwent", "FIXED", 9, None, None, None),)
    assert ten.table("time_in_cohort").rows == (("gwent", "FIXED", 10, 32.25, 34.5, 36.75),)


def test_cohort_size_at_month_end_adds_up_every_change_before_it() -> None:
    """20 joined in January, 6 left in February: 14 at the end of February."""
    counted = [
        (Fact(Measure.COHORT_NET, "2026-01", area="gwent", cohort="FIXED"), 20),
        (Fact(Measure.COHORT_NET, "2026-02", area="gwent", cohort="FIXED"), -6),
        (Fact(Measure.COHORT_NET, "2026-01", area="dyfed-powys", cohort="FIXED"), 30),
    ]
    report = build_report(counted, "2026-02", "2026-02", AREAS, AGENCY_AREAS)
    assert report.table("cohort_size").rows[0] == ("gwent", 14, 0, 0, 14)


def test_net_widening_is_flagged_above_the_threshold() -> None:
    """A Gwent cohort growing from 20 to 25 (25%) is flagged at a 10% threshold."""
    counted = [
        (Fact(Measure.COHORT_NET, "2026-01", area="gwent", cohort="FIXED"), 20),
        (Fact(Measure.COHORT_NET, "2026-02", area="gwent", cohort="FLEX"), 5),
    ]
    report = build_report(
        counted, "2026-01", "2026-02", ["gwent"], AGENCY_AREAS, threshold_percent=10
    )
    february = report.table("net_widening").rows[-1]
    assert february == ("2026-02", "gwent", 25, 25.0, 20.0, "flag")


def test_a_dpo_sees_only_flows_involving_their_agency() -> None:
    """Dyfed-Powys Police's DPO does not see Gwent Police's disclosures to probation."""
    counted = [
        (disclosed("gwent-police", "probation-wales"), 9),
        (disclosed("dyfed-powys-police", "probation-wales", area="dyfed-powys"), 7),
    ]
    scope = Scope(agency="dyfed-powys-police")
    report = build_report(counted, "2026-01", "2026-01", AREAS, AGENCY_AREAS, scope)
    flows = report.table("sharing_flows")
    assert flows.rows == (("dyfed-powys-police", 7, 7), ("Total", 7, 7))


def test_dead_letters_by_reason_cannot_be_subtracted_from_records_received() -> None:
    """One record decided and 5 dead-lettered: protected on its own, records received hides
    1 and 5 but shows the 6, and the reasons table shows the 5 (6 - 5 = 1). Published
    together, the 5 is shown in both or hidden in both, and never beside the 6."""
    counted = [
        (Fact(Measure.RECEIVED, "2026-01", area="gwent", agency="gwent-police"), 1),
        (dead_lettered("gwent-police"), 5),
    ]
    report = build_report(counted, "2026-01", "2026-01", AREAS, AGENCY_AREAS)

    received = report.table("records_received").rows[0]
    reasons = report.table("dead_letters_reason").rows[0]
    assert received[1] is None
    assert received[2] == reasons[-1], "the dead letters' total is the same in both tables"
    assert received[2] is None or received[3] is None


def test_an_area_total_hidden_in_one_sharing_table_is_hidden_in_the_others() -> None:
    """Disclosures by legal basis and by purpose share each area's total and the grand total.
    Protected on its own, the legal basis table shows Dyfed-Powys's 5 and the purpose table
    the grand total of 6 (so Gwent's is 1); published together, each total is shown in all
    of them or hidden in all of them."""

    counted = [
        (disclosed("gwent-police", "probation-wales", legal_basis="b", purpose="p"), 1),
        (
            disclosed(
                "dyfed-powys-police",
                "probation-wales",
                area="dyfed-powys",
                legal_basis="c",
                purpose="p",
            ),
            5,
        ),
    ]
    report = build_report(counted, "2026-01", "2026-01", AREAS, AGENCY_AREAS)

    totals = {
        table_id: report.table(table_id).rows[-1]
        for table_id in ("sharing_legal_basis", "sharing_purpose", "sharing_event_type")
    }
    for column in range(1, 4):
        shown = {row[column] is None for row in totals.values()}
        assert len(shown) == 1, (column, totals)
