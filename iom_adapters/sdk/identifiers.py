"""Normalise and check the subject identifiers agencies send (CRN, NOMS, PNC ID, NHS number).

The router links people by exact identifier strings, so every adapter writes one canonical
form: upper case without spaces; PNC IDs as ``YYYY/NNNNNNNL``; NHS numbers as ten digits.
Errors name the identifier type and the source field, never the value.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from iom_adapters.sdk.outcomes import INVALID_IDENTIFIER, MappingError

_CRN = re.compile(r"^[A-Z][0-9]{6}$")
_NOMS = re.compile(r"^[A-Z][0-9]{4}[A-Z]{2}$")
_PNC = re.compile(r"^([0-9]{2}|[0-9]{4})/([0-9]{1,7})([A-Z])$")
_PNC_CHECK_LETTERS = "ZABCDEFGHJKLMNPQRTUVWXY"
_NHS_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


def _compact(value: str) -> str:
    return "".join(value.split()).upper()


def crn(value: str, field: str) -> str:
    """A probation case reference number: one letter and six digits, e.g. ``X123456``."""
    text = _compact(value)
    if not _CRN.match(text):
        raise MappingError(INVALID_IDENTIFIER, field, "not a CRN (one letter and six digits)")
    return text


def noms_number(value: str, field: str) -> str:
    """A prison (NOMIS) number: letter, four digits, two letters, e.g. ``A1234BC``."""
    text = _compact(value)
    if not _NOMS.match(text):
        raise MappingError(
            INVALID_IDENTIFIER, field, "not a NOMS number (letter, 4 digits, 2 letters)"
        )
    return text


def pnc_check_letter(year: str, serial: str) -> str:
    """The PNC ID check letter of a two- or four-digit year and a serial number."""
    return _PNC_CHECK_LETTERS[int(year[-2:] + serial.zfill(7)) % 23]


def pnc_id(value: str, field: str, *, check_letter: bool = True) -> str:
    """A Police National Computer id as ``YYYY/NNNNNNNL`` (two-digit years are expanded)."""
    match = _PNC.match(_compact(value))
    if match is None:
        raise MappingError(INVALID_IDENTIFIER, field, "not a PNC ID (YY/NNNNNNNL or YYYY/NNNNNNNL)")
    year, serial, letter = match.groups()
    if check_letter and pnc_check_letter(year, serial) != letter:
        raise MappingError(INVALID_IDENTIFIER, field, "PNC ID check letter does not match")
    if len(year) == 2:
        century = 2000 if int(year) <= datetime.now(UTC).year % 100 else 1900
        year = str(century + int(year))
    return f"{year}/{serial.zfill(7)}{letter}"


def nhs_number(value: str, field: str) -> str:
    """A ten-digit NHS number whose modulus-11 check digit is right (spaces and dashes removed)."""
    digits = value.replace(" ", "").replace("-", "")
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        raise MappingError(INVALID_IDENTIFIER, field, "not an NHS number (ten digits)")
    total = sum(int(d) * w for d, w in zip(digits, _NHS_WEIGHTS, strict=False))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    if check == 10 or check != int(digits[9]):
        raise MappingError(INVALID_IDENTIFIER, field, "NHS number check digit does not match")
    return digits


def nhs_check_digit(first_nine: str) -> int | None:
    """The check digit completing nine NHS number digits, or None if no valid number exists."""
    total = sum(int(d) * w for d, w in zip(first_nine, _NHS_WEIGHTS, strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return None if check == 10 else check
