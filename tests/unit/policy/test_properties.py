"""Properties that must hold for any agreement and any event: minimisation and failing closed."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from broker.catalogue.catalogue import default_catalogue
from broker.domain.decision import DENY_CONDITION_FALSE, DENY_EVALUATION_ERROR
from broker.domain.event import Event
from broker.policy.compiled import compile_tables
from broker.policy.condition_context import condition_context, merge_reads
from broker.policy.conditions import ConditionError, compile_condition
from broker.policy.engine import ENVELOPE_FIELDS, CompiledPolicy
from broker.policy.event_fields import FieldInfo
from broker.policy.policy_set import parse_policy_set
from broker.policy.scenario import delivered_fields
from broker.policy.transforms import transform_problem
from tests.unit.policy.support import (
    IDENTIFIERS,
    NOW,
    agreement_text,
    codec,
    context,
    engine,
    person,
    shipped,
    single,
    source,
)
from tests.unit.policy.support import event as example

PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
EVENT_TYPES = default_catalogue().event_types()
SOURCES = {
    "arrest": "gwent-police",
    "charge": "gwent-police",
    "custody_release": "gwent-police",
    "accommodation_change": "newport-housing",
    "appointment": "aneurin-bevan-uhb",
}
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
TIMES = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC)
).map(lambda t: t.replace(microsecond=0))


def value_for(info: FieldInfo) -> st.SearchStrategy[Any]:
    """Values an agency could send in this field (null too, when the field is optional)."""
    strategies: dict[str, st.SearchStrategy[Any]] = {
        "string": TEXT | st.sampled_from(["NP20 1AA", "SA15", "Theft"]),
        "enum": st.sampled_from(info.symbols or ("X",)),
        "date": st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)),
        "timestamp": TIMES,
        "int": st.integers(-1000, 1000),
        "long": st.integers(-1000, 1000),
        "boolean": st.booleans(),
    }
    base = strategies.get(info.kind, st.none())
    return st.none() | base if info.optional else base


@st.composite
def events(draw: st.DrawFn, event_type: str) -> Event:
    """A valid event of ``event_type`` with arbitrary payload values."""
    fields = context().event_fields[event_type]
    payload = {
        info.name: draw(value_for(info)) for info in fields.values() if info.section == "payload"
    }
    record = {
        "envelope": {
            "event_id": "6f1d1e58-2c7a-4c1e-9d54-0e6f7f1b9a10",
            "event_type": event_type,
            "occurred_at": draw(TIMES),
            "source_agency": SOURCES.get(event_type, "probation-wales"),
            "subject": {"crn": "X1", "pnc_id": None, "noms_number": None, "nhs_number": None},
            "schema_version": default_catalogue().latest(event_type).version,
        },
        "payload": payload,
    }
    decoded = codec().decode_event(codec().encode_event(record))
    return Event.from_record(decoded.schema_id, decoded.record)


@st.composite
def rules_and_events(draw: st.DrawFn) -> tuple[str, tuple[str, ...], Event]:
    """A random rule (fields, transforms) sharing a random event, and such an event."""
    event_type = draw(st.sampled_from(EVENT_TYPES))
    fields = context().event_fields[event_type]
    chosen = draw(st.lists(st.sampled_from(sorted(fields)), min_size=1, unique=True))
    transforms = {}
    for name in chosen:
        options = [
            t
            for t in ("drop", "mask", "generalise", "pseudonymise")
            if not transform_problem(t, fields[name], fields)
        ]
        pick = draw(st.none() | st.sampled_from(options)) if options else None
        if pick:
            transforms[name] = pick
    source_agency = SOURCES.get(event_type, "probation-wales")
    recipient = "gdas" if source_agency != "gdas" else "probation-wales"
    rule = (
        "  - id: random-rule\n"
        f"    from: {source_agency}\n"
        f"    to: {recipient}\n"
        f"    events: [{event_type}]\n"
        "    purpose: iom_case_management\n"
        "    legal_basis: ukgdpr_6_1_e_9_2_g_sch1\n"
        f"    fields: [{', '.join(chosen)}]\n"
        "    retention: P1Y\n"
    )
    if transforms:
        rule += "    transform:\n" + "".join(f"      {k}: {v}\n" for k, v in transforms.items())
    return rule, tuple(chosen), draw(events(event_type))


@PROPERTY_SETTINGS
@given(rules_and_events())
def test_no_field_outside_the_rules_fields_ever_reaches_a_recipient(
    case: tuple[str, tuple[str, ...], Event],
) -> None:
    """Whatever a rule lists and whatever the event holds, nothing unlisted is delivered."""
    rule, fields, event = case
    for outcome in engine(single(rule)).route(event, person(), IDENTIFIERS, NOW):
        if outcome.delivery is None:
            continue
        assert set(delivered_fields(outcome)) <= set(fields)
        assert set(outcome.delivery["envelope"]) == {*ENVELOPE_FIELDS, "subject"}
        codec().encode_delivery(event.event_type, outcome.delivery)


@PROPERTY_SETTINGS
@given(
    st.sampled_from(EVENT_TYPES).flatmap(events),
    st.sampled_from(["gwent", "dyfed-powys", "Newport", "nowhere"]),
    st.sampled_from(["FIXED", "FLEX", "FREE"]),
    st.sampled_from([(), (("substance_misuse_treatment", "given"),)]),
)
def test_the_shipped_policy_sends_only_what_the_deciding_rule_lists(
    event: Event, area: str, cohort: str, consents: tuple[tuple[str, str], ...]
) -> None:
    """Under the shipped agreements every delivery is within its rule, never clinical notes."""
    rules = {rule.rule_id: rule for rule in shipped().policy.rules()}
    subject = person(area=area, cohort=cohort, consents=consents)
    for outcome in engine().route(event, subject, IDENTIFIERS, NOW):
        if outcome.delivery is None:
            continue
        rule = rules[str(outcome.decision.rule_id)]
        assert set(delivered_fields(outcome)) <= set(rule.shared_fields)
        assert "payload.clinical_notes" not in delivered_fields(outcome)


ATOMS = st.sampled_from(
    [
        "payload.offence_category",
        "payload.location_postcode",
        "payload.custody_suite",
        "subject.cohort",
        "subject.consents.iom_case_management",
        "event.occurred_at",
        "now",
        "1",
        "0",
        "'Theft'",
        "null",
        "size(payload.custody_suite)",
    ]
)


def expressions() -> st.SearchStrategy[str]:
    """CEL expressions over an arrest, many of which fail at run time (types, nulls, division)."""
    comparisons = st.tuples(ATOMS, st.sampled_from(["==", "!=", "<", ">=", "+", "/"]), ATOMS).map(
        lambda t: f"({t[0]} {t[1]} {t[2]})"
    )
    calls = st.tuples(ATOMS, st.sampled_from(["startsWith", "contains"]), ATOMS).map(
        lambda t: f"{t[0]}.{t[1]}({t[2]})"
    )
    leaves = comparisons | calls
    return st.recursive(
        leaves,
        lambda inner: (
            st.tuples(inner, st.sampled_from(["&&", "||"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            )
            | inner.map(lambda e: f"!{e}")
        ),
        max_leaves=4,
    )


def unchecked_policy(condition: str) -> CompiledPolicy:
    """A one-rule policy compiled without validation, so conditions may fail at run time."""
    rule = (
        "  - id: conditional\n    from: gwent-police\n    to: probation-wales\n"
        "    events: [arrest]\n    purpose: iom_case_management\n"
        "    legal_basis: dpa2018_part3_s35\n    fields: [subject.crn]\n    retention: P1Y\n"
        f"    when: {condition!r}\n"
    )
    policy_set, problems = parse_policy_set(source(("c.yaml", agreement_text(rule))))
    assert policy_set is not None, problems
    tables = compile_tables(policy_set, context().agencies, context().event_fields)
    return CompiledPolicy(policy_set, tables)


@PROPERTY_SETTINGS
@given(expressions(), events("arrest"), st.sampled_from(["FIXED", "FLEX"]))
def test_deny_whenever_evaluation_errors(expression: str, event: Event, cohort: str) -> None:
    """A condition that errors denies; true permits; false refuses with condition_false."""
    try:
        condition = compile_condition(expression)
    except ConditionError:
        assume(False)
        raise
    subject = person(cohort=cohort)
    cel_context = condition_context(
        merge_reads([condition]), event, subject, "gwent", NOW, ["iom_case_management"]
    )
    try:
        expected: str | bool = condition.holds(cel_context)
    except ConditionError:
        expected = "error"
    policy = unchecked_policy(expression)
    (decision,) = [
        d for d in policy.evaluate(event, subject, NOW) if d.recipient == "probation-wales"
    ]
    if expected == "error":
        assert not decision.permitted and decision.reason == DENY_EVALUATION_ERROR
    elif expected is True:
        assert decision.permitted
    else:
        assert not decision.permitted and decision.reason == DENY_CONDITION_FALSE


@PROPERTY_SETTINGS
@given(
    st.dictionaries(
        st.sampled_from(["offence_category", "offence_description", "custody_suite", "junk"]),
        st.none() | st.integers() | TEXT | st.lists(st.integers(), max_size=2),
    )
)
def test_a_malformed_event_never_raises_and_never_half_shares(payload: dict[str, Any]) -> None:
    """Whatever a payload holds, routing returns a decision per recipient and never raises."""
    good = example("arrest")
    event = Event(
        good.event_id,
        "arrest",
        good.occurred_at,
        "gwent-police",
        good.subject,
        1,
        {"envelope": good.record["envelope"], "payload": payload},
    )
    rules = (
        "  - id: r\n    from: gwent-police\n    to: probation-wales\n    events: [arrest]\n"
        "    purpose: iom_case_management\n    legal_basis: dpa2018_part3_s35\n"
        "    fields: [subject.crn, payload.offence_description]\n    retention: P1Y\n"
        "    transform: {payload.offence_description: generalise}\n"
        "    when: payload.custody_suite != 'x'\n"
    )
    for outcome in engine(single(rules)).route(event, person(), IDENTIFIERS, NOW):
        if outcome.delivery is not None:
            assert set(delivered_fields(outcome)) <= {"subject.crn", "payload.offence_description"}
