"""What is wrong with a policy: one-line ``file:line: message`` problems, errors or warnings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

#: Problem codes a caller may act on (e.g. activation refuses unapproved agreements).
CODE_UNAPPROVED = "unapproved"
CODE_REVIEW_OVERDUE = "review_overdue"
CODE_PURPOSE_CONFLICT = "purpose_conflict"
CODE_NO_COHORT_AUTHORITY = "no_cohort_authority"


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, located at a file and line; the message quotes the offending value."""

    source: str
    line: int
    message: str
    severity: Severity = "error"
    code: str = ""

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{self.message}"

    @property
    def is_error(self) -> bool:
        """True for an error (the policy cannot be used), false for a warning."""
        return self.severity == "error"


class PolicyError(ValueError):
    """A policy cannot be used; ``str()`` is the first problem, ``problems`` lists them all."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems: tuple[Problem, ...] = tuple(problems)

    @classmethod
    def from_problems(cls, problems: Iterable[Problem]) -> PolicyError:
        """An error whose message is the first error (and how many more there are)."""
        errors = sorted(p for p in problems if p.is_error)
        if not errors:
            raise ValueError("from_problems needs at least one error")
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return cls(f"{errors[0]}{more}", errors)


def errors_of(problems: Iterable[Problem]) -> list[Problem]:
    """Only the errors, in file and line order."""
    return sorted(p for p in problems if p.is_error)


class PolicyUnreadable(PolicyError):
    """A policy directory, file or traffic file could not be read at all (missing, not a
    directory, not text): nothing about what it says, so commands exit 2, not 1."""
