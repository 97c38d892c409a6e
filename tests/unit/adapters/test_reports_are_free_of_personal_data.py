"""No report, for any sample of any adapter, quotes an identifier or a value of a record."""

from __future__ import annotations

import io
import json
from pathlib import Path

import structlog

from broker.catalogue.catalogue import default_catalogue
from broker.logging_setup import configure_logging
from iom_adapters.health import FhirAdapter
from iom_adapters.mapping import DeclarativeMappingAdapter
from iom_adapters.police import CustodyExportAdapter
from iom_adapters.probation import HmppsDomainEventsAdapter
from iom_adapters.sdk.adapter import Adapter
from iom_adapters.sdk.outcomes import Converted
from iom_adapters.sdk.reports import ReportLog
from iom_adapters.sdk.source import SourceDocument
from tests.unit.adapters.samples import SAMPLE_PERSONAL_VALUES, SAMPLES


def sample_adapters() -> list[tuple[Adapter, Path]]:
    """Each adapter with the folder of its samples."""
    catalogue = default_catalogue()
    return [
        (
            HmppsDomainEventsAdapter.create(agency=None, options=None, catalogue=catalogue),
            SAMPLES / "probation",
        ),
        (FhirAdapter.create(agency=None, options=None, catalogue=catalogue), SAMPLES / "health"),
        (
            CustodyExportAdapter.create(agency=None, options=None, catalogue=catalogue),
            SAMPLES / "police",
        ),
        (
            DeclarativeMappingAdapter.create(
                agency=None,
                options={"mapping": "newport-housing.mapping.yaml"},
                catalogue=catalogue,
                base_dir=SAMPLES / "housing",
            ),
            SAMPLES / "housing",
        ),
        (
            DeclarativeMappingAdapter.create(
                agency=None,
                options={"mapping": "gdas.mapping.yaml"},
                catalogue=catalogue,
                base_dir=SAMPLES / "gdas",
            ),
            SAMPLES / "gdas",
        ),
    ]


def test_reports_and_their_log_lines_name_no_personal_value(tmp_path: Path) -> None:
    """Every rejection and skip, as report file and as log line, is free of sample values."""
    captured = io.StringIO()
    configure_logging("info", "json")
    structlog.configure(logger_factory=structlog.PrintLoggerFactory(file=captured))
    reports = ReportLog(tmp_path / "reports.jsonl", "test", "test")
    count = 0
    for adapter, folder in sample_adapters():
        for path in sorted(folder.iterdir()):
            if path.suffix == ".yaml":
                continue
            for outcome in adapter.convert(SourceDocument.read(path)):
                if not isinstance(outcome, Converted):
                    reports.record(outcome, path.name)
                    count += 1
    reports.close()
    written = (tmp_path / "reports.jsonl").read_text()
    logged = captured.getvalue()
    assert count >= 20
    assert len(written.splitlines()) == count
    assert len(logged.splitlines()) == count
    for value in SAMPLE_PERSONAL_VALUES:
        assert value not in written, value
        assert value not in logged, value
    assert all(json.loads(line)["reason"] for line in written.splitlines())
    configure_logging("info", "json")
