"""Native input documents and the records in them, each with a locator for reports.

A locator says where a record is without quoting it: ``custody.csv:14`` (the line a CSV row
starts on), ``events.jsonl:3``, ``bundle.json#/entry/2/resource`` (a JSON pointer) or just the
file name for a one-record document.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from iom_adapters.sdk.outcomes import MALFORMED_INPUT, Rejected

JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")


@dataclass(frozen=True)
class SourceDocument:
    """One native document (a file, a message body) and the name reports call it by."""

    name: str
    data: bytes

    @classmethod
    def read(cls, path: Path) -> SourceDocument:
        """The file at ``path``, named by its file name."""
        return cls(path.name, path.read_bytes())

    @property
    def suffix(self) -> str:
        """The lower-case file extension, e.g. ``.csv``."""
        return Path(self.name).suffix.lower()

    def text(self, encoding: str = "utf-8-sig") -> str | Rejected:
        """The document decoded, or a rejection naming the encoding."""
        try:
            return self.data.decode(encoding)
        except UnicodeDecodeError as error:
            return Rejected(self.name, MALFORMED_INPUT, f"not {encoding} text (byte {error.start})")


@dataclass(frozen=True, slots=True)
class JsonRecord:
    """One JSON value found in a document."""

    locator: str
    value: Any


def json_records(
    document: SourceDocument, *, lines: bool | None = None
) -> Iterator[JsonRecord | Rejected]:
    """Every record of a JSON document: one object, an array of them, or JSON lines.

    ``lines`` forces (or forbids) JSON lines; by default ``.jsonl`` and ``.ndjson`` files are.
    """
    text = document.text()
    if isinstance(text, Rejected):
        yield text
        return
    if lines or (lines is None and document.suffix in JSON_LINES_SUFFIXES):
        yield from _json_lines(document.name, text)
        return
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        yield Rejected(
            f"{document.name}:{error.lineno}", MALFORMED_INPUT, f"not JSON ({error.msg})"
        )
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield JsonRecord(f"{document.name}#/{index}", item)
    else:
        yield JsonRecord(document.name, value)


def _json_lines(name: str, text: str) -> Iterator[JsonRecord | Rejected]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield JsonRecord(f"{name}:{number}", json.loads(line))
        except json.JSONDecodeError as error:
            yield Rejected(f"{name}:{number}", MALFORMED_INPUT, f"not JSON ({error.msg})")


@dataclass(frozen=True, slots=True)
class CsvRow:
    """One CSV data row as column -> text, with the line it starts on."""

    locator: str
    values: dict[str, str]


def csv_rows(
    document: SourceDocument, *, delimiter: str = ",", encoding: str = "utf-8-sig"
) -> Iterator[CsvRow | Rejected]:
    """Every data row of a CSV document with a header line; ragged rows are rejected."""
    text = document.text(encoding)
    if isinstance(text, Rejected):
        yield text
        return
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [column.strip() for column in next(reader)]
    except StopIteration:
        return
    except csv.Error as error:
        yield Rejected(f"{document.name}:1", MALFORMED_INPUT, f"unreadable CSV header ({error})")
        return
    width = len(header)
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield Rejected(f"{document.name}:{start}", MALFORMED_INPUT, f"unreadable CSV ({error})")
            return
        locator = f"{document.name}:{start}"
        start = reader.line_num + 1
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) != width:
            yield Rejected(
                locator, MALFORMED_INPUT, f"row has {len(row)} fields, the header has {width}"
            )
            continue
        yield CsvRow(locator, dict(zip(header, row, strict=True)))
