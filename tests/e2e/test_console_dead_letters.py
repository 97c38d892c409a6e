"""The console's "Records turned away" page in Chromium: a DPO reads, in words and in both
languages, why the broker did not use their agency's records; it reads well at 375 px."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from broker.router.dead_letter import dead_letter
from broker.router.dead_letter_notices import DeadLetterNotice, notice_from_headers
from broker.settings import ApiSettings
from broker.transparency.log import TransparencyLog
from tests.e2e.conftest import RunningIssuer, _served, _signing_in_context, screenshot
from tests.e2e.console_session import sign_in_dpo
from tests.e2e.test_accessibility import serious_violations

HOUSING = "newport-housing"
REFUSALS = (
    ("not_cohort_authority", "event 6f1c…: agency 'newport-housing' may not change who is in "
     "the IOM cohort in area 'gwent'"),
    ("identifier_conflict", "event 0b7e…: names identifiers that belong to another person or "
     "differ from the person's known ones; nothing was merged"),
)  # fmt: skip


class RoutersDeadLetters:
    """Stands in for ``dlq.<agency>``: notices read from headers the router's own
    ``dead_letter`` writes. The real topic is read in
    ``tests/integration/security/test_who_may_speak.py``."""

    async def __call__(self, agency: str, limit: int) -> list[DeadLetterNotice]:
        if agency != HOUSING:
            return []
        notices = []
        for offset, (reason, detail) in enumerate(REFUSALS):
            letter = dead_letter(
                f"dlq.{agency}",
                reason=reason,
                detail=detail,
                source_topic=f"ingress.{agency}",
                partition=2,
                offset=40 + offset,
                key=b"k",
                value=b"v",
                at=datetime(2026, 12, 7, 14, 5 + offset, tzinfo=UTC),
                limit=1024,
            )
            notices.append(notice_from_headers(dict(letter.headers), 0))
        return notices[::-1][:limit]


@pytest.fixture(scope="module")
def console_url(shared_log: TransparencyLog, dev_issuer: RunningIssuer) -> Iterator[str]:
    """The app with the router's dead letters for Newport housing, signing in via the issuer."""
    context = _signing_in_context(
        dev_issuer, settings=ApiSettings(), log=shared_log, dead_letters=RoutersDeadLetters()
    )
    with _served(context, dev_issuer) as url:
        yield url


def test_housing_dpo_reads_why_records_were_turned_away(page: Page, console_url: str) -> None:
    """Housing's DPO sees the refused enrolment and the identifier conflict in plain words,
    newest first, in English and Welsh, at 1280 px and 375 px, with no axe violations."""
    sign_in_dpo(page, console_url, HOUSING)
    page.click("#nav-dead_letters")
    expect(page.locator("h1")).to_have_text("Records turned away")
    reasons = page.locator("#dead-letters [data-reason]")
    expect(reasons).to_have_count(2)
    expect(reasons.first).to_contain_text("do not match the ones we already hold")
    expect(reasons.nth(1)).to_contain_text("Only the police and probation")
    expect(page.locator("#dead-letters")).to_contain_text("7 December 2026 14:06 UK time")
    assert serious_violations(page) == []
    screenshot(page, "console-dead-letters-en")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "console-dead-letters-en-375")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.click("#language-switch")
    expect(page.locator("h1")).to_have_text("Cofnodion a wrthodwyd")
    expect(reasons.nth(1)).to_contain_text("Dim ond yr heddlu a'r gwasanaeth prawf")
    assert serious_violations(page) == []
    screenshot(page, "console-dead-letters-cy")


def test_another_dpo_sees_none_of_housings_records(page: Page, console_url: str) -> None:
    """The police's DPO is told the broker turned away none of the police's records."""
    sign_in_dpo(page, console_url, "gwent-police")
    page.goto(f"{console_url}/console/dead-letters")
    expect(page.locator("#dead-letters-none")).to_be_visible()
    expect(page.locator("#dead-letters")).to_have_count(0)
