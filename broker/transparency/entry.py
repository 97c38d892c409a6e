"""One log entry: what was decided about sharing one event with one recipient, canonically encoded.

The encoding is canonical JSON: keys sorted, no whitespace, ASCII only, timestamps as
``YYYY-MM-DDTHH:MM:SS.mmmZ``, ``fields_shared`` sorted. The same entry always encodes to the
same bytes, and :func:`decode_entry` refuses any other spelling. An entry that records how
shared fields were changed, or which fields were withheld, is version 2 (keys
``field_transforms`` and ``fields_withheld``); one without such details is encoded exactly as
version 1, so entries written before version 2 still read and verify. Each entry carries a fresh
32-byte random salt, so its leaf hash reveals nothing about it (nor about other people) to
anyone who sees a proof. The subject appears only as the log's keyed subject index.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

from broker.transparency.errors import EntryError

ENTRY_VERSION = 2
_DETAIL_FIELDS = ("field_transforms", "fields_withheld")
SALT_BYTES = 32
_TIME_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z")
#: ``json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=True)``, built once:
#: ``json.dumps`` with options makes a new encoder on every call.
_CANONICAL_JSON = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def _time_text(value: datetime) -> str:
    if value.tzinfo is None:
        raise EntryError("entry timestamps must be timezone-aware (UTC)")
    v = value if value.tzinfo is UTC else value.astimezone(UTC)
    return v.isoformat(timespec="milliseconds")[:-6] + "Z"  # "...+00:00" -> "...Z", truncated ms


def _parse_time(text: object, name: str) -> datetime:
    if not isinstance(text, str) or len(text) != 24 or not text.endswith("Z"):
        raise EntryError(f"entry field {name} is not a UTC timestamp like 2025-01-31T09:00:00.000Z")
    try:
        if not _TIME_PATTERN.fullmatch(text):
            raise ValueError(text)
        return datetime.fromisoformat(text)
    except ValueError:
        raise EntryError(f"entry field {name} is not a valid timestamp") from None


@dataclass(frozen=True)
class LogEntry:
    """A disclosure decision as committed to the log (permitted or refused)."""

    salt: bytes
    disclosure_id: str
    event_id: str
    event_type: str
    occurred_at: datetime
    decided_at: datetime
    source_agency: str
    recipient_agency: str
    subject: str | None
    permitted: bool
    reason: str | None
    rule_id: str | None
    purpose: str | None
    legal_basis: str | None
    policy_version: str
    fields_shared: tuple[str, ...]
    retention: str | None
    field_transforms: tuple[tuple[str, str], ...] = ()
    """``(field, transform)`` for each shared field that was changed, sorted (version 2)."""
    fields_withheld: tuple[str, ...] = ()
    """Payload fields that held a value but were not disclosed, sorted (version 2)."""

    @property
    def version(self) -> int:
        """2 when the entry records field details, else 1 (the version 1 encoding)."""
        return 2 if self.field_transforms or self.fields_withheld else 1

    def as_json(self) -> dict[str, Any]:
        """The entry as the JSON object it is encoded as."""
        version = self.version
        body: dict[str, Any] = dict(self.__dict__)  # every field (key order: sorted on encoding)
        body["v"] = version
        body["salt"] = self.salt.hex()
        body["occurred_at"] = _time_text(self.occurred_at)
        body["decided_at"] = _time_text(self.decided_at)
        body["fields_shared"] = sorted(self.fields_shared)
        if version == 2:
            body["field_transforms"] = dict(sorted(self.field_transforms))
            body["fields_withheld"] = sorted(self.fields_withheld)
        else:
            for name in _DETAIL_FIELDS:
                del body[name]
        return body

    def encode(self) -> bytes:
        """The canonical bytes the leaf hash commits to."""
        if len(self.salt) != SALT_BYTES:
            raise EntryError(f"entry salt is {len(self.salt)} bytes, expected {SALT_BYTES}")
        return _CANONICAL_JSON.encode(self.as_json()).encode("ascii")


_FIELD_NAMES = tuple(f.name for f in fields(LogEntry))
_V1_FIELD_NAMES = tuple(name for name in _FIELD_NAMES if name not in _DETAIL_FIELDS)
_STRINGS = ("disclosure_id", "event_id", "event_type", "source_agency", "recipient_agency")
_OPTIONAL = ("subject", "reason", "rule_id", "purpose", "legal_basis", "retention")


def decode_entry(data: bytes) -> LogEntry:
    """Read canonical entry bytes back; raise EntryError if they are not exactly canonical."""
    try:
        body = json.loads(data.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        raise EntryError("entry is not ASCII JSON") from None
    if not isinstance(body, dict):
        raise EntryError("entry is not a JSON object")
    version = body.get("v")
    if version not in (1, 2):
        raise EntryError(f"entry version {version!r} is not 1 or {ENTRY_VERSION}")
    expected = {*(_FIELD_NAMES if version == 2 else _V1_FIELD_NAMES), "v"}
    if set(body) != expected:
        odd = sorted(set(body) ^ expected)
        raise EntryError(f"entry fields differ from version {version}: {', '.join(odd)}")
    for name in (*_STRINGS, "policy_version"):
        if not isinstance(body[name], str):
            raise EntryError(f"entry field {name} is not a string")
    for name in _OPTIONAL:
        if body[name] is not None and not isinstance(body[name], str):
            raise EntryError(f"entry field {name} is not a string or null")
    shared = body["fields_shared"]
    if not isinstance(shared, list) or not all(isinstance(item, str) for item in shared):
        raise EntryError("entry field fields_shared is not a list of strings")
    transforms, withheld = _details(body) if version == 2 else ({}, [])
    if not isinstance(body["permitted"], bool):
        raise EntryError("entry field permitted is not true or false")
    try:
        salt = bytes.fromhex(body["salt"])
    except (TypeError, ValueError):
        raise EntryError("entry field salt is not hex") from None
    entry = LogEntry(
        salt=salt,
        occurred_at=_parse_time(body["occurred_at"], "occurred_at"),
        decided_at=_parse_time(body["decided_at"], "decided_at"),
        fields_shared=tuple(shared),
        permitted=body["permitted"],
        policy_version=body["policy_version"],
        field_transforms=tuple(sorted(transforms.items())),
        fields_withheld=tuple(withheld),
        **{name: body[name] for name in (*_STRINGS, *_OPTIONAL)},
    )
    if entry.encode() != data:
        raise EntryError("entry is not in canonical form (key order, spacing or escaping)")
    return entry


def _details(body: Mapping[str, Any]) -> tuple[dict[str, str], list[str]]:
    transforms = body["field_transforms"]
    if not isinstance(transforms, dict) or not all(
        isinstance(value, str) for value in transforms.values()
    ):
        raise EntryError("entry field field_transforms is not an object of strings")
    withheld = body["fields_withheld"]
    if not isinstance(withheld, list) or not all(isinstance(item, str) for item in withheld):
        raise EntryError("entry field fields_withheld is not a list of strings")
    return transforms, withheld


def fresh_salts(count: int) -> list[bytes]:
    """``count`` fresh random salts from one read of the OS's random source (one per entry)."""
    pool = os.urandom(SALT_BYTES * count)
    return [pool[i : i + SALT_BYTES] for i in range(0, len(pool), SALT_BYTES)]


def entry_from_disclosure(
    record: Mapping[str, Any], subject: str | None, salt: bytes | None = None
) -> LogEntry:
    """Build the entry for a decoded ``iom.audit.Disclosure`` record, with a fresh salt."""
    try:
        return LogEntry(
            salt=os.urandom(SALT_BYTES) if salt is None else salt,
            disclosure_id=record["disclosure_id"],
            event_id=record["event_id"],
            event_type=record["event_type"],
            occurred_at=record["occurred_at"],
            decided_at=record["decided_at"],
            source_agency=record["source_agency"],
            recipient_agency=record["recipient_agency"],
            subject=subject,
            permitted=bool(record["permitted"]),
            reason=record.get("reason"),
            rule_id=record.get("rule_id"),
            purpose=record.get("purpose"),
            legal_basis=record.get("legal_basis"),
            policy_version=record["policy_version"],
            fields_shared=tuple(sorted(record.get("fields_shared") or ())),
            retention=record.get("retention"),
            field_transforms=tuple(sorted((record.get("field_transforms") or {}).items())),
            fields_withheld=tuple(sorted(record.get("fields_withheld") or ())),
        )
    except KeyError as missing:
        raise EntryError(f"disclosure record has no field {missing.args[0]}") from None
