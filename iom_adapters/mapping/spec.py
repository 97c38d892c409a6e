"""The declarative mapping file: what it may say, and its compiled form.

A mapping file turns one partner's CSV or JSON export into catalogue events without code.
:func:`compile_mapping` validates it once against the catalogue and reports the first problem
as ``file:line: setting: problem``. See docs/adapters.md for the format and a worked example.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

InputFormat = Literal["csv", "json", "jsonl"]
Path_ = tuple[str | int, ...]

_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def parse_path(text: str, input_format: InputFormat) -> Path_:
    """A CSV column name as is, or a dotted JSON path with ``[n]`` indexes as parts."""
    if input_format == "csv":
        return (text,)
    parts: list[str | int] = []
    for name, index in _PATH_PART.findall(text):
        parts.append(int(index) if index else name)
    return tuple(parts)


@dataclass(frozen=True)
class ValueSpec:
    """How to produce one target value from a record.

    Exactly one of ``source`` (a column or JSON path) and ``constant`` is set. ``mapping``
    translates source text (compared case-insensitively); ``unmapped`` is used for text the
    mapping lacks (otherwise the record is rejected); ``default`` replaces a blank source.
    """

    target: str
    kind: str
    optional: bool
    source: Path_ | None = None
    source_label: str = ""
    constant: Any = None
    mapping: dict[str, Any] | None = None
    unmapped: Any = None
    default: Any = None
    formats: tuple[str, ...] = ()
    transform: str | None = None
    symbols: tuple[str, ...] = ()


@dataclass(frozen=True)
class Condition:
    """Selects the records an event rule applies to: the source text equals one of ``values``."""

    source: Path_
    source_label: str
    values: frozenset[str]


@dataclass(frozen=True)
class EventRule:
    """One event type produced from matching records."""

    event_type: str
    when: Condition | None
    occurred_at: ValueSpec
    subject: dict[str, ValueSpec]
    payload: dict[str, ValueSpec]
    key: tuple[ValueSpec, ...] = ()
    all_fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class MappingSpec:
    """A validated mapping file."""

    path: str
    agency: str
    input_format: InputFormat
    delimiter: str
    records_path: Path_ | None
    record_id: tuple[ValueSpec, ...]
    timezone: str
    check_identifiers: bool
    rules: tuple[EventRule, ...]
