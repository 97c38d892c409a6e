"""The payload fields of a catalogue event type as simple types, for mapping and coercion."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from broker.catalogue.catalogue import SchemaCatalogue

FieldKind = Literal["string", "enum", "date", "timestamp", "int", "long", "boolean", "double"]

_PRIMITIVES: dict[str, FieldKind] = {
    "string": "string",
    "int": "int",
    "long": "long",
    "boolean": "boolean",
    "double": "double",
    "float": "double",
}


@dataclass(frozen=True)
class FieldType:
    """One payload field: its kind, whether it may be null, and an enum's symbols."""

    name: str
    kind: FieldKind
    optional: bool
    symbols: tuple[str, ...] = ()
    enum_name: str = ""

    def describe(self) -> str:
        """A short description for messages, e.g. ``enum Urgency`` or ``optional date``."""
        kind = f"enum {self.enum_name}" if self.kind == "enum" else self.kind
        return f"optional {kind}" if self.optional else kind


def payload_fields(catalogue: SchemaCatalogue, event_type: str) -> dict[str, FieldType]:
    """Every payload field of the newest version of ``event_type``, in schema order."""
    return dict(_cached(catalogue, event_type))


@cache
def _cached(catalogue: SchemaCatalogue, event_type: str) -> tuple[tuple[str, FieldType], ...]:
    named: dict[str, Any] = {}
    schema = catalogue.latest(event_type).schema
    _collect_names(schema, named)
    payload = next(f for f in schema["fields"] if f["name"] == "payload")["type"]
    payload = named.get(payload, payload) if isinstance(payload, str) else payload
    return tuple((f["name"], _field(f["name"], f["type"], named)) for f in payload["fields"])


def _collect_names(schema: Any, named: dict[str, Any]) -> None:
    if isinstance(schema, list):
        for branch in schema:
            _collect_names(branch, named)
    elif isinstance(schema, dict):
        if schema.get("type") in ("record", "enum", "fixed") and "name" in schema:
            named[schema["name"]] = schema
        for value in schema.values():
            if isinstance(value, dict | list):
                _collect_names(value, named)


def _field(name: str, schema: Any, named: dict[str, Any]) -> FieldType:
    optional = False
    if isinstance(schema, list):
        branches = [b for b in schema if b != "null"]
        optional = len(branches) < len(schema)
        schema = branches[0]
    if isinstance(schema, str) and schema in named:
        schema = named[schema]
    if isinstance(schema, str):
        return FieldType(name, _PRIMITIVES[schema], optional)
    logical = schema.get("logicalType")
    if logical == "date":
        return FieldType(name, "date", optional)
    if logical in ("timestamp-millis", "timestamp-micros"):
        return FieldType(name, "timestamp", optional)
    if schema.get("type") == "enum":
        short = str(schema["name"]).rsplit(".", 1)[-1]
        return FieldType(name, "enum", optional, tuple(schema["symbols"]), short)
    return FieldType(name, _PRIMITIVES[str(schema["type"])], optional)
