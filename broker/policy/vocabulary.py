"""The vocabularies agreements draw on: purposes, legal bases, areas, special category data.

Purposes and legal bases carry plain-language text in English and Welsh: it is what a
supervisee reads about each disclosure. Parsing takes text; reading the files is elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TypeVar

from broker.policy.parse_helpers import Collector
from broker.policy.problems import Problem
from broker.policy.yaml_source import LineDict, LineList, parse_yaml

#: The area of the national baseline and of agencies that serve all of Wales.
NATIONAL_AREA = "wales"
REGIMES = ("dpa2018_part3", "uk_gdpr")
#: Who may enrol, deselect and change the cohort of people managed in an area, unless the
#: areas file says otherwise: the joint police and probation decision of IOM.
DEFAULT_COHORT_AUTHORITY = ("police", "probation")
_TEXTS = ("name_en", "name_cy", "explanation_en", "explanation_cy")


@dataclass(frozen=True)
class Term:
    """A purpose or legal basis, named and explained in English and Welsh."""

    term_id: str
    name_en: str
    name_cy: str
    explanation_en: str
    explanation_cy: str


@dataclass(frozen=True)
class LegalBasis(Term):
    """A lawful basis; says whether it covers special category data and whether it is consent."""

    regime: str = "uk_gdpr"
    special_category: bool = False
    consent: bool = False


_T = TypeVar("_T", bound=Term)


@dataclass(frozen=True)
class Area:
    """A police force area with its own IOM arrangements, and the agencies that serve it.

    The national area (``wales``) lists the agencies that serve every area (e.g. probation).
    ``cohort_authority`` names (by id or kind) the agencies serving the area that may enrol,
    deselect and change the cohort of people managed in it.
    """

    area_id: str
    name_en: str
    name_cy: str
    agencies: tuple[str, ...] = ()
    agency_lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    names: tuple[str, ...] = ()
    cohort_authority: tuple[str, ...] = DEFAULT_COHORT_AUTHORITY
    cohort_authority_line: int = 0


@dataclass(frozen=True)
class SpecialCategory:
    """What counts as special category data: whole agency kinds, or named event fields."""

    agency_kinds: frozenset[str] = frozenset()
    fields: Mapping[str, frozenset[str]] = field(default_factory=lambda: MappingProxyType({}))

    def covers(self, source_kind: str | None, event_type: str, field_path: str) -> bool:
        """True when sharing ``field_path`` of this event from this kind of agency is special."""
        if source_kind in self.agency_kinds:
            return True
        return field_path in self.fields.get(event_type, frozenset())


@dataclass(frozen=True)
class Vocabulary:
    """Every vocabulary together."""

    purposes: Mapping[str, Term]
    legal_bases: Mapping[str, LegalBasis]
    areas: Mapping[str, Area]
    special_category: SpecialCategory


def parse_purposes(text: str, source: str) -> tuple[dict[str, Term], list[Problem]]:
    """Parse ``purposes.yaml``: a ``purposes`` list of id plus the four texts."""
    out = Collector(source)
    terms: dict[str, Term] = {}
    for item in out.mapping_list(parse_yaml(text, source), "purposes", "the purposes file"):
        out.unknown_keys(item, ("id", *_TEXTS), "a purpose")
        term = _term(out, item, "a purpose")
        if term is not None:
            _add(out, terms, term, item)
    return terms, out.problems


def parse_legal_bases(text: str, source: str) -> tuple[dict[str, LegalBasis], list[Problem]]:
    """Parse ``legal-bases.yaml``: texts plus ``regime``, ``special_category`` and ``consent``."""
    out = Collector(source)
    bases: dict[str, LegalBasis] = {}
    items = out.mapping_list(parse_yaml(text, source), "legal_bases", "the legal bases file")
    for item in items:
        allowed = ("id", *_TEXTS, "regime", "special_category", "consent")
        out.unknown_keys(item, allowed, "a legal basis")
        term = _term(out, item, "a legal basis")
        regime = out.text(item, "regime", "a legal basis")
        if regime is not None and regime not in REGIMES:
            out.error(item.line_of("regime"), f"unknown regime {regime!r} (use {REGIMES})")
        special = _flag(out, item, "special_category")
        consent = _flag(out, item, "consent")
        if term is not None and regime is not None:
            basis = LegalBasis(
                term.term_id,
                term.name_en,
                term.name_cy,
                term.explanation_en,
                term.explanation_cy,
                regime=regime,
                special_category=special,
                consent=consent,
            )
            _add(out, bases, basis, item)
    return bases, out.problems


def parse_areas(text: str, source: str) -> tuple[dict[str, Area], list[Problem]]:
    """Parse ``areas.yaml``: an ``areas`` list of id, names and the agencies serving each."""
    out = Collector(source)
    areas: dict[str, Area] = {}
    serving: dict[str, str] = {}
    for item in out.mapping_list(parse_yaml(text, source), "areas", "the areas file"):
        keys = ("id", "name_en", "name_cy", "agencies", "names", "cohort_authority")
        out.unknown_keys(item, keys, "an area")
        area_id, name_en, name_cy = (
            out.text(item, key, "an area") for key in ("id", "name_en", "name_cy")
        )
        agencies = out.names(item, "agencies", "an area")
        names = out.names(item, "names", "an area") if "names" in item else ()
        authority = _cohort_authority(out, item)
        if area_id is None or name_en is None or name_cy is None:
            continue
        if area_id in areas:
            out.error(item.line_of("id"), f"area {area_id!r} is listed twice")
        for agency, line in agencies:
            other = serving.setdefault(agency, area_id)
            if other != area_id:
                out.error(line, f"agency {agency!r} already serves area {other!r}")
        areas[area_id] = Area(
            area_id,
            name_en,
            name_cy,
            tuple(agency for agency, _ in agencies),
            MappingProxyType(dict(agencies)),
            tuple(name for name, _ in names),
            authority,
            item.line_of("cohort_authority"),
        )
    if NATIONAL_AREA not in areas:
        out.error(1, f"the areas file must list the national area {NATIONAL_AREA!r}")
    named: dict[str, str] = {}
    for area in areas.values():
        for name in {area_key(n) for n in (area.area_id, area.name_en, area.name_cy, *area.names)}:
            other = named.setdefault(name, area.area_id)
            if other != area.area_id:
                out.error(1, f"area name {name!r} is used by both {other!r} and {area.area_id!r}")
    return areas, out.problems


def _cohort_authority(out: Collector, item: LineDict) -> tuple[str, ...]:
    if "cohort_authority" not in item:
        return DEFAULT_COHORT_AUTHORITY
    if item["cohort_authority"] == []:
        return ()
    return tuple(name for name, _ in out.names(item, "cohort_authority", "an area"))


def area_key(name: str) -> str:
    """How area names are matched: case, hyphens and spacing do not matter."""
    return " ".join(name.casefold().replace("-", " ").replace("_", " ").split())


def area_names(areas: Mapping[str, Area]) -> dict[str, str]:
    """Every name an enrolment may give an area (its id, names in both languages, ``names``)."""
    found: dict[str, str] = {}
    for area in areas.values():
        for name in (area.area_id, area.name_en, area.name_cy, *area.names):
            found.setdefault(area_key(name), area.area_id)
    return found


def parse_special_category(text: str, source: str) -> tuple[SpecialCategory, list[Problem]]:
    """Parse ``special-category.yaml``: ``agency_kinds`` and ``fields`` per event type."""
    out = Collector(source)
    data = parse_yaml(text, source)
    out.unknown_keys(data, ("agency_kinds", "fields"), "the special category file")
    kinds = frozenset(name for name, _ in out.names(data, "agency_kinds", "the file"))
    fields: dict[str, frozenset[str]] = {}
    declared = data.get("fields") or LineDict()
    if not isinstance(declared, LineDict):
        out.error(data.line_of("fields"), "'fields' must map event types to lists of fields")
        declared = LineDict()
    for event_type, names in declared.items():
        if not isinstance(names, LineList) or not all(isinstance(n, str) for n in names):
            out.error(declared.line_of(event_type), f"{event_type!r} must list field names")
            continue
        fields[event_type] = frozenset(names)
    return SpecialCategory(kinds, MappingProxyType(fields)), out.problems


def _term(out: Collector, item: LineDict, what: str) -> Term | None:
    values = [out.text(item, key, what) for key in ("id", *_TEXTS)]
    if any(value is None for value in values):
        return None
    term_id, name_en, name_cy, explanation_en, explanation_cy = (str(v) for v in values)
    return Term(term_id, name_en, name_cy, explanation_en, explanation_cy)


def _flag(out: Collector, item: LineDict, key: str) -> bool:
    value = item.get(key, False)
    if not isinstance(value, bool):
        out.error(item.line_of(key), f"{key!r} must be true or false, not {value!r}")
        return False
    return value


def _add(out: Collector, terms: dict[str, _T], term: _T, item: LineDict) -> None:
    if term.term_id in terms:
        out.error(item.line_of("id"), f"{term.term_id!r} is listed twice")
    terms[term.term_id] = term
