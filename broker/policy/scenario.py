"""Scenario files: an event in, the decisions and fields expected out, in words a DPO reads.

```yaml
scenario: A breach is shared with the police, without the reason
description: One sentence saying what this example shows.
subject: {cohort: FIXED, area: gwent, identifiers: {crn: X1, pnc_id: "2019/1A"}}
event:
  type: breach
  from: probation-wales
  subject: {crn: X1}
  payload: {order_type: LICENCE, breach_reason: Missed appointment, action: WARNING}
expect:
  gwent-police:
    shared: true
    rule: probation-breach-to-police
    fields: {subject.pnc_id: "2019/1A", payload.order_type: LICENCE, payload.action: WARNING}
  newport-housing: {shared: false, reason: no_rule}
```

Leave out ``subject`` for someone who is not in IOM. Every recipient decided must be listed;
``fields`` lists exactly what the recipient receives (after transforms), nothing else; write
``(pseudonym)`` for a pseudonymised value, since pseudonyms depend on the deployment's key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from broker.domain.subject import IDENTIFIER_TYPES, SubjectIdentifiers, SubjectRecord
from broker.policy.engine import Routed
from broker.policy.parse_helpers import Collector
from broker.policy.problems import PolicyError, Problem
from broker.policy.transforms import PSEUDONYM_PREFIX
from broker.policy.yaml_source import LineDict, parse_yaml

SCENARIO_KEYS = ("scenario", "description", "subject", "event", "expect", "decided_at")
EXPECT_KEYS = ("shared", "rule", "reason", "purpose", "legal_basis", "fields")
DEFAULT_TIME = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
#: Expected value meaning "a pseudonym" (they depend on the deployment's key).
PSEUDONYM = "(pseudonym)"


@dataclass(frozen=True)
class Expectation:
    """What one recipient should get."""

    recipient: str
    shared: bool
    line: int
    rule: str | None = None
    reason: str | None = None
    purpose: str | None = None
    legal_basis: str | None = None
    fields: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Scenario:
    """One parsed scenario file."""

    name: str
    description: str
    source: str
    subject: SubjectRecord | None
    event: Mapping[str, Any]
    event_line: int
    decided_at: datetime
    expectations: tuple[Expectation, ...]


def parse_scenario(text: str, source: str) -> Scenario:
    """Parse a scenario; raise PolicyError listing every structural problem."""
    out = Collector(source)
    data = parse_yaml(text, source)
    out.unknown_keys(data, SCENARIO_KEYS, "a scenario")
    name = out.text(data, "scenario", "the scenario") or ""
    description = out.text(data, "description", "the scenario") or ""
    event = data.get("event")
    if not isinstance(event, LineDict):
        out.error(data.line_of("event"), "'event' must be a mapping with type, from, payload")
        event = LineDict()
        event.line, event.key_lines = data.line, {}
    subject = _subject(out, data.get("subject"), data.line_of("subject"))
    expect = data.get("expect")
    expectations: list[Expectation] = []
    if not isinstance(expect, LineDict) or not expect:
        out.error(data.line_of("expect"), "'expect' must map each recipient to what it gets")
    else:
        expectations = [_expectation(out, expect, recipient) for recipient in expect]
    decided = data.get("decided_at", DEFAULT_TIME)
    if not isinstance(decided, datetime):
        out.error(data.line_of("decided_at"), f"'decided_at' must be a time, not {decided!r}")
        decided = DEFAULT_TIME
    if out.problems:
        raise PolicyError.from_problems(out.problems)
    return Scenario(
        name,
        description,
        source,
        subject,
        event,
        event.line,
        _aware(decided),
        tuple(expectations),
    )


def compare(scenario: Scenario, routed: Sequence[Routed]) -> list[Problem]:
    """Where the policy's outcome differs from what the scenario expects (empty: it passes)."""
    out = Collector(scenario.source)
    by_recipient = {r.decision.recipient: r for r in routed}
    expected = {e.recipient: e for e in scenario.expectations}
    for recipient in by_recipient.keys() - expected.keys():
        got = by_recipient[recipient].decision
        outcome = "shared" if got.permitted else f"refused ({got.reason})"
        out.error(0, f"scenario {scenario.name!r}: {recipient!r} is {outcome} but not expected")
    for recipient, expectation in expected.items():
        found = by_recipient.get(recipient)
        if found is None:
            out.error(expectation.line, f"no decision was made for {recipient!r}")
            continue
        for message in _differences(expectation, found):
            out.error(expectation.line, f"{recipient!r}: {message}")
    return out.problems


