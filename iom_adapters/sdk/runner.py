"""Run one adapter: validate everything once, then inbox -> outbox -> Kafka and deliveries ->
sink, until stopped; then close everything.

Validation (at construction) checks the config, the adapter's options, the agency against the
agency registry, secrets and sink settings, so a wrong setting fails at start with one line,
not at the first record.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import structlog

from broker.catalogue.catalogue import SchemaCatalogue
from broker.catalogue.codec import AvroCodec
from broker.domain.agency import AgencyDirectory
from broker.identity.token_client import TokenRequestError, load_client_key
from broker.package_data import state_dir
from broker.secrets.private_files import SecretFileError
from iom_adapters.sdk.adapter import Adapter
from iom_adapters.sdk.auth import ClientCredentialsTokenProvider, TokenProvider
from iom_adapters.sdk.config import AdapterConfig, read_secret
from iom_adapters.sdk.inbox import InboxWatcher
from iom_adapters.sdk.ingest import Ingestor
from iom_adapters.sdk.kafka_options import client_options
from iom_adapters.sdk.outbox import Outbox
from iom_adapters.sdk.relay import OutboxRelay
from iom_adapters.sdk.reports import ReportLog
from iom_adapters.sdk.sinks import DeliverySink, JsonlFolderSink, PrintSink, WebhookSink
from iom_adapters.sdk.subscriber import AgencySubscriber
from iom_adapters.sdk.yaml_lines import ConfigFileError, LocatedYaml

log = structlog.get_logger(__name__)


class AdapterRunner:
    """One adapter process: publish side, receive side, shared lifecycle."""

    def __init__(
        self,
        adapter_class: type[Adapter],
        config: AdapterConfig,
        catalogue: SchemaCatalogue,
        *,
        agencies: AgencyDirectory | None = None,
        located: LocatedYaml | None = None,
        base_dir: Path | None = None,
    ) -> None:
        self.config = config
        self.codec = AvroCodec(catalogue)
        self.adapter = adapter_class.create(
            agency=config.agency,
            options=config.options,
            catalogue=catalogue,
            config=located,
            base_dir=base_dir,
        )
        agency = self.adapter.agency
        if agencies is not None and agency not in agencies.ids:
            where = f"{located.where(('agency',))}: " if located else ""
            known = ", ".join(agencies.ids)
            raise ConfigFileError(f"{where}agency {agency!r} is not a registered agency ({known})")
        transactional_id = config.outbox.transactional_id
        if transactional_id is not None and not transactional_id.startswith(f"{agency}."):
            where = f"{located.where(('outbox', 'transactional_id'))}: " if located else ""
            raise ConfigFileError(
                f"{where}transactional id {transactional_id!r} must start with {agency!r}. "
                "(the agency's Kafka ACLs allow only those)"
            )
        self.agency = agency
        self.state_dir = config.state_dir or state_dir() / "adapters" / agency
        self.token_provider = self._token_provider()
        self._secret = self._webhook_secret()

    def _token_provider(self) -> TokenProvider | None:
        auth = self.config.auth
        if auth.kind == "none":
            return None
        secret = key = None
        if auth.auth_method == "private_key_jwt":
            assert auth.client_key_file is not None
            try:
                key = load_client_key(auth.client_key_file)
            except (TokenRequestError, SecretFileError) as error:
                raise ConfigFileError(f"auth.client_key_file: {error}") from None
        else:
            secret = read_secret(
                auth.client_secret_env, auth.client_secret_file, "auth client secret"
            )
        return ClientCredentialsTokenProvider(
            str(auth.token_url),
            str(auth.client_id),
            secret,
            private_key=key,
            scope=auth.scope,
            audience=auth.audience,
            auth_method=auth.auth_method,
            refresh_margin=auth.refresh_margin_seconds,
            verify=str(auth.ca_file) if auth.ca_file else True,
        )

    def _webhook_secret(self) -> bytes | None:
        receive = self.config.receive
        if receive.sink != "webhook":
            return None
        return read_secret(
            receive.secret_env, receive.secret_file, "receive webhook secret"
        ).encode()

    def _kafka(self, role: str) -> dict[str, object]:
        kafka = self.config.kafka
        return client_options(
            kafka.bootstrap_servers,
            f"adapter-{self.agency}-{role}",
            token_provider=self.token_provider,
            security_protocol=kafka.security_protocol,
            ca_file=str(kafka.ca_file) if kafka.ca_file else None,
        )

    def _sink(self) -> DeliverySink | None:
        receive = self.config.receive
        if receive.sink == "jsonl" and receive.folder is not None:
            return JsonlFolderSink(receive.folder)
        if receive.sink == "webhook" and self._secret is not None:
            return WebhookSink(
                str(receive.url),
                self._secret,
                max_attempts=receive.max_attempts,
                timeout=receive.timeout_seconds,
                undelivered=JsonlFolderSink(self.state_dir / "undelivered"),
            )
        if receive.sink == "print":
            return PrintSink()
        return None

    async def run(self, stop: asyncio.Event) -> None:
        """Run until ``stop`` is set; every part is closed on the way out."""
        settings = self.config.outbox
        outbox = Outbox(
            settings.path or self.state_dir / "outbox.sqlite",
            max_bytes=settings.max_bytes,
            ledger_max_rows=settings.ledger_max_rows,
            ledger_days=settings.ledger_days,
        )
        reports = ReportLog(self.state_dir / "reports.jsonl", self.adapter.name, self.agency)
        relay = OutboxRelay(
            outbox,
            self.agency,
            self._kafka("publish"),
            transactional_id=settings.transactional_id,
        )
        sink = self._sink()
        tasks = [asyncio.create_task(relay.run(stop), name="relay")]
        if self.config.inbox is not None:
            watcher = InboxWatcher(
                self.config.inbox.path,
                self.adapter,
                Ingestor(self.codec, outbox, reports),
                poll_seconds=self.config.inbox.poll_seconds,
            )
            tasks.append(asyncio.create_task(watcher.run(stop), name="inbox"))
        if sink is not None:
            subscriber = AgencySubscriber(
                self.codec,
                self.agency,
                sink,
                self._kafka("receive"),
                group_id=self.config.receive.group_id,
            )
            tasks.append(asyncio.create_task(subscriber.run(stop), name="receive"))
        log.info(
            "adapter.started",
            adapter=self.adapter.name,
            agency=self.agency,
            parts=[t.get_name() for t in tasks],
        )
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            for task in done:
                if task.exception() is not None:
                    stop.set()
                    raise task.exception()  # type: ignore[misc]
        finally:
            stop.set()
            await asyncio.gather(*tasks, return_exceptions=True)
            if sink is not None:
                await sink.aclose()
            if self.token_provider is not None:
                with contextlib.suppress(Exception):
                    await self.token_provider.aclose()
            reports.close()
            outbox.close()
            self.adapter.close()
            log.info(
                "adapter.stopped",
                adapter=self.adapter.name,
                agency=self.agency,
                pending=outbox.pending,
            )
