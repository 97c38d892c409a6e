"""BACKWARD compatibility: can a reader schema read every datum a writer schema can write?

Implements Avro's schema-resolution rules (Avro specification, "Schema Resolution"): records
match fields by name (or reader alias) and need a default for every field the writer lacks;
enums need every writer symbol or a reader default; unions resolve branch by branch; ``int``
promotes to ``long``/``float``/``double``, ``long`` to ``float``/``double``, ``float`` to
``double``, ``string`` and ``bytes`` to each other; named types match by unqualified name or
reader alias; fixed sizes must be equal. One stricter rule than Avro: changing a logical type
(e.g. ``date`` to plain ``int``) is reported, because the bytes still decode but mean something
else. Each problem is one line starting with the field path.
"""

from __future__ import annotations

from typing import Any

from broker.catalogue.avro_names import (
    NAMED_TYPES,
    PRIMITIVE_TYPES,
    definition_full_name,
    namespace_of,
    qualify,
    short_name,
)
from broker.catalogue.references import collect_definitions

PROMOTIONS = frozenset(
    {
        ("int", "long"),
        ("int", "float"),
        ("int", "double"),
        ("long", "float"),
        ("long", "double"),
        ("float", "double"),
        ("string", "bytes"),
        ("bytes", "string"),
    }
)

_STRUCTURAL = PRIMITIVE_TYPES | NAMED_TYPES | {"array", "map"}

# A schema resolved to its definition, with the namespace its names are read in.
_Resolved = tuple[Any, str | None]


def backward_problems(reader_schema: Any, writer_schema: Any) -> list[str]:
    """Why ``reader_schema`` cannot read data written with ``writer_schema`` (empty: it can)."""
    return _Checker(reader_schema, writer_schema).problems()


def _kind(schema: Any) -> str:
    if isinstance(schema, list):
        return "union"
    if isinstance(schema, dict):
        return str(schema["type"])
    return str(schema)


def _logical(schema: Any) -> str | None:
    return schema.get("logicalType") if isinstance(schema, dict) else None


def _label(schema: Any, namespace: str | None) -> str:
    kind = _kind(schema)
    if kind in NAMED_TYPES:
        return f"{kind} {short_name(definition_full_name(schema, namespace))}"
    logical = _logical(schema)
    return f"{kind} ({logical})" if logical else kind


