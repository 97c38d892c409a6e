"""What a rule can name: the shareable fields of each event type and the kind of each value.

Derived from the Avro catalogue (pure: the catalogue is already loaded). The kind decides
which transforms apply (a date can be generalised to its month, an enum cannot be masked)
and which sample values type-check a condition.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from broker.catalogue.catalogue import SchemaCatalogue

#: Field kinds; ``other`` covers records, arrays and maps (never generalised or masked).
KINDS = ("string", "enum", "date", "timestamp", "int", "long", "double", "boolean", "other")


@dataclass(frozen=True)
class FieldInfo:
    """One shareable field of an event type."""

    path: str
    kind: str
    optional: bool
    symbols: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The name inside its section, e.g. ``crn`` for ``subject.crn``."""
        return self.path.partition(".")[2]

    @property
    def section(self) -> str:
        """``subject`` or ``payload``."""
        return self.path.partition(".")[0]


#: event type -> dotted path -> field
EventFields = Mapping[str, Mapping[str, FieldInfo]]


def event_fields_from_catalogue(catalogue: SchemaCatalogue) -> dict[str, dict[str, FieldInfo]]:
    """Every event type's shareable fields (``subject.*`` and ``payload.*``), with kinds."""
    result: dict[str, dict[str, FieldInfo]] = {}
    for event_type in catalogue.event_types():
        schema = catalogue.latest(event_type).schema
        named: dict[str, Any] = {}
        sections = {f["name"]: f["type"] for f in schema["fields"]}
        described: dict[str, FieldInfo] = {}
        for section, record_path in (("subject", ("envelope", "subject")), ("payload", ())):
            record = _record_at(sections, record_path or (section,), named)
            for avro_field in record["fields"]:
                path = f"{section}.{avro_field['name']}"
                described[path] = _describe(path, avro_field["type"], named)
        shareable = set(catalogue.shareable_fields(event_type))
        result[event_type] = {p: info for p, info in described.items() if p in shareable}
    return result


def _record_at(
    sections: Mapping[str, Any], path: tuple[str, ...], named: dict[str, Any]
) -> dict[str, Any]:
    current: Any = _resolve(sections[path[0]], named)
    for name in path[1:]:
        inner = next(f["type"] for f in current["fields"] if f["name"] == name)
        current = _resolve(_non_null(inner), named)
    record: dict[str, Any] = current
    return record


def _describe(path: str, declared: Any, named: dict[str, Any]) -> FieldInfo:
    optional = isinstance(declared, list) and "null" in declared
    inner = _resolve(_non_null(declared), named)
    if isinstance(inner, str):
        kind = inner if inner in KINDS else "other"
        return FieldInfo(path, "long" if inner == "long" else kind, optional)
    logical = inner.get("logicalType")
    if logical == "date":
        return FieldInfo(path, "date", optional)
    if logical in ("timestamp-millis", "timestamp-micros"):
        return FieldInfo(path, "timestamp", optional)
    if inner.get("type") == "enum":
        return FieldInfo(path, "enum", optional, tuple(inner["symbols"]))
    base = inner.get("type")
    kind = base if isinstance(base, str) and base in KINDS else "other"
    return FieldInfo(path, kind, optional)


def _non_null(declared: Any) -> Any:
    if isinstance(declared, list):
        branches = [b for b in declared if b != "null"]
        return branches[0] if len(branches) == 1 else {"type": "other"}
    return declared


def _resolve(declared: Any, named: dict[str, Any]) -> Any:
    """Remember named definitions; replace a reference to one by its definition."""
    if isinstance(declared, dict) and "name" in declared:
        named[str(declared["name"])] = declared
        named[str(declared["name"]).rsplit(".", 1)[-1]] = declared
        for inner in declared.get("fields", ()):
            _resolve(_non_null(inner["type"]), named)
        return declared
    if isinstance(declared, str) and declared in named:
        return named[declared]
    return declared
