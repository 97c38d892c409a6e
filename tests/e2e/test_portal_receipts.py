"""Receipts and subject access requests in a browser: a receipt page that says what happened
and how to check it, files that verify offline with ``iom-broker log verify-proof``, a
double-clicked request made once, and an answer the DPO completes and the person downloads."""

from __future__ import annotations

import html as html_text
import json
import shlex
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from broker.settings import PROJECT_ROOT, ApiSettings
from broker.transparency.log import TransparencyLog
from broker.transparency.store.sqlite_store import SqliteStore
from tests.e2e.conftest import (
    SCREENSHOTS,
    RunningIssuer,
    _served,
    _signing_in_context,
    screenshot,
    shared_records,
)
from tests.e2e.console_changes import dpo_bearer
from tests.e2e.test_accessibility import serious_violations
from tests.e2e.test_portal import sign_in
from tests.support.log_records import INDEX_KEY, SIGNER, START, Clock, disclosure
from tests.support.witnesses import WITNESS, cosign

HOUSING = "#timeline .portal-entry:has-text('Newport City Council Housing told')"
NEWEST = "#timeline .portal-entry >> nth=0"


@pytest.fixture(scope="module")
def witnessed_url(
    tmp_path_factory: pytest.TempPathFactory, dev_issuer: RunningIssuer
) -> Iterator[str]:
    """The app with a named witness configured, over the shared records (which the witness
    cosigned) and one newer entry about subj-a (which it has not cosigned yet)."""
    store = SqliteStore(tmp_path_factory.mktemp("witnessed") / "log.sqlite3")
    log = TransparencyLog(store, SIGNER, INDEX_KEY, "P6Y", Clock())
    log.append_disclosures(shared_records())
    cosign(log, log.publish_checkpoint())
    log.append_disclosures([disclosure(17, decided_at=START + timedelta(days=20))])
    context = _signing_in_context(
        dev_issuer,
        settings=ApiSettings(supervisee_rate_per_s=1000.0, supervisee_burst=1000),
        log=log,
        witnesses=(WITNESS,),
    )
    with _served(context, dev_issuer) as url:
        yield url
    store.close()