class _Checker:
    def __init__(self, reader: Any, writer: Any) -> None:
        self._reader, self._writer = reader, writer
        self._reader_names = collect_definitions(reader)
        self._writer_names = collect_definitions(writer)
        self._seen: set[tuple[str, str]] = set()

    def problems(self) -> list[str]:
        reader, namespace = self._resolve(self._reader, None, self._reader_names)
        root = (
            short_name(definition_full_name(reader, namespace))
            if _kind(reader) in NAMED_TYPES
            else _kind(reader)
        )
        return self._check(self._reader, None, self._writer, None, root)

    @staticmethod
    def _resolve(schema: Any, namespace: str | None, names: dict[str, Any]) -> _Resolved:
        """Follow type names and ``{"type": <schema>}`` wrappers down to a definition."""
        while True:
            if isinstance(schema, str) and schema not in PRIMITIVE_TYPES:
                full = qualify(schema, namespace)
                if full not in names:
                    raise ValueError(f"unknown type name {full}")
                schema, namespace = names[full], namespace_of(full)
            elif isinstance(schema, dict) and schema.get("type") not in _STRUCTURAL:
                schema = schema["type"]  # {"type": <union, definition or name>}
            else:
                return schema, namespace

    def _check(
        self, reader: Any, r_ns: str | None, writer: Any, w_ns: str | None, path: str
    ) -> list[str]:
        reader, r_ns = self._resolve(reader, r_ns, self._reader_names)
        writer, w_ns = self._resolve(writer, w_ns, self._writer_names)
        r_kind, w_kind = _kind(reader), _kind(writer)

        if w_kind == "union":
            problems: list[str] = []
            for branch in writer:
                if r_kind == "union":
                    problems += self._check_union_branch(reader, r_ns, branch, w_ns, path)
                else:
                    found = self._check(reader, r_ns, branch, w_ns, path)
                    problems += [f"{p} (writer union branch)" for p in found]
            return problems
        if r_kind == "union":
            return self._check_union_branch(reader, r_ns, writer, w_ns, path)
        if r_kind != w_kind:
            if (w_kind, r_kind) in PROMOTIONS:
                return []
            r_label, w_label = _label(reader, r_ns), _label(writer, w_ns)
            return [f"{path}: {w_label} written by the old schema cannot be read as {r_label}"]
        if r_kind in PRIMITIVE_TYPES:
            if _logical(reader) != _logical(writer):
                before, after = _logical(writer) or "none", _logical(reader) or "none"
                return [f"{path}: logical type changed from {before} to {after}"]
            return []
        if r_kind == "array":
            return self._check(reader["items"], r_ns, writer["items"], w_ns, f"{path}[]")
        if r_kind == "map":
            return self._check(reader["values"], r_ns, writer["values"], w_ns, f"{path}{{}}")
        return self._check_named(reader, r_ns, writer, w_ns, path)

    def _check_union_branch(
        self, reader_union: list[Any], r_ns: str | None, writer: Any, w_ns: str | None, path: str
    ) -> list[str]:
        """Resolve one writer branch against the first reader branch that matches it."""
        writer_resolved, w_ns2 = self._resolve(writer, w_ns, self._writer_names)
        candidates = [self._resolve(b, r_ns, self._reader_names) for b in reader_union]
        w_kind = _kind(writer_resolved)
        for exact in (True, False):
            for branch, b_ns in candidates:
                b_kind = _kind(branch)
                if exact and b_kind == w_kind:
                    if w_kind in NAMED_TYPES and not self._names_match(
                        branch, b_ns, writer_resolved, w_ns2
                    ):
                        continue
                    return self._check(branch, b_ns, writer_resolved, w_ns2, path)
                if not exact and (w_kind, b_kind) in PROMOTIONS:
                    return []
        labels = ", ".join(_label(b, ns) for b, ns in candidates)
        w_label = _label(writer_resolved, w_ns2)
        return [f"{path}: {w_label} written by the old schema has no match in the union ({labels})"]

    def _names_match(
        self, reader: dict[str, Any], r_ns: str | None, writer: dict[str, Any], w_ns: str | None
    ) -> bool:
        r_full = definition_full_name(reader, r_ns)
        w_full = definition_full_name(writer, w_ns)
        aliases = {qualify(a, namespace_of(r_full)) for a in reader.get("aliases", [])}
        aliases |= set(reader.get("aliases", []))
        return (
            short_name(r_full) == short_name(w_full)
            or w_full in aliases
            or short_name(w_full) in aliases
        )

    def _check_named(
        self,
        reader: dict[str, Any],
        r_ns: str | None,
        writer: dict[str, Any],
        w_ns: str | None,
        path: str,
    ) -> list[str]:
        r_full = definition_full_name(reader, r_ns)
        w_full = definition_full_name(writer, w_ns)
        if not self._names_match(reader, r_ns, writer, w_ns):
            return [f"{path}: type name changed from {w_full} to {r_full} without an alias"]
        if (r_full, w_full) in self._seen:
            return []
        self._seen.add((r_full, w_full))
        kind = _kind(reader)
        if kind == "fixed":
            if reader["size"] != writer["size"]:
                return [f"{path}: fixed size changed from {writer['size']} to {reader['size']}"]
            return []
        if kind == "enum":
            missing = [s for s in writer["symbols"] if s not in reader["symbols"]]
            if missing and "default" not in reader:
                return [
                    f"{path}: enum {short_name(r_full)} lost symbol(s) {', '.join(missing)} "
                    "and has no default; old data may hold them"
                ]
            return []
        return self._check_record(reader, namespace_of(r_full), writer, namespace_of(w_full), path)

    def _check_record(
        self,
        reader: dict[str, Any],
        r_ns: str | None,
        writer: dict[str, Any],
        w_ns: str | None,
        path: str,
    ) -> list[str]:
        written = {field["name"]: field for field in writer["fields"]}
        problems: list[str] = []
        for field in reader["fields"]:
            name = field["name"]
            source = next(
                (written[n] for n in (name, *field.get("aliases", [])) if n in written), None
            )
            if source is None:
                if "default" not in field:
                    problems.append(
                        f"{path}.{name}: field added without a default; "
                        "data written by the old schema has no value for it"
                    )
                continue
            problems += self._check(field["type"], r_ns, source["type"], w_ns, f"{path}.{name}")
        return problems
