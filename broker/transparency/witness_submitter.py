"""Submit every new checkpoint to the configured witnesses (c2sp.org/tlog-witness).

For each witness: POST ``<url>/add-checkpoint`` with ``old <size>``, the consistency proof
from the size the witness last cosigned, and the log's signed checkpoint. A ``409`` answer
carries the witness's own latest size (``text/x.tlog.size``): resubmit with the proof from
there. The returned cosignature is verified against the witness's key before it is stored.

Runs beside the log writer, never in its way: appends and checkpoints go on while a witness
is away. An unreachable or refusing witness is retried with exponential backoff; the gap
(entries its latest cosignature does not cover) is logged as ``witness.unreachable`` /
``witness.refused`` and exported by the API as ``iom_witness_uncosigned_entries``. When the
witness returns it cosigns the latest checkpoint, which covers the whole backlog.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import httpx
import structlog

from broker.settings import WitnessSettings
from broker.transparency.cosignature import (
    WitnessVerifier,
    signature_lines,
    verify_cosignatures,
    with_cosignatures,
)
from broker.transparency.errors import NoteError, StoreUnavailableError
from broker.transparency.log import TransparencyLog, epoch_ms
from broker.transparency.store.protocol import StoredCheckpoint

log = structlog.get_logger(__name__)

COSIGNED_EVENT = "witness.cosigned"
UNREACHABLE_EVENT = "witness.unreachable"
REFUSED_EVENT = "witness.refused"
CONFLICT_EVENT = "witness.conflict"
RECOVERED_EVENT = "witness.recovered"

#: Backoff while a witness is away or refuses: first wait, growth factor, longest (seconds).
RETRY_FIRST_S, RETRY_FACTOR, RETRY_MAX_S = 1.0, 2.0, 60.0
MAX_CONFLICTS = 3
TIMEOUT_S = 10.0


class WitnessRefusedError(RuntimeError):
    """The witness answered but would not cosign (bad proof, unknown log, bad signature)."""


@dataclass
class Witness:
    """One configured witness and what the submitter knows of it."""

    url: str
    verifier: WitnessVerifier
    known_size: int | None = None
    """The witness's latest size as it last told us (None: not asked yet)."""
    failures: int = 0
    next_attempt: float = 0.0
    failing_since: float | None = field(default=None)

    @property
    def name(self) -> str:
        """The witness's name, as in its cosignature lines."""
        return self.verifier.name


def witnesses_from(settings: Sequence[WitnessSettings]) -> list[Witness]:
    """The witnesses of the settings (a bad key raises NoteError naming the witness)."""
    return [Witness(w.url.rstrip("/"), WitnessVerifier.from_vkey(w.vkey)) for w in settings]


class WitnessSubmitter:
    """Keeps every witness cosigning the log's latest checkpoint."""

    def __init__(
        self,
        transparency_log: TransparencyLog,
        witnesses: Sequence[Witness],
        client: httpx.AsyncClient,
        poll_s: float = 1.0,
    ) -> None:
        self._log = transparency_log
        self.witnesses = list(witnesses)
        self._client = client
        self._poll_s = poll_s

    async def run(self, stop: asyncio.Event) -> None:
        """Submit each new checkpoint until ``stop`` is set."""
        while not stop.is_set():
            try:
                await self.submit_latest()
            except StoreUnavailableError as error:
                log.warning("witness.store_unavailable", error=str(error))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self._poll_s)

    async def submit_latest(self) -> int:
        """One round: submit the latest checkpoint to each due witness lacking its cosignature;
        return how many cosigned it now."""
        latest = await asyncio.to_thread(self._log.store.latest_checkpoint)
        if latest is None or latest.size == 0:
            return 0
        cosigned = await asyncio.to_thread(self._log.store.cosigned_sizes)
        now = time.monotonic()
        due = [
            w
            for w in self.witnesses
            if cosigned.get(w.name, -1) < latest.size and now >= w.next_attempt
        ]
        results = await asyncio.gather(*(self._try(w, latest, cosigned) for w in due))
        return sum(results)

    async def _try(
        self, witness: Witness, latest: StoredCheckpoint, cosigned: dict[str, int]
    ) -> bool:
        gap = latest.size - cosigned.get(witness.name, 0)
        try:
            await self.submit(witness, latest, cosigned.get(witness.name, 0))
        except (httpx.HTTPError, WitnessRefusedError, NoteError) as error:
            self._back_off(witness, error, gap)
            return False
        if witness.failing_since is not None:
            log.info(
                RECOVERED_EVENT,
                witness=witness.name,
                failures=witness.failures,
                seconds=round(time.monotonic() - witness.failing_since, 1),
            )
        witness.failures, witness.next_attempt, witness.failing_since = 0, 0.0, None
        return True

    async def submit(self, witness: Witness, checkpoint: StoredCheckpoint, cosigned: int) -> str:
        """Have ``witness`` cosign ``checkpoint``; store and return its cosignature line."""
        old = witness.known_size if witness.known_size is not None else cosigned
        for _ in range(MAX_CONFLICTS):
            if old > checkpoint.size:
                raise WitnessRefusedError(
                    f"witness has seen tree size {old}, larger than the log's {checkpoint.size}"
                )
            body = await asyncio.to_thread(self._log.consistency_body, old, checkpoint)
            started = time.monotonic()
            response = await self._client.post(
                f"{witness.url}/add-checkpoint", content=body.encode(), timeout=TIMEOUT_S
            )
            if response.status_code == 409:
                old = _conflict_size(response)
                witness.known_size = old
                log.info(CONFLICT_EVENT, witness=witness.name, witness_size=old)
                continue
            if response.status_code != 200:
                raise WitnessRefusedError(
                    f"HTTP {response.status_code}: {response.text.strip()[:200]}"
                )
            line = self._verified_line(witness, checkpoint, response.text)
            witness.known_size = checkpoint.size
            at_ms = epoch_ms(self._log.clock())
            await asyncio.to_thread(
                self._log.store.save_cosignature, checkpoint.size, witness.name, line, at_ms
            )
            log.info(
                COSIGNED_EVENT,
                witness=witness.name,
                size=checkpoint.size,
                old_size=old,
                ms=round((time.monotonic() - started) * 1000, 1),
            )
            return line
        raise WitnessRefusedError(f"witness size kept changing ({MAX_CONFLICTS} conflicts)")

    @staticmethod
    def _verified_line(witness: Witness, checkpoint: StoredCheckpoint, answer: str) -> str:
        note = with_cosignatures(checkpoint.note, signature_lines(answer))
        found = verify_cosignatures(note, [witness.verifier])
        if not found:
            raise NoteError(f"witness {witness.name!r} answered without its cosignature")
        return found[0].line

    @staticmethod
    def _back_off(witness: Witness, error: Exception, gap: int) -> None:
        now = time.monotonic()
        witness.failing_since = witness.failing_since or now
        witness.failures += 1
        wait = min(RETRY_MAX_S, RETRY_FIRST_S * RETRY_FACTOR ** (witness.failures - 1))
        witness.next_attempt = now + wait
        event = (
            REFUSED_EVENT
            if isinstance(error, WitnessRefusedError | NoteError)
            else UNREACHABLE_EVENT
        )
        log.warning(
            event,
            witness=witness.name,
            error=str(error) or type(error).__name__,
            uncosigned_entries=gap,
            attempt=witness.failures,
            retry_in_s=wait,
        )


def _conflict_size(response: httpx.Response) -> int:
    text = response.text.strip()
    if not text.isdigit():
        raise WitnessRefusedError("409 answer is not a tree size")
    return int(text)