def parse_subject(value: Any, source: str, line: int) -> SubjectRecord | None:
    """A scenario-style ``subject`` section (None: not in IOM); raise PolicyError if wrong."""
    out = Collector(source)
    subject = _subject(out, value, line)
    if out.problems:
        raise PolicyError.from_problems(out.problems)
    return subject


def delivered_fields(routed: Routed) -> dict[str, Any]:
    """The non-null fields a recipient receives, as dotted paths."""
    if routed.delivery is None:
        return {}
    fields: dict[str, Any] = {}
    subject = routed.delivery["envelope"].get("subject") or {}
    fields.update({f"subject.{k}": v for k, v in subject.items() if v is not None})
    payload = routed.delivery["payload"]
    fields.update({f"payload.{k}": v for k, v in payload.items() if v is not None})
    return fields


def _differences(expectation: Expectation, routed: Routed) -> list[str]:
    decision = routed.decision
    problems = []
    if decision.permitted != expectation.shared:
        outcome = "shared" if decision.permitted else f"refused ({decision.reason})"
        wanted = "shared" if expectation.shared else "refused"
        return [f"expected {wanted}, but it is {outcome}"]
    checks: dict[str, tuple[str | None, str | None]] = {
        "rule": (expectation.rule, decision.rule_id),
        "reason": (expectation.reason, decision.reason),
        "purpose": (expectation.purpose, decision.purpose),
        "legal_basis": (expectation.legal_basis, decision.legal_basis),
    }
    for key, (expected, actual) in checks.items():
        if expected is not None and expected != actual:
            problems.append(f"expected {key} {expected!r}, got {actual!r}")
    if expectation.fields is not None:
        got_fields = {k: _plain(v) for k, v in delivered_fields(routed).items()}
        wanted_fields = {k: _plain(v) for k, v in expectation.fields.items()}
        for name in sorted(got_fields.keys() - wanted_fields.keys()):
            problems.append(f"receives {name!r} = {got_fields[name]!r}, which is not expected")
        for name in sorted(wanted_fields.keys() - got_fields.keys()):
            problems.append(f"expected {name!r} = {wanted_fields[name]!r}, but it is not sent")
        for name in sorted(wanted_fields.keys() & got_fields.keys()):
            if wanted_fields[name] == PSEUDONYM and str(got_fields[name]).startswith(
                PSEUDONYM_PREFIX
            ):
                continue
            if wanted_fields[name] != got_fields[name]:
                problems.append(
                    f"expected {name!r} = {wanted_fields[name]!r}, got {got_fields[name]!r}"
                )
    return problems


def _subject(out: Collector, value: Any, line: int) -> SubjectRecord | None:
    if value is None:
        return None
    if not isinstance(value, LineDict):
        out.error(line, "'subject' must be a mapping (cohort, area, identifiers...)")
        return None
    out.unknown_keys(
        value,
        ("cohort", "area", "enrolled", "supervision", "consents", "identifiers", "lead_agency"),
        "the scenario subject",
    )
    identifiers = value.get("identifiers") or {}
    consents = value.get("consents") or {}
    if not isinstance(identifiers, Mapping) or not set(identifiers) <= set(IDENTIFIER_TYPES):
        out.error(value.line_of("identifiers"), f"'identifiers' may name {IDENTIFIER_TYPES}")
        identifiers = {}
    if not isinstance(consents, Mapping):
        out.error(value.line_of("consents"), "'consents' must map purposes to given/withdrawn")
        consents = {}
    return SubjectRecord(
        subject_ref="subj-scenario",
        cohort=str(value.get("cohort", "FIXED")),
        enrolled=bool(value.get("enrolled", True)),
        identifiers=SubjectIdentifiers.from_mapping(identifiers),
        updated_at=DEFAULT_TIME,
        lead_agency=value.get("lead_agency"),
        area=value.get("area"),
        supervision=value.get("supervision"),
        consents=tuple((str(k), str(v)) for k, v in consents.items()),
    )


def _expectation(out: Collector, expect: LineDict, recipient: str) -> Expectation:
    line = expect.line_of(recipient)
    item = expect[recipient]
    if not isinstance(item, LineDict) or not isinstance(item.get("shared"), bool):
        out.error(line, f"{recipient!r} needs 'shared: true' or 'shared: false'")
        return Expectation(recipient, False, line)
    out.unknown_keys(item, EXPECT_KEYS, f"the expectation for {recipient!r}")
    fields = item.get("fields")
    if fields is not None and not isinstance(fields, Mapping):
        out.error(item.line_of("fields"), "'fields' must map field names to values")
        fields = None
    text = {k: (str(item[k]) if item.get(k) is not None else None) for k in EXPECT_KEYS[1:5]}
    return Expectation(recipient, item["shared"], line, fields=fields, **text)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return _aware(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value if isinstance(value, bool | int | float) else str(value)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
