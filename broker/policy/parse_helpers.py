"""Small checks shared by the agreement and vocabulary parsers; each problem names its line."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from broker.policy.problems import Problem
from broker.policy.yaml_source import LineDict, LineList


class Collector:
    """Gathers problems for one source file, so a parser can report all of them at once."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def error(self, line: int, message: str, code: str = "") -> None:
        """Record an error at ``line``."""
        self.problems.append(Problem(self.source, line, message, "error", code))

    def warning(self, line: int, message: str, code: str = "") -> None:
        """Record a warning at ``line``."""
        self.problems.append(Problem(self.source, line, message, "warning", code))

    def unknown_keys(self, data: LineDict, allowed: Iterable[str], what: str) -> None:
        """Report keys a DPO may have mistyped (e.g. ``retension``)."""
        known = set(allowed)
        for key in data:
            if key not in known:
                self.error(
                    data.line_of(key),
                    f"unknown key {key!r} in {what} (expected one of: {', '.join(sorted(known))})",
                )

    def text(self, data: LineDict, key: str, what: str, required: bool = True) -> str | None:
        """The value of ``key`` as text; numbers are accepted as text (e.g. ``version: 3``)."""
        value = data.get(key)
        if value is None:
            if required:
                self.error(data.line, f"{what} has no {key!r}")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(data.line_of(key), f"{key!r} must be text, not {_shown(value)}")
            return None
        text = str(value).strip()
        if not text:
            self.error(data.line_of(key), f"{key!r} must not be empty")
            return None
        return text

    def names(self, data: LineDict, key: str, what: str) -> tuple[tuple[str, int], ...]:
        """A name or a non-empty list of names, each with its line."""
        value = data.get(key)
        line = data.line_of(key)
        if value is None:
            self.error(data.line, f"{what} has no {key!r}")
            return ()
        if isinstance(value, str):
            return ((value, line),)
        if not isinstance(value, LineList) or not value:
            self.error(line, f"{key!r} must be a name or a non-empty list of names")
            return ()
        found = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.error(value.line_of(index), f"{key!r} item {_shown(item)} is not a name")
                continue
            found.append((item, value.line_of(index)))
        return tuple(found)

    def mapping_list(self, data: LineDict, key: str, what: str) -> list[LineDict]:
        """A list of mappings (e.g. ``rules``); each non-mapping item is reported."""
        value = data.get(key)
        if value is None:
            self.error(data.line, f"{what} has no {key!r}")
            return []
        if not isinstance(value, LineList):
            self.error(data.line_of(key), f"{key!r} must be a list")
            return []
        found = []
        for index, item in enumerate(value):
            if isinstance(item, LineDict):
                found.append(item)
            else:
                self.error(value.line_of(index), f"each item of {key!r} must be a mapping")
        return found


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
