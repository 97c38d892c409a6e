"""The simulation table: each changed flow with before/after terms and fields added/removed."""

from __future__ import annotations

from broker.domain.decision import DENY_NO_RULE, Decision
from broker.policy.simulate import DecisionPair, compare_decisions
from broker.web.changed_flows import FlowTerms, changed_flows

V1, V2 = "sha256:1", "sha256:2"


def _shared(fields: tuple[str, ...], rule: str = "r1", retention: str = "P1Y") -> Decision:
    return Decision(
        "gdas",
        True,
        V1,
        rule_id=rule,
        purpose="p",
        legal_basis="lb",
        fields=fields,
        retention=retention,
    )


def _refused() -> Decision:
    return Decision.deny("gdas", V1, DENY_NO_RULE)


def _pair(current: Decision, proposed: Decision) -> DecisionPair:
    return DecisionPair("probation-wales", "breach", current, proposed)


PAIRS = [
    _pair(_refused(), _shared(("subject.crn", "payload.order_type"))),
    _pair(_refused(), _shared(("subject.crn", "payload.order_type"))),
    _pair(_shared(("subject.crn", "payload.action")), _shared(("subject.crn",))),
    _pair(_shared(("subject.crn",)), _refused()),
    _pair(_shared(("subject.crn",)), _shared(("subject.crn",), retention="P2Y")),
    _pair(_shared(("subject.crn",)), _shared(("subject.crn",))),
    _pair(_refused(), _refused()),
]


def test_rows_say_before_after_and_which_fields_change() -> None:
    """A flow that starts lists its new fields; one that narrows lists the field it loses."""
    rows = {(r.before.shared, r.after.shared, r.fields_removed): r for r in changed_flows(PAIRS)}
    starts = rows[(False, True, ())]
    assert starts.count == 2
    assert starts.before == FlowTerms(False, reason=DENY_NO_RULE)
    assert starts.after.rule_id == "r1"
    assert starts.fields_added == ("payload.order_type", "subject.crn")
    narrows = rows[(True, True, ("payload.action",))]
    assert narrows.fields_added == () and narrows.count == 1
    stops = rows[(True, False, ("subject.crn",))]
    assert stops.after.reason == DENY_NO_RULE


def test_counts_match_the_api_simulation() -> None:
    """The table counts exactly the decisions the API's simulation reports as changed."""
    report = compare_decisions(PAIRS, 7, V1, V2)
    rows = changed_flows(PAIRS)
    assert sum(r.count for r in rows) == report.changed_decisions == 5
    retention = [r for r in rows if r.after.retention == "P2Y"]
    assert len(retention) == 1 and retention[0].before.retention == "P1Y"
