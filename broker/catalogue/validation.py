"""Check a Python record against an Avro schema before it is written, naming the field path.

fastavro's writer accepts some values that are not valid for the schema (an ``int`` field of
``2**40``, ``True`` for an ``int``, a naive ``datetime`` that it reads as local time, a
``uuid`` field that is not a UUID), and its own messages quote the offending value. The
checker here is compiled once per schema into closures, so a valid record costs one pass, and
a problem is reported as ``(field path, problem)`` without the value.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from broker.catalogue.avro_names import (
    PRIMITIVE_TYPES,
    definition_full_name,
    namespace_of,
    qualify,
    short_name,
)

Problem = tuple[str, str]
Check = Callable[[Any], Problem | None]

_INT_RANGE = (-(2**31), 2**31 - 1)
_LONG_RANGE = (-(2**63), 2**63 - 1)
# What Python's datetime and date can hold (years 1-9999): anything outside cannot be decoded.
_TIMESTAMP_MILLIS_RANGE = (-62_135_596_800_000, 253_402_300_799_999)
_DATE_DAYS_RANGE = (-719_162, 2_932_896)
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
"""Exactly the strings ``str(uuid.UUID(s)) == s`` accepts, matched without building a UUID."""


def compile_validator(schema: Any) -> Check:
    """Compile an (expanded) Avro schema into a function returning the first problem or None."""
    return _Compiler().compile(schema, None)


def _got(datum: Any) -> str:
    return f"got {type(datum).__name__}"


def _join(name: str, problem: Problem) -> Problem:
    path, message = problem
    if not path:
        return name, message
    return (f"{name}{path}" if path.startswith("[") else f"{name}.{path}"), message


def _integer(
    datum: Any, bounds: tuple[int, int], kind: str, limit: str | None = None
) -> Problem | None:
    if not isinstance(datum, int) or isinstance(datum, bool):
        return "", f"expected {kind}, {_got(datum)}"
    if not bounds[0] <= datum <= bounds[1]:
        return "", f"out of range for {limit or 'Avro ' + kind}"
    return None


def _primitive(kind: str) -> Check:
    if kind == "null":
        return lambda d: None if d is None else ("", f"expected null, {_got(d)}")
    if kind == "boolean":
        return lambda d: None if isinstance(d, bool) else ("", f"expected boolean, {_got(d)}")
    if kind == "int":
        return lambda d: _integer(d, _INT_RANGE, "int")
    if kind == "long":
        return lambda d: _integer(d, _LONG_RANGE, "long")
    if kind in ("float", "double"):
        return lambda d: (
            None
            if isinstance(d, int | float) and not isinstance(d, bool)
            else ("", f"expected {kind}, {_got(d)}")
        )
    if kind == "bytes":
        return lambda d: (
            None if isinstance(d, bytes | bytearray) else ("", f"expected bytes, {_got(d)}")
        )
    return lambda d: None if isinstance(d, str) else ("", f"expected string, {_got(d)}")


def _check_uuid(datum: Any) -> Problem | None:
    if type(datum) is str and _CANONICAL_UUID.fullmatch(datum):
        return None
    if isinstance(datum, uuid.UUID):
        return None
    if not isinstance(datum, str):
        return "", f"expected a UUID, {_got(datum)}"
    try:
        canonical = str(uuid.UUID(datum))
    except ValueError:
        return "", "not a UUID string"
    if canonical != datum:
        return "", "not a canonical UUID string (lowercase, 8-4-4-4-12 hex digits)"
    return None


def _check_timestamp(datum: Any) -> Problem | None:
    if isinstance(datum, datetime.datetime):
        if datum.tzinfo is None or datum.utcoffset() is None:
            return "", "naive datetime: give a timezone-aware datetime (e.g. UTC)"
        return None
    kind = "a timezone-aware datetime or epoch milliseconds"
    return _integer(datum, _TIMESTAMP_MILLIS_RANGE, kind, "a timestamp (years 1-9999)")


def _check_date(datum: Any) -> Problem | None:
    if isinstance(datum, datetime.datetime):
        return "", "expected a date, got datetime (its time would be dropped)"
    if isinstance(datum, datetime.date):
        return None
    kind = "a datetime.date or days since 1970-01-01"
    return _integer(datum, _DATE_DAYS_RANGE, kind, "a date (years 1-9999)")


_LOGICAL: dict[tuple[str, str], Check] = {
    ("string", "uuid"): _check_uuid,
    ("long", "timestamp-millis"): _check_timestamp,
    ("int", "date"): _check_date,
}


class _Compiler:
    def __init__(self) -> None:
        self._named: dict[str, Check] = {}

    def compile(self, schema: Any, namespace: str | None) -> Check:
        if isinstance(schema, str):
            if schema in PRIMITIVE_TYPES:
                return _primitive(schema)
            full = qualify(schema, namespace)
            named = self._named
            return lambda d: named[full](d)
        if isinstance(schema, list):
            return self._union(schema, namespace)
        kind = schema["type"]
        if isinstance(kind, dict | list):
            return self.compile(kind, namespace)
        if kind in ("record", "error"):
            return self._record(schema, namespace)
        if kind == "enum":
            full = definition_full_name(schema, namespace)
            symbols = frozenset(schema["symbols"])
            label = short_name(full)

            def check_enum(d: Any) -> Problem | None:
                if isinstance(d, str) and d in symbols:
                    return None
                return "", f"not a symbol of enum {label}"

            self._named[full] = check_enum
            return check_enum
        if kind == "fixed":
            full = definition_full_name(schema, namespace)
            size = int(schema["size"])

            def check_fixed(d: Any) -> Problem | None:
                if isinstance(d, bytes) and len(d) == size:
                    return None
                return "", f"expected {size} bytes (fixed), {_got(d)}"

            self._named[full] = check_fixed
            return check_fixed
        if kind == "array":
            return self._array(self.compile(schema["items"], namespace))
        if kind == "map":
            return self._map(self.compile(schema["values"], namespace))
        logical = _LOGICAL.get((kind, schema.get("logicalType", "")))
        return logical or self.compile(kind, namespace)

    def _record(self, schema: dict[str, Any], namespace: str | None) -> Check:
        full = definition_full_name(schema, namespace)
        label = short_name(full)
        inner = namespace_of(full)
        fields: list[tuple[str, Check, bool]] = []

        def check_record(d: Any) -> Problem | None:
            if type(d) is not dict and not isinstance(d, Mapping):
                return "", f"expected a record ({label}) as a mapping, {_got(d)}"
            present = 0
            for name, check, has_default in fields:
                if name in d:
                    present += 1
                    problem = check(d[name])
                    if problem is not None:
                        return _join(name, problem)
                elif not has_default:
                    return name, "required field missing"
            if present != len(d):
                known = {name for name, _, _ in fields}
                extra = sorted(str(key) for key in d if key not in known)
                return extra[0], f"not a field of {label}"
            return None

        self._named[full] = check_record
        for field in schema["fields"]:
            fields.append((field["name"], self.compile(field["type"], inner), "default" in field))
        return check_record

    def _union(self, branches: list[Any], namespace: str | None) -> Check:
        checks = [self.compile(branch, namespace) for branch in branches]
        labels = [self._label(branch, namespace) for branch in branches]
        non_null = [check for check, label in zip(checks, labels, strict=True) if label != "null"]
        nullable = len(non_null) < len(checks)
        expected = " or ".join(labels)

        def check_union(d: Any) -> Problem | None:
            if d is None and nullable:
                return None
            for check in non_null:  # null refuses every value but None
                if check(d) is None:
                    return None
            if len(non_null) == 1 and d is not None:
                return non_null[0](d)
            return "", f"expected {expected}, {_got(d)}"

        return check_union

    @staticmethod
    def _label(branch: Any, namespace: str | None) -> str:
        if isinstance(branch, str):
            return branch if branch in PRIMITIVE_TYPES else short_name(qualify(branch, namespace))
        if isinstance(branch, dict):
            if "name" in branch:
                return short_name(str(branch["name"]))
            return str(branch.get("logicalType", branch.get("type")))
        return "union"

    @staticmethod
    def _array(item: Check) -> Check:
        def check_array(d: Any) -> Problem | None:
            if not isinstance(d, Sequence) or isinstance(d, str | bytes | bytearray):
                return "", f"expected an array, {_got(d)}"
            for index, element in enumerate(d):
                problem = item(element)
                if problem is not None:
                    return _join(f"[{index}]", problem)
            return None

        return check_array

    @staticmethod
    def _map(value: Check) -> Check:
        def check_map(d: Any) -> Problem | None:
            if type(d) is not dict and not isinstance(d, Mapping):
                return "", f"expected a map, {_got(d)}"
            for key, element in d.items():
                if not isinstance(key, str):
                    return "[*]", "map key is not a string"
                problem = value(element)
                if problem is not None:
                    return _join("[*]", problem)
            return None

        return check_map
