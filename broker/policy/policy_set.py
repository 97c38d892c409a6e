"""A whole policy version: the vocabularies plus every agreement, parsed but not yet checked."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from broker.policy.agreement import Agreement, Rule
from broker.policy.parse_agreement import parse_agreement
from broker.policy.policy_source import (
    AREAS_FILE,
    LEGAL_BASES_FILE,
    PURPOSES_FILE,
    SPECIAL_CATEGORY_FILE,
    PolicySource,
)
from broker.policy.problems import PolicyError, Problem
from broker.policy.vocabulary import (
    NATIONAL_AREA,
    SpecialCategory,
    Vocabulary,
    parse_areas,
    parse_legal_bases,
    parse_purposes,
    parse_special_category,
)

_T = TypeVar("_T")


@dataclass(frozen=True)
class PolicySet:
    """Vocabularies and agreements of one policy version (national baseline first)."""

    version: str
    vocabulary: Vocabulary
    agreements: tuple[Agreement, ...]
    source: PolicySource

    def rules(self) -> Iterator[Rule]:
        """Every rule, agreement by agreement, in file order."""
        for agreement in self.agreements:
            yield from agreement.rules

    def layers(self, area: str) -> tuple[tuple[Agreement, ...], tuple[Agreement, ...]]:
        """The agreements in force for ``area``: its local ones, then the national baseline."""
        local = tuple(a for a in self.agreements if a.area == area and area != NATIONAL_AREA)
        national = tuple(a for a in self.agreements if a.area == NATIONAL_AREA)
        return local, national

    def area_of(self, agency_id: str) -> str | None:
        """The area an agency serves (``wales`` for all-Wales services), if any."""
        for area in self.vocabulary.areas.values():
            if agency_id in area.agencies:
                return area.area_id
        return None


def parse_policy_set(source: PolicySource) -> tuple[PolicySet | None, list[Problem]]:
    """Parse every file; return the set (None if a file is unusable) and all problems."""
    problems: list[Problem] = []

    def parse(path: str, parser: Callable[[str, str], tuple[_T, list[Problem]]]) -> _T | None:
        text = source.files.get(path)
        if text is None:
            problems.append(Problem(source.where(path), 0, "missing vocabulary file"))
            return None
        try:
            value, found = parser(text, source.where(path))
        except PolicyError as error:
            problems.append(_problem_of(error, source.where(path)))
            return None
        problems.extend(found)
        return value

    purposes = parse(PURPOSES_FILE, parse_purposes)
    legal_bases = parse(LEGAL_BASES_FILE, parse_legal_bases)
    areas = parse(AREAS_FILE, parse_areas)
    special = parse(SPECIAL_CATEGORY_FILE, parse_special_category)
    agreements = [parse(path, parse_agreement) for path in source.agreement_paths()]
    if not source.agreement_paths():
        problems.append(Problem(source.where("agreements"), 0, "no agreement files (*.yaml)"))
    if purposes is None or legal_bases is None or areas is None or special is None:
        return None, problems
    if any(a is None for a in agreements) or any(p.is_error for p in problems):
        return None, problems
    vocabulary = Vocabulary(purposes, legal_bases, areas, special or SpecialCategory())
    ordered = sorted(
        (a for a in agreements if a is not None),
        key=lambda a: (a.area != NATIONAL_AREA, a.area, a.agreement_id),
    )
    return PolicySet(source.version, vocabulary, tuple(ordered), source), problems


def _problem_of(error: PolicyError, where: str) -> Problem:
    return error.problems[0] if error.problems else Problem(where, 0, str(error))
