"""Where the statistics pieces come from: the store, the areas and the names to print."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from broker.agency_registry import load_agencies
from broker.policy.vocabulary import parse_areas, parse_legal_bases, parse_purposes
from broker.records.database import RecordsDatabase
from broker.settings import Settings
from broker.statistics.report import Report, Scope, build_report
from broker.statistics.rights import request_counts
from broker.statistics.store import StatisticsStore
from broker.statistics.uk_month import UK_TIME, month_range

__all__ = ["StatisticsContext", "open_statistics_store", "report_for", "statistics_context"]

_WORDS = {
    "answered_on_time": ("Answered on time", "Atebwyd mewn pryd"),
    "answered_late": ("Answered late", "Atebwyd yn hwyr"),
    "open_in_time": ("Open, within time", "Ar agor, o fewn amser"),
    "open_overdue": ("Open, overdue", "Ar agor, yn hwyr"),
    "extended": ("Extended", "Estynnwyd"),
    "not_extended": ("Not extended", "Heb ei estyn"),
}
_COHORT_NAMES = {
    "FIXED": ("Fixed", "Sefydlog"),
    "FLEX": ("Flex", "Hyblyg"),
    "FREE": ("Free", "Rhydd"),
}


@dataclass(frozen=True)
class StatisticsContext:
    """The areas (in the vocabulary's order), each agency's area, and names in en and cy."""

    areas: tuple[str, ...]
    agency_areas: dict[str, str]
    labels_en: dict[str, str]
    labels_cy: dict[str, str]
    threshold_percent: float
    contact: str

    def labels(self, language: str) -> dict[str, str]:
        """Names of areas, agencies and cohorts in ``language`` (``en`` or ``cy``)."""
        return self.labels_cy if language == "cy" else self.labels_en


def statistics_context(settings: Settings) -> StatisticsContext:
    """Read the areas vocabulary and the agency registry named by ``settings``."""
    path = settings.policy_file / "vocabulary" / "areas.yaml"
    areas, _problems = parse_areas(path.read_text(encoding="utf-8"), str(path))
    agencies = load_agencies(settings.agencies_file)
    agency_areas = {a: area.area_id for area in areas.values() for a in area.agencies}
    labels_en = {area.area_id: area.name_en for area in areas.values()}
    labels_cy = {area.area_id: area.name_cy for area in areas.values()}
    for agency in agencies:
        labels_en[agency.agency_id] = agency.name_en
        labels_cy[agency.agency_id] = agency.name_cy
    vocabulary = settings.policy_file / "vocabulary"
    purposes, _ = parse_purposes((vocabulary / "purposes.yaml").read_text("utf-8"), "purposes")
    bases, _ = parse_legal_bases(
        (vocabulary / "legal-bases.yaml").read_text("utf-8"), "legal-bases"
    )
    for term in [*purposes.values(), *bases.values()]:
        labels_en[term.term_id], labels_cy[term.term_id] = term.name_en, term.name_cy
    for word, (en, cy) in {**_COHORT_NAMES, **_WORDS}.items():
        labels_en[word], labels_cy[word] = en, cy
    ordered = tuple(a for a in areas if a != "wales")
    return StatisticsContext(
        ordered,
        agency_areas,
        labels_en,
        labels_cy,
        settings.statistics.net_widening_threshold_percent,
        settings.statistics.contact,
    )


def open_statistics_store(settings: Settings) -> StatisticsStore:
    """The configured statistics store (created if missing)."""
    return StatisticsStore(settings.statistics.store_url)


def report_for(
    store: StatisticsStore,
    context: StatisticsContext,
    first_month: str,
    last_month: str,
    scope: Scope | None = None,
    records: RecordsDatabase | None = None,
) -> Report:
    """The published report for the period: cohort sizes count every change from the start."""
    if first_month > last_month or not month_range(first_month, last_month):
        raise ValueError(f"period {first_month} to {last_month} is empty")
    counted = store.period_facts(first_month, last_month)
    if records is not None:
        today = datetime.now(UK_TIME).date()
        counted += request_counts(records, first_month, last_month, today, context.agency_areas)
    return build_report(
        counted,
        first_month,
        last_month,
        context.areas,
        context.agency_areas,
        scope or Scope(),
        context.threshold_percent,
    )
