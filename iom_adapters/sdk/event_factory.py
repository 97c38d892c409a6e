"""Build catalogue events with idempotent event ids.

The event id is the RFC 4122 version-5 UUID of the source agency, the event type and the
source record's natural key (its id, and where one record can be told twice with different
meaning, the distinguishing part such as an appointment's outcome), under a fixed namespace.
So a re-sent or re-exported record yields the same event id, and the broker and recipients
can recognise the duplicate; a different record never shares it.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from broker.catalogue.catalogue import SchemaCatalogue
from broker.domain.subject import IDENTIFIER_TYPES

#: Namespace of adapter event ids: uuid5(NAMESPACE_URL, "urn:iom-broker:adapter-event-id").
EVENT_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:iom-broker:adapter-event-id")
_SEPARATOR = "\x1f"  # unit separator: cannot occur in the key parts adapters pass
_NAMESPACE_BYTES = EVENT_ID_NAMESPACE.bytes


def event_id(agency: str, event_type: str, key: Sequence[str]) -> str:
    """The idempotent event id of ``event_type`` from ``agency``'s record ``key``.

    Equal to ``str(uuid.uuid5(EVENT_ID_NAMESPACE, name))``, computed without the UUID object.
    """
    name = _SEPARATOR.join((agency, event_type, *key)).encode()
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + name).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class EventFactory:
    """Builds events of one agency in the newest catalogue version of each event type."""

    def __init__(self, catalogue: SchemaCatalogue, agency: str) -> None:
        self.agency = agency
        self.catalogue = catalogue
        self._versions = {t: catalogue.latest(t).version for t in catalogue.event_types()}

    def event_types(self) -> tuple[str, ...]:
        """Every event type of the catalogue."""
        return tuple(self._versions)

    def build(
        self,
        event_type: str,
        key: Sequence[str],
        occurred_at: datetime,
        subject: Mapping[str, str | None],
        payload: dict[str, Any],
    ) -> dict[str, Any]:
        """An event record (Python values) ready for ``AvroCodec.encode_event``."""
        return {
            "envelope": {
                "event_id": event_id(self.agency, event_type, key),
                "event_type": event_type,
                "occurred_at": occurred_at,
                "source_agency": self.agency,
                "subject": {name: subject.get(name) for name in IDENTIFIER_TYPES},
                "schema_version": self._versions[event_type],
            },
            "payload": payload,
        }
