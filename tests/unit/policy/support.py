"""Building blocks for policy tests: the shipped vocabularies, small agreements, events, people."""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from broker.agency_registry import load_agencies
from broker.catalogue.catalogue import default_catalogue
from broker.catalogue.codec import AvroCodec
from broker.domain.agency import AgencyDirectory
from broker.domain.event import Event
from broker.domain.subject import SubjectIdentifiers, SubjectRecord
from broker.policy.build import build_policy, check_policy
from broker.policy.engine import CompiledPolicy, PolicyEngine
from broker.policy.event_fields import event_fields_from_catalogue
from broker.policy.policy_source import VOCABULARY_FILES, PolicySource
from broker.policy.problems import Problem
from broker.policy.validate import PolicyContext
from broker.settings import PROJECT_ROOT
from tests.unit.event_examples import example_event

POLICIES = PROJECT_ROOT / "policies"
TODAY = date(2026, 6, 1)
NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
KEY = b"p" * 32
IDENTIFIERS = SubjectIdentifiers(
    crn="X123456", pnc_id="2019/0123456A", noms_number="A1234BC", nhs_number="9990000018"
)

#: One agreement in the test's own words; ``{rules}`` is replaced by the rules given.
AGREEMENT = """\
agreement: test-agreement
title: Test agreement
kind: isp
version: 1
area: {area}
parties: {parties}
review_date: 2027-01-01
approvals:
{approvals}
rules:
{rules}
"""

ARREST_RULE = """\
  - id: arrest-to-probation
    from: gwent-police
    to: probation-wales
    events: [arrest]
    purpose: iom_case_management
    legal_basis: dpa2018_part3_s35
    fields: [subject.crn, payload.offence_category]
    retention: P2Y
"""


@functools.cache
def agencies() -> AgencyDirectory:
    """The shipped agency registry."""
    return load_agencies(POLICIES / "agencies.yaml")


@functools.cache
def codec() -> AvroCodec:
    """A codec on the repository's catalogue."""
    return AvroCodec(default_catalogue())


@functools.cache
def context() -> PolicyContext:
    """Shipped agencies and catalogue, on a fixed 'today'."""
    return PolicyContext(agencies(), event_fields_from_catalogue(default_catalogue()), TODAY)


@functools.cache
def vocabulary_files() -> dict[str, str]:
    """The shipped vocabulary texts by relative path."""
    return {name: (POLICIES / name).read_text(encoding="utf-8") for name in VOCABULARY_FILES}


def agreement_text(
    rules: str = ARREST_RULE,
    area: str = "gwent",
    parties: str = "[gwent-police, probation-wales, aneurin-bevan-uhb, newport-housing, gdas]",
) -> str:
    """An agreement with every party approving, holding ``rules``."""
    names = [p.strip() for p in parties.strip("[]").split(",")]
    approvals = "\n".join(f"  - {{party: {p}, dpo: A DPO, date: 2026-01-01}}" for p in names)
    return AGREEMENT.format(area=area, parties=parties, approvals=approvals, rules=rules)


def source(*agreements: tuple[str, str], extra: dict[str, str] | None = None) -> PolicySource:
    """A policy version: the shipped vocabularies plus ``(file name, text)`` agreements."""
    files = dict(vocabulary_files())
    files.update({f"agreements/{name}": text for name, text in agreements})
    files.update(extra or {})
    return PolicySource(files, label="p")


def problems_of(*agreements: tuple[str, str], extra: dict[str, str] | None = None) -> list[Problem]:
    """Every parse and validation problem of a policy made of ``agreements``."""
    return check_policy(source(*agreements, extra=extra), context())[1]


def check_policy_problems(policy_source: PolicySource) -> list[Problem]:
    """Every problem of a whole policy version."""
    return check_policy(policy_source, context())[1]


def compiled(*agreements: tuple[str, str]) -> CompiledPolicy:
    """A compiled policy made of ``agreements`` (raises PolicyError if invalid)."""
    return build_policy(source(*agreements), context())[0]


def single(rules: str = ARREST_RULE, area: str = "gwent") -> CompiledPolicy:
    """A compiled policy with one agreement holding ``rules``."""
    return compiled(("test.yaml", agreement_text(rules, area=area)))


@functools.cache
def shipped_source() -> PolicySource:
    """The shipped policy's files."""
    from broker.policy_admin.policy_directory import read_policy_source

    return read_policy_source(POLICIES)


@functools.cache
def shipped() -> CompiledPolicy:
    """The shipped policy, compiled."""
    return build_policy(shipped_source(), context())[0]


def engine(policy: CompiledPolicy | None = None) -> PolicyEngine:
    """An engine on ``policy`` (default: the shipped one)."""
    return PolicyEngine(policy or shipped(), KEY)


def event(event_type: str, **overrides: Any) -> Event:
    """An example event as the router sees it (encoded and decoded with the catalogue)."""
    decoded = codec().decode_event(codec().encode_event(example_event(event_type, **overrides)))
    return Event.from_record(decoded.schema_id, decoded.record)


def person(
    area: str | None = "gwent",
    cohort: str = "FIXED",
    enrolled: bool = True,
    consents: tuple[tuple[str, str], ...] = (),
    supervision: str | None = None,
) -> SubjectRecord:
    """Someone in IOM (unless ``enrolled`` is false) with every identifier known."""
    return SubjectRecord(
        "subj-test",
        cohort,
        enrolled,
        IDENTIFIERS,
        NOW,
        area=area,
        supervision=supervision,
        consents=consents,
    )


def write_policy_copy(target: Path) -> Path:
    """A copy of the shipped policy directory (vocabularies, agreements, scenarios)."""
    import shutil

    shutil.copytree(POLICIES, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target