def _verify(command: str, folder: Path) -> subprocess.CompletedProcess[str]:
    """Run the receipt's ``iom-broker ...`` command in ``folder`` with this checkout's CLI."""
    words = shlex.split(command)
    assert words[:3] == ["iom-broker", "log", "verify-proof"], command
    return subprocess.run(
        [sys.executable, "-m", "broker.cli", *words[1:]],
        cwd=folder,
        env={"PYTHONPATH": str(PROJECT_ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _download(page: Page, selector: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.click(selector)
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_receipt_page_says_what_happened_and_how_to_check_it(
    page: Page, witnessed_url: str, lang: str
) -> None:
    """The housing entry's receipt names the area of the address, says the street address
    did not go, explains what it proves, names the witness that vouched for it in the
    page's language, and passes axe at 1280 and 375 px."""
    portal_url = witnessed_url
    sign_in(page, portal_url, lang=lang)
    page.goto(f"{portal_url}/portal?lang=en")
    page.locator(HOUSING).locator("a", has_text="Read the receipt").click()
    if lang == "cy":
        page.click("#language-switch")
    expect(page.locator("h1")).to_have_text("Receipt" if lang == "en" else "Derbynneb")
    words = page.locator("#receipt-words")
    if lang == "en":
        expect(words.locator(".portal-shared")).to_contain_text("first half of the postcode")
        expect(words.locator(".portal-kept-back")).to_contain_text("your street address")
    else:
        expect(words.locator(".portal-kept-back")).to_contain_text("eich cyfeiriad stryd")
    expect(page.locator("#receipt-when")).to_contain_text("2025")
    expect(page.locator("#verify-command")).to_contain_text("iom-broker log verify-proof --vkey")
    signed = {
        "en": f"{WITNESS.name_en}, signed on 21 January 2025 at 09:00",
        "cy": f"{WITNESS.name_cy}, llofnodwyd ar 21 Ionawr 2025 am 09:00",
    }
    expect(page.locator("#witness-names")).to_have_text(signed[lang])
    expect(page.locator("#verify-witness-command")).to_contain_text(WITNESS.verifier.vkey)
    other_language = {"en": "Beth mae'r dderbynneb", "cy": "What this receipt proves"}
    assert other_language[lang] not in page.locator("main").inner_text()
    assert serious_violations(page) == []
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, f"receipt-{lang}")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, f"receipt-{lang}-375")
    page.set_viewport_size({"width": 800, "height": 1100})
    page.emulate_media(media="print")
    expect(page.locator("#sign-out")).to_be_hidden()
    expect(page.locator("#print-page")).to_be_hidden()
    expect(page.locator("#receipt-words .portal-law")).to_be_hidden()
    expect(page.locator("#receipt-words .portal-law-printed")).to_contain_text("6(1)(e)")
    expect(page.locator("#verify-command")).to_be_visible()
    expect(page.locator("#witness-names")).to_be_visible()
    screenshot(page, f"receipt-print-{lang}")
    pdf = page.pdf(path=SCREENSHOTS / f"receipt-{lang}.pdf", format="A4")
    assert pdf.startswith(b"%PDF")


def test_a_downloaded_receipt_verifies_offline(
    page: Page, witnessed_url: str, tmp_path: Path
) -> None:
    """The entry and proof files, checked with the command the page shows, print "ok" (with
    the witness's command: cosigned by it); the JSON receipt names the witness; an altered
    entry is refused; a file name the receipt does not have is "Page not found"."""
    sign_in(page, witnessed_url)
    page.locator(HOUSING).locator("a", has_text="Read the receipt").click()
    entry = _download(page, "#entry-file", tmp_path)
    _download(page, "#proof-file", tmp_path)
    json_file = _download(page, "#json-file", tmp_path)
    assert json_file.suffix == ".json"
    receipt_path = f"{witnessed_url}/portal/receipts/{json_file.stem.removeprefix('receipt-')}"
    assert page.request.get(f"{receipt_path}/receipt.txt").status == 404
    receipt = json.loads(json_file.read_text())["receipt"]
    assert [w["name"] for w in receipt["witnesses"]] == [WITNESS.name_en]
    command = page.locator("#verify-command").inner_text()
    checked = _verify(command, tmp_path)
    assert (checked.returncode, checked.stdout.strip()) == (0, "ok"), checked.stderr
    witnessed = _verify(page.locator("#verify-witness-command").inner_text(), tmp_path)
    assert witnessed.stdout.strip() == f"ok (cosigned by {WITNESS.verifier.name})"
    entry.write_bytes(entry.read_bytes().replace(b"newport", b"newpork"))
    assert _verify(command, tmp_path).returncode != 0


def test_a_receipt_no_witness_signed_yet_claims_none(page: Page, witnessed_url: str) -> None:
    """The entry logged after the witness last signed says no witness has signed it yet, and
    names no one."""
    sign_in(page, witnessed_url)
    page.locator(NEWEST).locator("a", has_text="Read the receipt").click()
    expect(page.locator("#witnesses-none")).to_contain_text("No witness has signed")
    expect(page.locator("#witness-names")).to_have_count(0)
    expect(page.locator("#verify-witness-command")).to_have_count(0)
    screenshot(page, "receipt-no-witness-en")


def test_a_double_clicked_request_is_made_once_and_its_answer_downloads(
    page: Page, portal_url: str, dev_issuer: RunningIssuer, tmp_path: Path
) -> None:
    """Double-clicking "Ask for a copy" makes one request with a SAR reference; sending it
    again the same day is recognised; once housing's DPO completes it, the person reads the
    answer and downloads a bundle whose receipts verify offline."""
    sign_in(page, portal_url)
    page.goto(f"{portal_url}/portal/subject-access-requests")
    page.check("#addressee-newport-housing")
    page.click("#sar-continue")
    form: dict[str, str | float | bool] = {
        name: page.locator(f"#sar-send-form input[name='{name}']").get_attribute("value") or ""
        for name in ("addressee", "submission_key", "csrf_token")
    }
    page.dblclick("#sar-send")
    expect(page.locator("#confirmation")).to_contain_text("Request sent")
    reference = page.locator("#confirmation .portal-reference").inner_text()
    assert reference.startswith("SAR-2025-")
    expect(page.locator("#made-references")).to_contain_text("6 February 2025")
    assert serious_violations(page) == []
    screenshot(page, "requests-confirmation-en")
    again = page.request.post(
        f"{portal_url}/portal/subject-access-requests", form=form, max_redirects=0
    )
    assert again.headers["location"].endswith(f"/sent?repeated={reference}")
    page.goto(f"{portal_url}/portal/subject-access-requests")
    page.check("#addressee-newport-housing")
    page.click("#sar-continue")
    page.click("#sar-send")
    expect(page.locator("#confirmation")).to_contain_text("You already asked today")
    expect(page.locator("#confirmation")).to_contain_text(reference)
    screenshot(page, "requests-repeated-en")
    page.click("#all-requests")
    expect(page.locator("#requests tbody tr")).to_have_count(1)

    housing_dpo = dpo_bearer(dev_issuer.issuer, "newport-housing")
    cases = httpx.get(
        f"{portal_url}/subject-access-requests?within_days=92", headers=housing_dpo
    ).json()
    (case,) = [c for c in cases if c["reference"] == reference]
    done = httpx.post(
        f"{portal_url}/subject-access-requests/{case['request_id']}/completion",
        headers=housing_dpo,
    )
    assert done.status_code == 200, done.text

    page.goto(f"{portal_url}/portal/subject-access-requests")
    page.click("#requests a:has-text('Read the answer')")
    expect(page.locator("h1")).to_have_text("Answer to your request")
    expect(page.locator("#answer-intro")).to_contain_text("Newport City Council Housing")
    expect(page.locator("#answer-entries .portal-entry")).to_have_count(6)
    assert serious_violations(page) == []
    screenshot(page, "answer-en")
    page.click("#language-switch")
    expect(page.locator("h1")).to_have_text("Ateb i'ch cais")
    screenshot(page, "answer-cy")
    bundle = _download(page, "#answer-download", tmp_path)
    with zipfile.ZipFile(bundle) as answer:
        answer.extractall(tmp_path / "answer")
        names = answer.namelist()
    html = html_text.unescape((tmp_path / "answer" / "answer.html").read_text())
    assert 'lang="en"' in html and 'lang="cy"' in html and reference in html
    proofs = [n for n in names if n.endswith(".tlog-proof")]
    assert len(proofs) == 6
    receipts = tmp_path / "answer" / "receipts"
    name = Path(proofs[0]).name.removesuffix(".tlog-proof")
    vkey = (tmp_path / "answer" / "log.vkey").read_text().strip()
    command = f'iom-broker log verify-proof --vkey "{vkey}" --entry {name}.entry {name}.tlog-proof'
    assert command in html
    checked = _verify(command, receipts)
    assert (checked.returncode, checked.stdout.strip()) == (0, "ok"), checked.stderr


def test_an_unanswered_or_unknown_request_has_no_answer_page(page: Page, portal_url: str) -> None:
    """Asking for the answer of a request not yet answered, or not one's own, is "Page not
    found"."""
    sign_in(page, portal_url, "subj-b")
    for reference in ("SAR-2025-000001", "SAR-2025-999999", "not-a-reference"):
        response = page.goto(f"{portal_url}/portal/subject-access-requests/{reference}/answer")
        assert response is not None and response.status == 404
        expect(page.locator("h1")).to_have_text("Page not found")
