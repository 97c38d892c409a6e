"""Who sees which statistics, and the report they get: the one door every route goes through.

* ``oversight`` (national oversight group, PCCs, regional probation directors): all of Wales;
* a DPO: the flows involving their agency, and the cohort measures of its area;
* anyone else: nothing.

Every report is published (:mod:`broker.statistics.disclosure_control`): no role, and no
route, gets a count from 1 to 4. Reports are cached per period and scope until the store
moves on (the service commits a batch), so pages and exports answer quickly at scale.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

from broker.identity.principal import Principal, Role
from broker.records.database import RecordsDatabase
from broker.statistics.report import Report, Scope
from broker.statistics.store import StatisticsStore
from broker.statistics.uk_month import UK_TIME
from broker.statistics.wiring import StatisticsContext, report_for

__all__ = ["OversightStatistics", "scope_for"]

_CACHED_REPORTS = 64


def scope_for(principal: Principal) -> Scope | None:
    """The scope ``principal`` may see, or None when it may see no statistics."""
    if principal.role is Role.OVERSIGHT:
        return Scope()
    if principal.role is Role.DPO and principal.agency is not None:
        return Scope(agency=principal.agency)
    return None


class OversightStatistics:
    """Published reports over one statistics store."""

    def __init__(
        self,
        store: StatisticsStore,
        context: StatisticsContext,
        records: RecordsDatabase | None = None,
    ) -> None:
        self.store = store
        self.context = context
        self.records = records
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str, Scope], tuple[int, Report]] = {}
        self._files: dict[tuple[str, str, Scope, str], tuple[int, bytes]] = {}

    def _version(self) -> int:
        """Changes when the service commits a batch, and each day (request deadlines pass)."""
        return self.store.version() * 100_000 + datetime.now(UK_TIME).date().toordinal() % 100_000

    def clear_cache(self) -> None:
        """Forget every cached report (the next requests rebuild them)."""
        with self._lock:
            self._cache.clear()
            self._files.clear()

    def report(self, first_month: str, last_month: str, scope: Scope) -> Report:
        """The published report; ValueError for an empty period."""
        version = self._version()
        key = (first_month, last_month, scope)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None and cached[0] == version:
                return cached[1]
        report = report_for(self.store, self.context, first_month, last_month, scope, self.records)
        with self._lock:
            if len(self._cache) >= _CACHED_REPORTS:
                self._cache.clear()
            self._cache[key] = (version, report)
        return report

    def export(
        self,
        first_month: str,
        last_month: str,
        scope: Scope,
        file_format: str,
        render: Callable[[Report], bytes],
    ) -> tuple[Report, bytes]:
        """The report and its file in ``file_format`` (made by ``render``), cached like it."""
        version = self._version()
        key = (first_month, last_month, scope, file_format)
        report = self.report(first_month, last_month, scope)
        with self._lock:
            cached = self._files.get(key)
            if cached is not None and cached[0] == version:
                return report, cached[1]
        body = render(report)
        with self._lock:
            if len(self._files) >= _CACHED_REPORTS:
                self._files.clear()
            self._files[key] = (version, body)
        return report, body
