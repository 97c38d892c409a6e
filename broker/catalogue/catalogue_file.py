"""Read ``schemas/catalogue.yaml``: the list of registered schema versions and their ids.

Each entry is one line of YAML, in registration order, with strictly increasing ids::

    - {id: 1, kind: event, event_type: arrest, version: 1, file: events/arrest/v1.avsc,
       references: [common/envelope/v1.avsc]}
    - {id: 15, kind: delivery, event_type: arrest, version: 1}

This module checks the shape of each entry and reports problems with the file and line; the
catalogue checks how entries fit together and what the schema files contain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

import yaml

from broker.catalogue.errors import CatalogueFileError
from broker.catalogue.wire_format import MAX_SCHEMA_ID

Kind = Literal["event", "delivery", "audit"]
KINDS: tuple[Kind, ...] = ("event", "delivery", "audit")
CATALOGUE_FILE = "catalogue.yaml"

_LINE = "__line__"
_EVENT_TYPE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
_KEYS: dict[str, tuple[set[str], set[str]]] = {  # kind -> (required keys, optional keys)
    "event": ({"id", "kind", "event_type", "version", "file"}, {"references"}),
    "audit": ({"id", "kind", "event_type", "version", "file"}, {"references"}),
    "delivery": ({"id", "kind", "event_type", "version"}, set()),
}


@dataclass(frozen=True)
class Registration:
    """One registered schema version as written in catalogue.yaml."""

    schema_id: int
    kind: Kind
    event_type: str
    version: int
    file: str | None
    references: tuple[str, ...]
    line: int


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that records the line of every mapping under ``__line__``."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[_LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_registrations(path: Path) -> list[Registration]:
    """Parse catalogue.yaml into registrations; raise CatalogueFileError naming file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogueFileError(path, f"cannot read: {exc.strerror or exc}") from None
    try:
        document = yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise CatalogueFileError(path, f"invalid YAML: {exc.problem}", line) from None
    except yaml.YAMLError as exc:
        raise CatalogueFileError(path, f"invalid YAML: {exc}") from None
    if not isinstance(document, dict) or not isinstance(document.get("schemas"), list):
        raise CatalogueFileError(path, "expected a mapping with a 'schemas' list", 1)
    unknown = sorted(str(k) for k in document if k not in ("schemas", _LINE))
    if unknown:
        raise CatalogueFileError(path, f"unknown top-level key {unknown[0]!r}", 1)
    registrations: list[Registration] = []
    for item in document["schemas"]:
        registration = _registration(path, item)
        if registrations and registration.schema_id <= registrations[-1].schema_id:
            raise CatalogueFileError(
                path,
                f"id {registration.schema_id} is not greater than the id before it "
                f"({registrations[-1].schema_id}): append new versions with the next free id",
                registration.line,
            )
        registrations.append(registration)
    return registrations


def _registration(path: Path, item: Any) -> Registration:
    if not isinstance(item, dict):
        raise CatalogueFileError(path, "each entry of 'schemas' must be a mapping")
    line = int(item.pop(_LINE))
    kind = item.get("kind")
    if kind not in _KEYS:
        raise CatalogueFileError(path, f"kind {kind!r} is not one of {', '.join(KINDS)}", line)
    required, optional = _KEYS[kind]
    missing = sorted(required - item.keys())
    if missing:
        raise CatalogueFileError(path, f"{kind} entry lacks {', '.join(missing)}", line)
    extra = sorted(str(k) for k in item.keys() - required - optional)
    if extra:
        raise CatalogueFileError(path, f"{kind} entry has unknown key {extra[0]!r}", line)
    schema_id, version, event_type = item["id"], item["version"], item["event_type"]
    if type(schema_id) is not int or not 1 <= schema_id <= MAX_SCHEMA_ID:
        raise CatalogueFileError(
            path, f"id {schema_id!r} is not an integer 1..{MAX_SCHEMA_ID}", line
        )
    if type(version) is not int or version < 1:
        raise CatalogueFileError(path, f"version {version!r} is not a positive integer", line)
    if not isinstance(event_type, str) or not _EVENT_TYPE.match(event_type):
        raise CatalogueFileError(path, f"event_type {event_type!r} is not snake_case", line)
    file = item.get("file")
    if file is not None and not isinstance(file, str):
        raise CatalogueFileError(path, f"file {file!r} is not a path", line)
    references = item.get("references", [])
    if not isinstance(references, list) or not all(isinstance(r, str) for r in references):
        raise CatalogueFileError(path, "references must be a list of paths", line)
    return Registration(
        schema_id=schema_id,
        kind=cast(Kind, kind),
        event_type=event_type,
        version=version,
        file=file,
        references=tuple(references),
        line=line,
    )
