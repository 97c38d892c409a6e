"""Small helpers over Avro schema JSON: primitive types, named types and full names."""

from __future__ import annotations

from typing import Any

PRIMITIVE_TYPES = frozenset(
    {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}
)
NAMED_TYPES = frozenset({"record", "error", "enum", "fixed"})


def qualify(name: str, namespace: str | None) -> str:
    """Return the full name of ``name`` read inside ``namespace`` (Avro naming rules)."""
    if "." in name or not namespace:
        return name
    return f"{namespace}.{name}"


def namespace_of(full_name: str) -> str | None:
    """Return the namespace part of a full name, or None if it has none."""
    head, dot, _ = full_name.rpartition(".")
    return head if dot else None


def short_name(full_name: str) -> str:
    """Return the unqualified part of a full name."""
    return full_name.rpartition(".")[2]


def definition_full_name(schema: dict[str, Any], namespace: str | None) -> str:
    """Return the full name a named-type definition declares inside ``namespace``."""
    name = str(schema["name"])
    return qualify(name, schema.get("namespace", namespace))


def is_named_definition(schema: Any) -> bool:
    """True if ``schema`` is a record, enum or fixed definition (a JSON object with a name)."""
    return isinstance(schema, dict) and schema.get("type") in NAMED_TYPES


def record_name(event_type: str) -> str:
    """Record name of an event type: ``custody_release`` -> ``CustodyRelease``."""
    return "".join(part.capitalize() for part in event_type.split("_"))
