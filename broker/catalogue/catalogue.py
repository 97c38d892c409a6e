"""The schema catalogue: every registered schema version, by id and by event type.

``SchemaCatalogue.load`` reads ``catalogue.yaml``, expands each schema file with its shared
references, derives the delivery schemas, parses everything once with fastavro and checks the
catalogue rules (naming, structure, one delivery per latest event version, BACKWARD
compatibility between consecutive versions). A catalogue that breaks a rule does not load.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

import fastavro

from broker.catalogue.avro_names import definition_full_name, record_name
from broker.catalogue.catalogue_file import CATALOGUE_FILE, Registration, read_registrations
from broker.catalogue.compatibility import backward_problems
from broker.catalogue.delivery import ALWAYS_DELIVERED, derive_delivery_schema
from broker.catalogue.errors import CatalogueFileError, UnknownEventType, UnknownSchemaId
from broker.catalogue.references import SchemaReferenceError, expand_references
from broker.package_data import schema_dir

SCHEMAS_DIR = schema_dir()
DISCLOSURE = "disclosure"


@dataclass(frozen=True)
class CatalogueEntry:
    """One registered schema version: its permanent id and its parsed, expanded schema."""

    schema_id: int
    event_type: str
    version: int
    kind: Literal["event", "delivery", "audit"]
    schema: dict[str, Any] = field(repr=False, compare=False)
    schema_json: str = field(repr=False)

    @property
    def full_name(self) -> str:
        """Full Avro name of the top-level record (the Schema Registry subject name)."""
        return str(self.schema["name"])

    @property
    def label(self) -> str:
        """Short description for messages, e.g. ``arrest v2 (event)``."""
        return f"{self.event_type} v{self.version} ({self.kind})"


class SchemaCatalogue:
    """Registered schema versions, looked up by id or by event type."""

    def __init__(self, entries: Iterable[CatalogueEntry]) -> None:
        self._by_id: dict[int, CatalogueEntry] = {}
        self._versions: dict[tuple[str, str], list[CatalogueEntry]] = {}
        for entry in entries:
            if entry.schema_id in self._by_id:
                raise ValueError(f"schema id {entry.schema_id} is registered twice")
            self._by_id[entry.schema_id] = entry
            self._versions.setdefault((entry.kind, entry.event_type), []).append(entry)
        for versions in self._versions.values():
            versions.sort(key=lambda e: e.version)
        self._event_types = tuple(t for (kind, t) in self._versions if kind == "event")

    @classmethod
    def load(cls, directory: Path) -> SchemaCatalogue:
        """Load and check the catalogue in ``directory``; raise CatalogueFileError."""
        return cls(_Loader(directory).entries())

    def by_id(self, schema_id: int) -> CatalogueEntry:
        """Return the entry registered under ``schema_id``; raise UnknownSchemaId."""
        try:
            return self._by_id[schema_id]
        except KeyError:
            raise UnknownSchemaId(schema_id) from None

    def entries(self) -> tuple[CatalogueEntry, ...]:
        """All entries in id order."""
        return tuple(self._by_id[i] for i in sorted(self._by_id))

    def event_types(self) -> tuple[str, ...]:
        """Event types in catalogue order (audit records excluded)."""
        return self._event_types

    def versions(self, event_type: str) -> list[CatalogueEntry]:
        """Every version of an event type (or of the audit record ``disclosure``), oldest first."""
        found = self._versions.get(("event", event_type)) or self._versions.get(
            ("audit", event_type)
        )
        if not found:
            raise UnknownEventType(event_type, self._event_types)
        return list(found)

    def latest(self, event_type: str) -> CatalogueEntry:
        """The newest event schema of an event type: what encoders write and decoders read as."""
        return self._latest("event", event_type)

    def delivery(self, event_type: str) -> CatalogueEntry:
        """The newest delivery schema of an event type (minimised records sent to recipients)."""
        return self._latest("delivery", event_type)

    def disclosure(self) -> CatalogueEntry:
        """The newest audit schema ``iom.audit.Disclosure``."""
        return self._latest("audit", DISCLOSURE)

    def payload_fields(self, event_type: str) -> tuple[str, ...]:
        """Names of the payload fields of the newest version of an event type."""
        record = _field_type(self.latest(event_type).schema, "payload")
        return tuple(f["name"] for f in record["fields"])

    def shareable_fields(self, event_type: str) -> tuple[str, ...]:
        """Dotted paths a sharing rule may name, e.g. ``subject.crn`` and ``payload.reason``."""
        envelope = _field_type(self.latest(event_type).schema, "envelope")
        paths: list[str] = []
        for env_field in envelope["fields"]:
            if env_field["name"] in ALWAYS_DELIVERED:
                continue
            inner = env_field["type"]
            if isinstance(inner, dict) and inner.get("type") == "record":
                paths += [f"{env_field['name']}.{f['name']}" for f in inner["fields"]]
            else:
                paths.append(env_field["name"])
        return (*paths, *(f"payload.{name}" for name in self.payload_fields(event_type)))

    def _latest(self, kind: str, event_type: str) -> CatalogueEntry:
        found = self._versions.get((kind, event_type))
        if not found:
            raise UnknownEventType(event_type, self._event_types)
        return found[-1]


@functools.cache
def default_catalogue() -> SchemaCatalogue:
    """The repository's ``schemas/`` catalogue, loaded once per process."""
    return SchemaCatalogue.load(SCHEMAS_DIR)


