"""Fuzzing policies: mangled agreements and random CEL conditions give problems or decisions.

A policy text is the DPOs' own document, so problems may quote it; what must hold is that
nothing crashes or hangs, every problem is one ``file:line: message`` line, and a condition
that fails at run time denies.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from broker.domain.decision import DENY_EVALUATION_ERROR
from broker.domain.event import Event
from broker.policy.build import build_policy, check_policy
from broker.policy.conditions import ConditionError, compile_condition
from broker.policy.problems import PolicyError
from broker.settings import PROJECT_ROOT
from tests.unit.fuzz.budget import FUZZ, FUZZ_SLOW, assert_clean_message
from tests.unit.policy.support import (
    IDENTIFIERS,
    NOW,
    agreement_text,
    context,
    engine,
    person,
    source,
)
from tests.unit.policy.test_properties import events

AGREEMENTS = sorted((PROJECT_ROOT / "policies" / "agreements").glob("*.yaml"))
TOKENS = st.sampled_from(
    [
        "payload.offence_category", "payload.location_postcode", "subject.cohort", "subject",
        "subject.consents.iom_case_management", "subject.consents", "event.occurred_at", "now",
        "event.type", "payload", "payload.nope", "size(", "has(", ").exists(x, ", "x", ".all(",
        "timestamp('2026-01-01T00:00:00Z')", "duration('24h')", "int(", "string(", "1", "0",
        "-1", "1.5", "9223372036854775807", "'Theft'", '"a"', "b'\\x00'", "null", "true",
        "[", "]", "{", "}", ":", ",", "(", ")", ".", "?", "==", "!=", "<", ">=", "+", "-", "*",
        "/", "%", "&&", "||", "!", " in ", "matches('^.*$')", ".startsWith(", "\\", "'''", "\n",
    ]
)  # fmt: skip
CONDITIONS = st.lists(TOKENS, max_size=12).map(" ".join) | st.text(max_size=40)


def rule_with(condition: str) -> str:
    """An arrest rule whose ``when:`` is ``condition`` (quoted so YAML keeps it verbatim)."""
    return (
        "  - id: fuzzed\n    from: gwent-police\n    to: probation-wales\n"
        "    events: [arrest]\n    purpose: iom_case_management\n"
        "    legal_basis: dpa2018_part3_s35\n    fields: [subject.crn]\n    retention: P1Y\n"
        f"    when: {json.dumps(condition)}\n"
    )


@FUZZ
@given(CONDITIONS)
def test_a_random_condition_compiles_or_gives_one_line(condition: str) -> None:
    """Any text as a CEL condition compiles or raises a one-line ConditionError."""
    try:
        compile_condition(condition)
    except ConditionError as error:
        assert_clean_message(str(error))


@FUZZ_SLOW
@given(CONDITIONS, events("arrest"))
def test_a_random_condition_is_refused_by_validation_or_decides(
    condition: str, event: Event
) -> None:
    """A rule with a random condition is refused with problems, or every evaluation decides."""
    policy_source = source(("fuzz.yaml", agreement_text(rule_with(condition))))
    try:
        compiled, _ = build_policy(policy_source, context())
    except PolicyError as error:
        for problem in error.problems:
            assert_clean_message(str(problem))
        return
    outcomes = engine(compiled).route(event, person(), IDENTIFIERS, NOW)
    decided = {outcome.decision.recipient: outcome.decision for outcome in outcomes}
    decision = decided["probation-wales"]
    assert decision.permitted or decision.reason is not None
    if decision.reason == DENY_EVALUATION_ERROR:
        assert outcomes and not any(
            o.delivery for o in outcomes if o.decision.recipient == "probation-wales"
        )


def edit(text: str, position: int, replacement: str, cut: int) -> str:
    """``text`` with ``cut`` characters at ``position`` replaced by ``replacement``."""
    position %= len(text) + 1
    return text[:position] + replacement + text[position + cut :]


YAML_BITS = st.sampled_from(
    ["", ":", "- ", "\n", "  ", "\t", "[", "]", "{", "}", "&a", "*a", "!!python/object", "'",
     '"', "#", "|", ">", "~", "null", "2026-13-45", "P-1Y", "yes", "---\n", "\x00", "\u2028"]
) | st.text(max_size=5)  # fmt: skip


EDITS = st.lists(st.tuples(st.integers(0, 20_000), YAML_BITS, st.integers(0, 6)), max_size=4)


@FUZZ_SLOW
@given(st.sampled_from(AGREEMENTS), EDITS.filter(bool))
def test_a_mangled_agreement_gives_problems_never_a_crash(
    path: Path, edits: list[tuple[int, str, int]]
) -> None:
    """Any edits to a shipped agreement are parsed and validated into one-line problems."""
    text = path.read_text(encoding="utf-8")
    for change in edits:
        text = edit(text, *change)
    _, problems = check_policy(source((path.name, text)), context())
    for problem in problems:
        assert_clean_message(str(problem), payload="\x00never-planted\x00")
