"""Receive-side sinks: atomic drop-folder files, and a signed webhook with retries."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from iom_adapters.sdk.backoff import Backoff
from iom_adapters.sdk.delivery import Delivery
from iom_adapters.sdk.sinks import JsonlFolderSink, SinkError, WebhookSink, verify_signature

SECRET = b"shared-webhook-secret"


def delivery(offset: int) -> Delivery:
    """An appointment delivered to probation."""
    record = {
        "envelope": {
            "event_id": f"00000000-0000-5000-8000-{offset:012d}",
            "event_type": "appointment",
            "occurred_at": datetime(2026, 4, 8, 10, 0, tzinfo=UTC),
            "source_agency": "aneurin-bevan-uhb",
            "subject": {"crn": "E482913", "pnc_id": None, "noms_number": None, "nhs_number": None},
            "schema_version": 1,
        },
        "payload": {"appointment_id": None, "service": "health appointment", "outcome": "MISSED"},
    }
    return Delivery(
        "deliver.probation-wales", 0, offset, record, {"iom.disclosure_id": f"d-{offset}"}
    )


async def test_drop_folder_gets_one_complete_file_per_batch(tmp_path: Path) -> None:
    """A batch becomes one .jsonl file of documents; no temporary file is left behind."""
    sink = JsonlFolderSink(tmp_path / "drop")
    await sink.write([delivery(7), delivery(8)])
    (written,) = list((tmp_path / "drop").iterdir())
    assert written.name.startswith("deliver-probation-wales-")
    assert written.name.endswith("-p0-o7.jsonl")
    documents = [json.loads(line) for line in written.read_text().splitlines()]
    assert [d["disclosure_id"] for d in documents] == ["d-7", "d-8"]


class Receiver(BaseHTTPRequestHandler):
    """An agency endpoint: answers from a script of status codes, records what it got."""

    script: ClassVar[list[int]] = []
    received: ClassVar[list[tuple[dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        Receiver.received.append((dict(self.headers.items()), body))
        status = Receiver.script.pop(0) if Receiver.script else 200
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Silence the default stderr logging."""


@pytest.fixture
def endpoint() -> Iterator[str]:
    """URL of the scripted receiver."""
    Receiver.script, Receiver.received = [], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/iom"
    server.shutdown()
    server.server_close()
    thread.join(5)


def fast() -> Backoff:
    """Backoff short enough for tests."""
    return Backoff(initial=0.01, maximum=0.02)


async def test_webhook_body_is_signed(endpoint: str) -> None:
    """The receiver can verify the HMAC-SHA256 signature over timestamp and body."""
    sink = WebhookSink(endpoint, SECRET, backoff=fast())
    try:
        await sink.write([delivery(1)])
    finally:
        await sink.aclose()
    ((headers, body),) = Receiver.received
    assert verify_signature(SECRET, headers["X-IOM-Timestamp"], body, headers["X-IOM-Signature"])
    assert not verify_signature(
        b"other", headers["X-IOM-Timestamp"], body, headers["X-IOM-Signature"]
    )
    assert headers["Idempotency-Key"] == "d-1"
    assert json.loads(body)["payload"]["outcome"] == "MISSED"


async def test_webhook_retries_server_errors_then_succeeds(endpoint: str) -> None:
    """503 and 429 are retried; the delivery is acknowledged once the endpoint answers 2xx."""
    Receiver.script = [503, 429, 204]
    sink = WebhookSink(endpoint, SECRET, backoff=fast())
    try:
        await sink.write([delivery(2)])
    finally:
        await sink.aclose()
    assert len(Receiver.received) == 3
    assert sink.posted == 1


async def test_webhook_gives_up_after_max_attempts(endpoint: str) -> None:
    """An endpoint that keeps failing makes the write fail, so nothing is acknowledged."""
    Receiver.script = [500, 500, 500]
    sink = WebhookSink(endpoint, SECRET, max_attempts=3, backoff=fast())
    try:
        with pytest.raises(SinkError, match="failed 3 times"):
            await sink.write([delivery(3)])
    finally:
        await sink.aclose()


async def test_webhook_refusal_is_kept_in_undelivered(endpoint: str, tmp_path: Path) -> None:
    """A 4xx refusal is not retried; the delivery is kept in the undelivered folder."""
    Receiver.script = [422]
    undelivered = JsonlFolderSink(tmp_path / "undelivered")
    sink = WebhookSink(endpoint, SECRET, undelivered=undelivered, backoff=fast())
    try:
        await sink.write([delivery(4), delivery(5)])
    finally:
        await sink.aclose()
    assert len(Receiver.received) == 2
    (kept,) = list((tmp_path / "undelivered").iterdir())
    assert json.loads(kept.read_text())["disclosure_id"] == "d-4"
