"""Expand references to shared named types (e.g. ``iom.events.Envelope``) into one schema.

Schema files may name a type defined in a shared file that the catalogue lists as one of their
references. Expansion copies each referenced definition in place of its first use (later uses
stay names), so the result is a self-contained schema: what the Schema-Registry API serves and
what fastavro parses, with no registry lookups at run time.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from broker.catalogue.avro_names import (
    PRIMITIVE_TYPES,
    definition_full_name,
    is_named_definition,
    namespace_of,
    qualify,
)


class SchemaReferenceError(ValueError):
    """A type name cannot be resolved, or a named type is defined twice differently."""


def collect_definitions(
    schema: Any, namespace: str | None = None, into: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Map the full name of every named type defined in ``schema`` to a standalone copy."""
    found: dict[str, Any] = {} if into is None else into
    if isinstance(schema, list):
        for branch in schema:
            collect_definitions(branch, namespace, found)
    elif isinstance(schema, dict):
        kind = schema.get("type")
        if is_named_definition(schema):
            full = definition_full_name(schema, namespace)
            if full in found and found[full] != _standalone(schema, namespace):
                raise SchemaReferenceError(f"type {full} is defined twice, differently")
            found[full] = _standalone(schema, namespace)
            namespace = namespace_of(full)
            for field in schema.get("fields", []):
                collect_definitions(field.get("type"), namespace, found)
        elif kind == "array":
            collect_definitions(schema.get("items"), namespace, found)
        elif kind == "map":
            collect_definitions(schema.get("values"), namespace, found)
        elif isinstance(kind, dict | list):
            collect_definitions(kind, namespace, found)
    return found


def expand_references(schema: Any, shared: Iterable[Any]) -> Any:
    """Return ``schema`` with every name from the ``shared`` schemas replaced by its definition."""
    available: dict[str, Any] = {}
    for shared_schema in shared:
        collect_definitions(shared_schema, None, available)
    return _Expander(available).expand(schema, None)


def _standalone(schema: dict[str, Any], namespace: str | None) -> dict[str, Any]:
    """Copy a definition so that it keeps its full name wherever it is pasted."""
    copied = copy.deepcopy(schema)
    if "." not in str(schema["name"]) and "namespace" not in schema and namespace:
        copied["namespace"] = namespace
    return copied


class _Expander:
    def __init__(self, available: dict[str, Any]) -> None:
        self._available = available
        self._defined: dict[str, Any] = {}

    def expand(self, schema: Any, namespace: str | None) -> Any:
        if isinstance(schema, str):
            return self._expand_name(schema, namespace)
        if isinstance(schema, list):
            return [self.expand(branch, namespace) for branch in schema]
        if not isinstance(schema, dict):
            raise SchemaReferenceError(f"not an Avro schema: a JSON {type(schema).__name__}")
        kind = schema.get("type")
        if is_named_definition(schema):
            return self._expand_definition(schema, namespace)
        expanded = dict(schema)
        if kind == "array":
            expanded["items"] = self.expand(schema.get("items"), namespace)
        elif kind == "map":
            expanded["values"] = self.expand(schema.get("values"), namespace)
        elif isinstance(kind, dict | list):
            expanded["type"] = self.expand(kind, namespace)
        elif isinstance(kind, str) and kind not in PRIMITIVE_TYPES:
            expanded["type"] = self._expand_name(kind, namespace)
        return expanded

    def _expand_name(self, name: str, namespace: str | None) -> Any:
        if name in PRIMITIVE_TYPES:
            return name
        full = qualify(name, namespace)
        if full in self._defined:
            return name
        if full in self._available:
            return self.expand(self._available[full], namespace)
        raise SchemaReferenceError(
            f"unknown type {full}: define it, or list the file that defines it under references"
        )

    def _expand_definition(self, schema: dict[str, Any], namespace: str | None) -> Any:
        full = definition_full_name(schema, namespace)
        standalone = _standalone(schema, namespace)
        if full in self._defined:
            if self._defined[full] != standalone:
                raise SchemaReferenceError(f"type {full} is defined twice, differently")
            return full
        self._defined[full] = standalone
        inner = namespace_of(full)
        expanded = dict(schema)
        if "fields" in schema:
            expanded["fields"] = [
                {**field, "type": self.expand(field.get("type"), inner)}
                for field in schema["fields"]
            ]
        return expanded
