"""What a subject reference may look like: the one pattern every entry point checks. Pure.

A subject reference is the opaque name the broker gives a person (``subj-<32 hex digits>``,
see :mod:`broker.domain.cohort_table`); identity providers put it in supervisees' tokens and
callers put it in paths and options. Only printable ASCII letters, digits and ``. _ : -`` are
allowed, starting with a letter or digit, at most 128 characters: no spaces, control
characters, newlines or Unicode bidirectional controls, so a reference can never forge a log
line or display differently from what it is.
"""

from __future__ import annotations

import re
from typing import TypeGuard

__all__ = ["SUBJECT_REF_CHARACTERS", "SUBJECT_REF_PATTERN", "is_subject_ref"]

SUBJECT_REF_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$"
"""Anchored at both ends; Python callers must use :func:`is_subject_ref` (``fullmatch``),
since ``re.match`` lets ``$`` match before a trailing newline."""

SUBJECT_REF_CHARACTERS = (
    "1 to 128 ASCII letters, digits, '.', '_', ':' or '-', starting with a letter or digit"
)
"""The pattern in words, for error messages (which never repeat the value itself)."""

_COMPILED = re.compile(SUBJECT_REF_PATTERN)


def is_subject_ref(value: object) -> TypeGuard[str]:
    """Whether ``value`` is a string that matches :data:`SUBJECT_REF_PATTERN` entirely."""
    return isinstance(value, str) and _COMPILED.fullmatch(value) is not None
