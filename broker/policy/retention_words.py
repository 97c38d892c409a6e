"""A retention period (ISO 8601 duration such as ``P2Y`` or ``P1Y6M``) in words: "2 years".

Welsh counts mutate the noun (1 flwyddyn, 2 flynedd, 3 blynedd, 5 mlynedd); the forms here
cover the periods agreements use and fall back to "<n> o flynyddoedd" style beyond ten. A
value that is not a simple duration is shown as it is written.
"""

from __future__ import annotations

import re

from broker.policy.policy_words import Language

__all__ = ["retention_words"]

_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")
_UNITS = ("year", "month", "week", "day")

#: Welsh noun after a count of 1..10: the forms that mutate, the usual form, and the form
#: after "o" used beyond ten ("11 o flynyddoedd").
_CY: dict[str, tuple[dict[int, str], str, str]] = {
    "year": (
        {1: "flwyddyn", 2: "flynedd", 5: "mlynedd", 7: "mlynedd", 8: "mlynedd", 9: "mlynedd"}
        | {10: "mlynedd"},
        "blynedd",
        "o flynyddoedd",
    ),
    "month": ({2: "fis"}, "mis", "o fisoedd"),
    "week": ({}, "wythnos", "o wythnosau"),
    "day": ({2: "ddiwrnod"}, "diwrnod", "o ddiwrnodau"),
}


def retention_words(duration: str, lang: Language) -> str:
    """``P2Y`` -> "2 years" / "2 flynedd"; ``P1Y6M`` -> "1 year and 6 months"."""
    match = _DURATION.match(duration)
    if match is None or not any(match.groups()):
        return duration
    parts = [
        _count(int(value), unit, lang)
        for value, unit in zip(match.groups(), _UNITS, strict=True)
        if value is not None and int(value) > 0
    ]
    if not parts:
        return duration
    joiner = " a " if lang == "cy" else " and "
    return ", ".join(parts[:-1]) + joiner + parts[-1] if len(parts) > 1 else parts[0]


def _count(number: int, unit: str, lang: Language) -> str:
    if lang == "cy":
        mutated, usual, beyond = _CY[unit]
        return f"{number} {mutated.get(number, usual) if number <= 10 else beyond}"
    return f"{number} {unit}" if number == 1 else f"{number} {unit}s"
