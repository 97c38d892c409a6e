"""Errors raised by the event catalogue and its codec.

Every error carries a machine-readable ``reason`` (the router puts it in the dead-letter
``reason`` header) and a one-line message. Messages name schema ids, event types and field
paths, never values taken from a record: a message may end up in a log or a dead-letter header
that more people can read than the record itself.
"""

from __future__ import annotations

from pathlib import Path


class CatalogueError(Exception):
    """Base class of every catalogue and codec error."""

    reason: str = "catalogue_error"


class MalformedFrame(CatalogueError):
    """The bytes are not a Confluent wire-format frame (too short, or wrong magic byte)."""

    reason = "malformed_frame"


class UnknownSchemaId(CatalogueError):
    """The frame names a schema id that the catalogue does not register."""

    reason = "unknown_schema_id"

    def __init__(self, schema_id: int, message: str | None = None) -> None:
        self.schema_id = schema_id
        super().__init__(
            message or f"unknown schema id {schema_id}: not registered in schemas/catalogue.yaml"
        )


class UnexpectedSchemaKind(UnknownSchemaId):
    """The schema id is registered for another kind of record (e.g. a delivery id on ingress)."""

    reason = "unexpected_schema_kind"

    def __init__(self, schema_id: int, actual: str, expected: str) -> None:
        self.actual = actual
        self.expected = expected
        super().__init__(
            schema_id,
            f"schema id {schema_id} is {actual}, expected {expected}",
        )


class UnknownEventType(CatalogueError):
    """An event type that the catalogue does not define was asked for."""

    reason = "unknown_event_type"

    def __init__(self, event_type: str, known: tuple[str, ...]) -> None:
        self.event_type = event_type
        shown = event_type if len(event_type) <= 40 else event_type[:40] + "..."
        super().__init__(f"unknown event type {shown!r}; known: {', '.join(known)}")


class UndecodableRecord(CatalogueError):
    """The Avro body does not decode against its writer schema, or bytes are left over."""

    reason = "undecodable"


class InvalidRecord(CatalogueError):
    """A record decodes or is given, but breaks a rule of its schema; names the field path."""

    reason = "invalid_record"

    def __init__(self, field_path: str, problem: str) -> None:
        self.field_path = field_path
        self.problem = problem
        super().__init__(f"{field_path}: {problem}" if field_path else problem)


class CatalogueFileError(CatalogueError):
    """A catalogue or schema file is unreadable or breaks a catalogue rule."""

    reason = "catalogue_file"

    def __init__(self, path: Path | str, problem: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")
