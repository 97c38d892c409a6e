"""Rule conditions (``when:``) in CEL, the Common Expression Language.

A condition sees four variables:

- ``event``: ``type``, ``source``, ``occurred_at`` (timestamp), ``schema_version``;
- ``payload``: the event's payload fields (dates as timestamps at midnight UTC);
- ``subject``: ``cohort`` (FIXED/FLEX/FREE), ``enrolled``, ``area``, ``supervision``,
  ``lead_agency`` and ``consents`` (purpose -> ``given`` / ``withdrawn`` / ``none``);
- ``now``: the time of the decision.

CEL has no static type checker in the library used (cel-rust), so a condition is checked in
two ways: every name it reads must exist (for every event type of its rule), and it is run on
typed sample values of each event type, which must give true or false. At run time any error
is a deny (the engine's caller never sees an exception from here unless it asked to).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import cel

from broker.policy.event_fields import FieldInfo

VARIABLES = ("event", "payload", "subject", "now")
EVENT_KEYS = ("type", "source", "occurred_at", "schema_version")
SUBJECT_KEYS = ("cohort", "enrolled", "area", "supervision", "lead_agency", "consents")
CONSENT_GIVEN, CONSENT_WITHDRAWN, CONSENT_NONE = "given", "withdrawn", "none"
SAMPLE_TIME = datetime(2026, 1, 1, tzinfo=UTC)

_STRING = re.compile(
    r"""[rRbB]{0,2}(?:\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')"""
)
_IDENTIFIER = re.compile(r"(?<![\w.])([A-Za-z_]\w*)\b(?!\s*\()")
_MACRO_VARIABLE = re.compile(r"\.\s*(?:all|exists|exists_one|map|filter)\s*\(\s*([A-Za-z_]\w*)\s*,")
_SELECT = re.compile(r"(?<![\w.])(event|payload|subject)\s*\.\s*([A-Za-z_]\w*)")
_WHOLE = re.compile(r"(?<![\w.])(event|payload|subject)\b(?!\s*\.\s*[A-Za-z_])")
_CONSENT = re.compile(r"(?<![\w.])subject\s*\.\s*consents\s*\.\s*([A-Za-z_]\w*)")
_RESERVED = frozenset(
    {"true", "false", "null", "in", "int", "uint", "double", "bool", "string", "bytes", "list"}
    | {"map", "null_type", "type", "dyn"}
)


class ConditionError(ValueError):
    """A condition cannot be compiled or evaluated; the message is one line."""


@dataclass(frozen=True)
class Condition:
    """A compiled condition and the fields it reads (None: it reads the whole variable)."""

    text: str
    program: cel.Program
    reads: Mapping[str, frozenset[str] | None]

    def holds(self, context: cel.Context) -> bool:
        """Run the condition; raise ConditionError on an error or a non-boolean result."""
        try:
            result = self.program.execute(context)
        except Exception as error:  # cel raises ValueError, TypeError, KeyError, RuntimeError...
            raise ConditionError(_first_line(error)) from None
        if not isinstance(result, bool):
            raise ConditionError(f"gives {type(result).__name__}, not true or false")
        return result


def compile_condition(text: str) -> Condition:
    """Parse a condition; raise ConditionError with the CEL syntax error on one line."""
    try:
        program = cel.compile(text)
    except Exception as error:  # the parser raises ValueError; be defensive about others
        raise ConditionError(f"CEL syntax error: {_syntax_message(error)}") from None
    return Condition(text, program, _reads(text))


def reference_problems(
    condition: Condition,
    event_type: str,
    fields: Mapping[str, FieldInfo],
    purposes: Collection[str],
) -> list[str]:
    """Names the condition reads that do not exist for ``event_type`` (one message each)."""
    code = _STRING.sub('""', condition.text)
    bound = set(_MACRO_VARIABLE.findall(code))
    problems = [
        f"unknown name {name!r} (use {', '.join(VARIABLES)})"
        for name in dict.fromkeys(_IDENTIFIER.findall(code))
        if name not in VARIABLES and name not in bound and name not in _RESERVED
    ]
    for variable, name in _SELECT.findall(code):
        if variable == "event" and name not in EVENT_KEYS:
            problems.append(f"unknown field 'event.{name}' (use {', '.join(EVENT_KEYS)})")
        elif variable == "subject" and name not in SUBJECT_KEYS:
            problems.append(f"unknown field 'subject.{name}' (use {', '.join(SUBJECT_KEYS)})")
        elif variable == "payload" and f"payload.{name}" not in fields:
            problems.append(f"field 'payload.{name}' does not exist in event {event_type!r}")
    problems += [
        f"unknown purpose {purpose!r} in 'subject.consents.{purpose}'"
        for purpose in _CONSENT.findall(code)
        if purpose not in purposes
    ]
    return list(dict.fromkeys(problems))


def type_problem(
    condition: Condition,
    event_type: str,
    fields: Mapping[str, FieldInfo],
    purposes: Collection[str],
) -> str:
    """Run the condition on typed samples of ``event_type``; say why it fails ('' if it works)."""
    payload = {info.name: _sample(info) for info in fields.values() if info.section == "payload"}
    variables = {
        "event": {
            "type": event_type,
            "source": "sample-agency",
            "occurred_at": SAMPLE_TIME,
            "schema_version": 1,
        },
        "payload": payload,
        "subject": {
            "cohort": "FIXED",
            "enrolled": True,
            "area": "sample-area",
            "supervision": "on_licence",
            "lead_agency": "sample-agency",
            "consents": {purpose: CONSENT_GIVEN for purpose in purposes},
        },
        "now": SAMPLE_TIME,
    }
    try:
        condition.holds(cel.Context(variables))
    except ConditionError as error:
        return f"does not type-check for event {event_type!r}: {error}"
    return ""


def cel_value(value: Any) -> Any:
    """A decoded Avro value as CEL sees it (dates become timestamps at midnight UTC)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    return value


def _sample(info: FieldInfo) -> Any:
    samples: dict[str, Any] = {
        "string": "sample",
        "date": SAMPLE_TIME,
        "timestamp": SAMPLE_TIME,
        "int": 1,
        "long": 1,
        "double": 1.0,
        "boolean": True,
    }
    if info.kind == "enum":
        return info.symbols[0]
    return samples.get(info.kind)


def _reads(text: str) -> dict[str, frozenset[str] | None]:
    code = _STRING.sub('""', text)
    reads: dict[str, set[str] | None] = {}
    for variable in _WHOLE.findall(code):
        reads[variable] = None
    for variable, name in _SELECT.findall(code):
        if variable in reads and reads[variable] is None:
            continue
        names = reads.setdefault(variable, set())
        assert names is not None
        names.add(name)
    if re.search(r"(?<![\w.])now\b", code):
        reads["now"] = None
    return {k: (None if v is None else frozenset(v)) for k, v in reads.items()}


def _syntax_message(error: Exception) -> str:
    text = str(error)
    match = re.search(r"<input>:(\d+):(\d+): (.*)", text)
    if match:
        return f"column {match.group(2)}: {match.group(3).strip()}"
    return _first_line(error)


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if isinstance(error, KeyError):
        return f"no such field {text}"
    return text if len(text) <= 160 else text[:157] + "..."
