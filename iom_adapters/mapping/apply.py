"""Apply a compiled mapping to one record: select rules, read and coerce values, build drafts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from iom_adapters.mapping.spec import Condition, EventRule, MappingSpec, Path_, ValueSpec
from iom_adapters.sdk import identifiers
from iom_adapters.sdk.outcomes import INVALID_VALUE, MISSING_FIELD, MappingError, SkipRecord
from iom_adapters.sdk.values import calendar_date, instant, zone

_IDENTIFIER_CHECKS = {
    "crn": identifiers.crn,
    "noms_number": identifiers.noms_number,
    "pnc_id": identifiers.pnc_id,
    "nhs_number": identifiers.nhs_number,
}


@dataclass(frozen=True, slots=True)
class Draft:
    """One event a record produces under one rule."""

    event_type: str
    key: tuple[str, ...]
    occurred_at: datetime
    subject: dict[str, str | None]
    payload: dict[str, Any]


def lookup(record: Any, path: Path_) -> Any:
    """The value at ``path`` in a record (a CSV row or a JSON object), or None."""
    value = record
    for part in path:
        if isinstance(part, int):
            value = (
                value[part]
                if isinstance(value, list) and -len(value) <= part < len(value)
                else None
            )
        else:
            value = value.get(part) if isinstance(value, Mapping) else None
        if value is None:
            return None
    return value


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def matches(condition: Condition | None, record: Any) -> bool:
    """Whether a rule's ``when`` selects the record."""
    if condition is None:
        return True
    value = lookup(record, condition.source)
    return not _blank(value) and str(value).strip().casefold() in condition.values


def drafts(spec: MappingSpec, record: Any) -> Iterator[Draft]:
    """The drafts of every rule that selects the record; SkipRecord when none does."""
    chosen = [rule for rule in spec.rules if matches(rule.when, record)]
    if not chosen:
        raise SkipRecord("no event rule of the mapping selects this record")
    record_id = tuple(_text(spec, v, record) for v in spec.record_id)
    for rule in chosen:
        yield _draft(spec, rule, record, record_id)


def _draft(spec: MappingSpec, rule: EventRule, record: Any, record_id: tuple[str, ...]) -> Draft:
    subject: dict[str, str | None] = {}
    for name, value_spec in rule.subject.items():
        raw = evaluate(spec, value_spec, record)
        if raw is None:
            subject[name] = None
        elif spec.check_identifiers:
            subject[name] = _IDENTIFIER_CHECKS[name](str(raw), value_spec.source_label or name)
        else:
            subject[name] = str(raw).strip()
    if not any(subject.values()):
        labels = ", ".join(v.source_label or k for k, v in rule.subject.items())
        raise MappingError(MISSING_FIELD, labels, "the record names no subject identifier")
    occurred = evaluate(spec, rule.occurred_at, record)
    payload = {
        name: evaluate(spec, rule.payload[name], record) if name in rule.payload else None
        for name in rule.all_fields
    }
    key = record_id + tuple(_text(spec, v, record) for v in rule.key)
    return Draft(rule.event_type, key, occurred, subject, payload)


def _text(spec: MappingSpec, value_spec: ValueSpec, record: Any) -> str:
    value = lookup(record, value_spec.source or ())
    if _blank(value):
        raise MappingError(MISSING_FIELD, value_spec.source_label, "record id value is missing")
    return str(value).strip()


def evaluate(spec: MappingSpec, value_spec: ValueSpec, record: Any) -> Any:
    """The coerced target value of one spec for one record (None for a blank optional)."""
    where = value_spec.source_label or value_spec.target
    if value_spec.source is None:
        raw: Any = value_spec.constant
    else:
        raw = lookup(record, value_spec.source)
        if _blank(raw):
            raw = value_spec.default
        elif value_spec.mapping is not None:
            found = value_spec.mapping.get(str(raw).strip().casefold(), value_spec.unmapped)
            if found is None:
                raise MappingError(INVALID_VALUE, where, "value is not in the mapping's 'map'")
            raw = found
    if _blank(raw):
        if value_spec.optional:
            return None
        raise MappingError(MISSING_FIELD, where, f"required for {value_spec.target}")
    return _coerce(spec, value_spec, raw, where)


def _coerce(spec: MappingSpec, value_spec: ValueSpec, raw: Any, where: str) -> Any:
    kind = value_spec.kind
    if kind == "timestamp":
        if isinstance(raw, datetime):
            return raw if raw.tzinfo else raw.replace(tzinfo=zone(spec.timezone)).astimezone(UTC)
        if isinstance(raw, date):
            return datetime.combine(raw, time(), zone(spec.timezone)).astimezone(UTC)
        return instant(str(raw), where, local_zone=spec.timezone, formats=value_spec.formats)
    if kind == "date":
        return (
            raw
            if isinstance(raw, date)
            else calendar_date(str(raw), where, formats=value_spec.formats)
        )
    if kind in ("int", "long"):
        try:
            return int(str(raw).strip())
        except ValueError:
            raise MappingError(INVALID_VALUE, where, "not a whole number") from None
    text = str(raw).strip()
    if value_spec.transform == "upper":
        text = text.upper()
    elif value_spec.transform == "lower":
        text = text.lower()
    elif value_spec.transform == "digits":
        text = "".join(c for c in text if c.isdigit())
    if kind == "enum" and text not in value_spec.symbols:
        raise MappingError(
            INVALID_VALUE, where, f"not a symbol of {value_spec.target} (add a 'map')"
        )
    return text