def _field_type(schema: dict[str, Any], name: str) -> dict[str, Any]:
    for record_field in schema["fields"]:
        if record_field["name"] == name:
            declared: dict[str, Any] = record_field["type"]
            return declared
    raise KeyError(name)


class _Loader:
    """Turns catalogue.yaml and the schema files it names into checked entries."""

    def __init__(self, directory: Path) -> None:
        self._dir = directory
        self._catalogue_path = directory / CATALOGUE_FILE
        self._json_cache: dict[str, Any] = {}

    def entries(self) -> list[CatalogueEntry]:
        registrations = read_registrations(self._catalogue_path)
        self._check_versions(registrations)
        expanded: dict[tuple[str, str, int], Any] = {}
        entries: list[CatalogueEntry] = []
        for reg in registrations:
            if reg.kind == "delivery":
                source = expanded.get(("event", reg.event_type, reg.version))
                if source is None:
                    raise self._error(
                        f"delivery {reg.event_type} v{reg.version} has no event "
                        f"{reg.event_type} v{reg.version} registered before it",
                        reg.line,
                    )
                schema_json = derive_delivery_schema(source)
                where = f"{self._catalogue_path} (delivery {reg.event_type} v{reg.version})"
            else:
                schema_json = self._expand(reg)
                self._check_structure(reg, schema_json)
                where = str(self._dir / str(reg.file))
            expanded[(reg.kind, reg.event_type, reg.version)] = schema_json
            entries.append(self._entry(reg, schema_json, where))
        self._check_latest_have_delivery(registrations)
        self._check_compatibility(registrations, expanded)
        return entries

    def _error(self, problem: str, line: int | None = None) -> CatalogueFileError:
        return CatalogueFileError(self._catalogue_path, problem, line)

    def _check_versions(self, registrations: list[Registration]) -> None:
        seen: dict[tuple[str, str], int] = {}
        event_types = {r.event_type for r in registrations if r.kind == "event"}
        for reg in registrations:
            if reg.kind == "audit" and reg.event_type in event_types:
                raise self._error(f"audit type {reg.event_type} is also an event type", reg.line)
            expected = seen.get((reg.kind, reg.event_type), 0) + 1
            if reg.version != expected:
                raise self._error(
                    f"{reg.kind} {reg.event_type} version {reg.version} registered where "
                    f"version {expected} is due (versions go 1, 2, 3... in id order)",
                    reg.line,
                )
            seen[(reg.kind, reg.event_type)] = reg.version

    def _check_latest_have_delivery(self, registrations: list[Registration]) -> None:
        latest: dict[str, int] = {}
        delivered: set[tuple[str, int]] = set()
        for reg in registrations:
            if reg.kind == "event":
                latest[reg.event_type] = reg.version
            elif reg.kind == "delivery":
                delivered.add((reg.event_type, reg.version))
        for event_type, version in latest.items():
            if (event_type, version) not in delivered:
                raise self._error(
                    f"event {event_type} v{version} has no delivery schema: append "
                    f"{{id: <next free id>, kind: delivery, event_type: {event_type}, "
                    f"version: {version}}}"
                )

    def _check_compatibility(
        self, registrations: list[Registration], expanded: dict[tuple[str, str, int], Any]
    ) -> None:
        for reg in registrations:
            if reg.version == 1:
                continue
            older = expanded[(reg.kind, reg.event_type, reg.version - 1)]
            problems = backward_problems(expanded[(reg.kind, reg.event_type, reg.version)], older)
            if problems:
                more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
                path = self._dir / reg.file if reg.file else self._catalogue_path
                raise CatalogueFileError(
                    path,
                    f"{reg.kind} {reg.event_type} v{reg.version} cannot read "
                    f"v{reg.version - 1} data (BACKWARD): {problems[0]}{more}",
                    None if reg.file else reg.line,
                )

    def _read_json(self, relative: str, line: int) -> Any:
        if relative not in self._json_cache:
            path = self._dir / relative
            if not path.resolve().is_relative_to(self._dir.resolve()):
                raise self._error(f"{relative} is outside the schemas directory", line)
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as exc:
                raise self._error(f"cannot read {relative}: {exc.strerror or exc}", line) from None
            try:
                self._json_cache[relative] = json.loads(text)
            except json.JSONDecodeError as exc:
                raise CatalogueFileError(path, f"invalid JSON: {exc.msg}", exc.lineno) from None
        return self._json_cache[relative]

    def _expand(self, reg: Registration) -> Any:
        schema = self._read_json(str(reg.file), reg.line)
        shared = [self._read_json(ref, reg.line) for ref in reg.references]
        try:
            return expand_references(schema, shared)
        except SchemaReferenceError as exc:
            raise CatalogueFileError(self._dir / str(reg.file), str(exc)) from None

    def _check_structure(self, reg: Registration, schema: Any) -> None:
        path = self._dir / str(reg.file)
        name = record_name(reg.event_type)
        namespace = "iom.events" if reg.kind == "event" else "iom.audit"
        expected = f"{namespace}.{name}"
        if not isinstance(schema, dict) or schema.get("type") != "record":
            raise CatalogueFileError(path, f"top level must be the record {expected}")
        full = _full_name(schema, None)
        if full != expected:
            raise CatalogueFileError(
                path, f"record is named {full}; {reg.kind} {reg.event_type} must be {expected}"
            )
        if reg.kind != "event":
            return
        names = [f.get("name") for f in schema.get("fields", [])]
        if names != ["envelope", "payload"]:
            raise CatalogueFileError(path, "an event has exactly two fields: envelope, payload")
        envelope, payload = (f["type"] for f in schema["fields"])
        if not isinstance(envelope, dict) or _full_name(envelope, "iom.events") != (
            "iom.events.Envelope"
        ):
            raise CatalogueFileError(path, "envelope must be the record iom.events.Envelope")
        envelope_fields = {f["name"] for f in envelope.get("fields", [])}
        missing = [n for n in (*ALWAYS_DELIVERED, "subject") if n not in envelope_fields]
        if missing:
            raise CatalogueFileError(path, f"iom.events.Envelope lacks {', '.join(missing)}")
        if not isinstance(payload, dict) or _full_name(payload, "iom.events") != (
            f"{expected}Payload"
        ):
            raise CatalogueFileError(path, f"payload must be the record {expected}Payload")

    def _entry(self, reg: Registration, schema_json: Any, where: str) -> CatalogueEntry:
        text = json.dumps(schema_json, separators=(",", ":"))
        try:
            parsed = cast(dict[str, Any], fastavro.parse_schema(json.loads(text)))
        except Exception as exc:  # fastavro raises several exception types for bad schemas
            raise CatalogueFileError(where, f"not a valid Avro schema: {exc}") from None
        return CatalogueEntry(
            schema_id=reg.schema_id,
            event_type=reg.event_type,
            version=reg.version,
            kind=reg.kind,
            schema=parsed,
            schema_json=text,
        )


def _full_name(schema: dict[str, Any], namespace: str | None) -> str:
    return definition_full_name(schema, namespace) if "name" in schema else "(unnamed)"
