"""Simulation replays traffic through two versions and reports flows that start, stop or change."""

from __future__ import annotations

from broker.policy.simulate import FlowChange
from broker.policy_admin.traffic_replay import events_from_file, simulate
from tests.unit.policy.support import POLICIES, codec, compiled, shipped, shipped_source

TRAFFIC = POLICIES / "traffic" / "sample-month.yaml"


def proposed(edit: tuple[str, str], file: str = "agreements/wales-iom-baseline.yaml") -> object:
    """The shipped policy with one edit to one agreement, compiled."""
    files = dict(shipped_source().files)
    files[file] = files[file].replace(*edit)
    agreements = [
        (k.removeprefix("agreements/"), v) for k, v in files.items() if k.startswith("agreements/")
    ]
    return compiled(*agreements)


def test_the_same_policy_changes_nothing() -> None:
    """Replaying under identical versions reports no difference."""
    report = simulate(events_from_file(TRAFFIC, codec()), shipped(), shipped())
    assert report.changes == () and report.events == 10 and report.decisions == 40


def test_removing_a_flow_reports_it_as_stopping_with_counts() -> None:
    """Keeping breach warnings from the police everywhere stops the Gwent warning, once."""
    fields = "    fields: [subject.pnc_id, payload.order_type, payload.action]\n"
    candidate = proposed((fields, fields + "    when: payload.action != 'WARNING'\n"))
    report = simulate(events_from_file(TRAFFIC, codec()), shipped(), candidate)  # type: ignore[arg-type]
    assert [(c.source, c.recipient, c.event_type, c.change, c.count) for c in report.changes] == [
        ("probation-wales", "gwent-police", "breach", "stops", 1)
    ]
    assert report.changes[0].detail == (
        "was rule probation-breach-to-police; now refused (condition_false)"
    )


def test_a_changed_transform_is_reported_as_a_field_change() -> None:
    """Sharing the full postcode instead of the district shows which field changes."""
    candidate = proposed(
        ("    transform:\n      payload.postcode: generalise\n", ""),
    )
    report = simulate(events_from_file(TRAFFIC, codec()), shipped(), candidate)  # type: ignore[arg-type]
    assert report.changes == ()  # Gwent's local rule already shares the full postcode
    candidate = proposed(
        ("      - payload.address_line\n", ""), file="agreements/gwent-iom-isp.yaml"
    )
    report = simulate(events_from_file(TRAFFIC, codec()), shipped(), candidate)  # type: ignore[arg-type]
    assert report.changes == (
        FlowChange(
            "newport-housing",
            "probation-wales",
            "accommodation_change",
            "changes",
            "-payload.address_line",
            1,
        ),
    )


def test_a_new_flow_is_reported_as_starting() -> None:
    """Giving Gwent housing arrests starts a flow, listing the fields it would receive."""
    extra = """\
  - id: gwent-arrest-to-housing
    from: gwent-police
    to: newport-housing
    events: [arrest]
    purpose: housing_support
    legal_basis: dpa2018_part3_s35
    fields: [subject.crn, payload.offence_category]
    retention: P1Y
"""
    candidate = proposed(("rules:\n", "rules:\n" + extra), file="agreements/gwent-iom-isp.yaml")
    report = simulate(events_from_file(TRAFFIC, codec()), shipped(), candidate)  # type: ignore[arg-type]
    assert [(c.recipient, c.change, c.count, c.detail) for c in report.changes] == [
        (
            "newport-housing",
            "starts",
            1,
            "rule gwent-arrest-to-housing: subject.crn, payload.offence_category",
        )
    ]
