"""Field transforms: drop, mask, generalise, pseudonymise. Each keeps the field's Avro type.

Keeping the type means the delivery schemas carry transformed values unchanged: a generalised
date is the first day of its month, a generalised postcode its district (outward code), a
generalised offence description the offence category, a pseudonym a string. A value that
cannot be generalised safely (not a postcode, say) becomes null rather than leak.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from broker.policy.event_fields import FieldInfo

#: (value, the event's payload, the recipient's pseudonym key) -> transformed value
TransformFunction = Callable[[Any, Mapping[str, Any], bytes], Any]

MASKED_TEXT = "[withheld]"
MASK_KEEP_LAST = 3
PSEUDONYM_PREFIX = "pn-"
PSEUDONYM_HEX_CHARS = 24
_OUTWARD_CODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*[0-9][A-Z]{2}$")


def transform_problem(transform: str, info: FieldInfo, event_fields: Mapping[str, Any]) -> str:
    """Why ``transform`` cannot apply to this field ('' when it can)."""
    if transform == "drop":
        return ""
    if transform in ("mask", "pseudonymise") and info.kind != "string":
        return f"cannot {transform} {info.path!r}: only text fields can be, it is {info.kind}"
    if transform == "generalise" and _generaliser(info, event_fields) is None:
        return (
            f"cannot generalise {info.path!r} ({info.kind}): only dates and times (to the"
            " month), postcodes (to the district) and offence descriptions (to the category)"
        )
    return ""


def transform_function(
    transform: str, info: FieldInfo, event_fields: Mapping[str, Any]
) -> TransformFunction:
    """The function applying ``transform`` to this field; raise ValueError if it cannot."""
    problem = transform_problem(transform, info, event_fields)
    if problem:
        raise ValueError(problem)
    if transform == "drop":
        return _drop
    if transform == "mask":
        return _mask_identifier if info.section == "subject" else _mask_text
    if transform == "pseudonymise":
        return _pseudonymiser(info.path)
    generaliser = _generaliser(info, event_fields)
    assert generaliser is not None
    return generaliser


def recipient_pseudonym_key(master_key: bytes, recipient: str) -> bytes:
    """The recipient's own key: pseudonyms from two recipients' keys cannot be linked."""
    return hmac.new(master_key, f"iom-pseudonym/{recipient}".encode(), hashlib.sha256).digest()


def generalise_postcode(value: str) -> str | None:
    """``NP20 1AA`` -> ``NP20``; an outward code stays as it is; anything else -> None."""
    text = value.strip().upper()
    match = _POSTCODE.match(text)
    if match:
        return match.group(1)
    return text if _OUTWARD_CODE.match(text) else None


def generalise_to_month(value: date) -> date:
    """A date or an aware datetime, moved to the first day of its month (midnight UTC)."""
    if isinstance(value, datetime):
        return datetime(value.year, value.month, 1, tzinfo=UTC)
    return date(value.year, value.month, 1)


def _generaliser(info: FieldInfo, event_fields: Mapping[str, Any]) -> TransformFunction | None:
    if info.kind in ("date", "timestamp"):
        return _month
    if info.kind == "string" and info.name.endswith("postcode"):
        return _postcode
    if info.path == "payload.offence_description" and "payload.offence_category" in event_fields:
        return _offence_category
    return None


def _drop(value: Any, payload: Mapping[str, Any], key: bytes) -> Any:
    return None


def _mask_identifier(value: Any, payload: Mapping[str, Any], key: bytes) -> Any:
    if value is None:
        return None
    text = str(value)
    hidden = max(len(text) - MASK_KEEP_LAST, 1)
    return "*" * hidden + text[hidden:]


def _mask_text(value: Any, payload: Mapping[str, Any], key: bytes) -> Any:
    return None if value is None else MASKED_TEXT


def _month(value: Any, payload: Mapping[str, Any], key: bytes) -> Any:
    return None if value is None else generalise_to_month(value)


def _postcode(value: Any, payload: Mapping[str, Any], key: bytes) -> Any:
    return None if value is None else generalise_postcode(str(value))


def _offence_category(value: Any, payload: Mapping[str, Any], key: bytes) -> Any:
    return None if value is None else payload.get("offence_category")


def _pseudonymiser(path: str) -> TransformFunction:
    label = f"{path}\x00".encode()

    def pseudonymise(value: Any, payload: Mapping[str, Any], key: bytes) -> Any:
        if value is None:
            return None
        digest = hmac.new(key, label + str(value).encode(), hashlib.sha256).hexdigest()
        return PSEUDONYM_PREFIX + digest[:PSEUDONYM_HEX_CHARS]

    return pseudonymise
