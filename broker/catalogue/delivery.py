"""Derive the delivery schema of an event: what a recipient receives after minimisation.

A delivery record has the event's structure, but every field the policy may withhold is
optional (``["null", T]``, default null): all payload fields and every envelope field except
the basics that always travel with a permitted event (``ALWAYS_DELIVERED``). Named types move
from ``iom.events`` to ``iom.delivery`` and keep their old full name as an alias, so a delivery
reader can also resolve data written with the event schema.
"""

from __future__ import annotations

import copy
from typing import Any

from broker.catalogue.avro_names import (
    PRIMITIVE_TYPES,
    definition_full_name,
    is_named_definition,
    namespace_of,
    qualify,
    short_name,
)

EVENT_NAMESPACE = "iom.events"
DELIVERY_NAMESPACE = "iom.delivery"
ALWAYS_DELIVERED = ("event_id", "event_type", "occurred_at", "source_agency", "schema_version")


def derive_delivery_schema(event_schema: dict[str, Any]) -> dict[str, Any]:
    """Return the delivery schema of an expanded event schema (``envelope`` + ``payload``)."""
    delivery: dict[str, Any] = _rename(copy.deepcopy(event_schema), None)
    delivery["doc"] = (
        f"What a recipient receives for a {short_name(delivery['name'])} event after "
        "minimisation: fields the sharing policy withheld are null."
    )
    fields = {field["name"]: field for field in delivery["fields"]}
    for field in fields["envelope"]["type"]["fields"]:
        if field["name"] not in ALWAYS_DELIVERED:
            _make_optional(field)
    for field in fields["payload"]["type"]["fields"]:
        _make_optional(field)
    return delivery


def _make_optional(field: dict[str, Any]) -> None:
    declared = field["type"]
    branches = declared if isinstance(declared, list) else [declared]
    field["type"] = ["null", *(branch for branch in branches if branch != "null")]
    field["default"] = None


def _delivery_name(full_name: str) -> str:
    if namespace_of(full_name) == EVENT_NAMESPACE:
        return f"{DELIVERY_NAMESPACE}.{short_name(full_name)}"
    return full_name


def _rename(schema: Any, namespace: str | None) -> Any:
    """Move every ``iom.events`` named type (definitions and uses) to ``iom.delivery``."""
    if isinstance(schema, str):
        if schema in PRIMITIVE_TYPES:
            return schema
        return _delivery_name(qualify(schema, namespace))
    if isinstance(schema, list):
        return [_rename(branch, namespace) for branch in schema]
    if not isinstance(schema, dict):
        return schema
    if is_named_definition(schema):
        full = definition_full_name(schema, namespace)
        renamed = _delivery_name(full)
        schema.pop("namespace", None)
        schema["name"] = renamed
        if renamed != full:
            aliases = [qualify(alias, namespace_of(full)) for alias in schema.get("aliases", [])]
            schema["aliases"] = [full, *aliases]
        for field in schema.get("fields", []):
            field["type"] = _rename(field["type"], namespace_of(full))
    elif schema.get("type") == "array":
        schema["items"] = _rename(schema["items"], namespace)
    elif schema.get("type") == "map":
        schema["values"] = _rename(schema["values"], namespace)
    else:
        schema["type"] = _rename(schema["type"], namespace)
    return schema
