"""The adapter SDK: what an agency integration needs to publish and receive IOM events.

- Publish: :class:`Adapter` (the plug-in contract) turns native records into outcomes;
  :class:`EventFactory` builds catalogue events with idempotent ids; :class:`Ingestor` encodes
  them with their schema ids into the durable :class:`Outbox`; :class:`OutboxRelay` sends the
  outbox to ``ingress.<agency>``. :class:`AgencyPublisher` sends directly (waits for each ack).
- Receive: :class:`AgencySubscriber` reads ``deliver.<agency>`` into a sink (JSON-lines folder,
  signed webhook, or stdout), committing only after the write succeeded.
- Authentication: :class:`TokenProvider`; :class:`ClientCredentialsTokenProvider` (OAuth2).
- Running: :class:`AdapterRunner` with :func:`load_config`; adapters are found through the
  ``iom_broker.adapters`` entry points (:func:`installed_adapters`, :func:`find_adapter`).
"""

from iom_adapters.sdk.adapter import Adapter, AdapterOptions
from iom_adapters.sdk.auth import ClientCredentialsTokenProvider, TokenError, TokenProvider
from iom_adapters.sdk.config import AdapterConfig, load_config
from iom_adapters.sdk.delivery import Delivery
from iom_adapters.sdk.event_factory import EVENT_ID_NAMESPACE, EventFactory, event_id
from iom_adapters.sdk.ingest import Ingestor, IngestSummary
from iom_adapters.sdk.outbox import Outbox, OutboxFull, OutboxItem
from iom_adapters.sdk.outcomes import (
    Converted,
    MappingError,
    Outcome,
    Rejected,
    Skipped,
    SkipRecord,
)
from iom_adapters.sdk.publisher import AgencyPublisher, partition_key
from iom_adapters.sdk.registry import AdapterNotFound, find_adapter, installed_adapters
from iom_adapters.sdk.relay import OutboxRelay
from iom_adapters.sdk.reports import ReportLog
from iom_adapters.sdk.runner import AdapterRunner
from iom_adapters.sdk.source import SourceDocument
from iom_adapters.sdk.subscriber import AgencySubscriber

__all__ = [
    "EVENT_ID_NAMESPACE",
    "Adapter",
    "AdapterConfig",
    "AdapterNotFound",
    "AdapterOptions",
    "AdapterRunner",
    "AgencyPublisher",
    "AgencySubscriber",
    "ClientCredentialsTokenProvider",
    "Converted",
    "Delivery",
    "EventFactory",
    "IngestSummary",
    "Ingestor",
    "MappingError",
    "Outbox",
    "OutboxFull",
    "OutboxItem",
    "OutboxRelay",
    "Outcome",
    "Rejected",
    "ReportLog",
    "SkipRecord",
    "Skipped",
    "SourceDocument",
    "TokenError",
    "TokenProvider",
    "event_id",
    "find_adapter",
    "installed_adapters",
    "load_config",
    "partition_key",
]
