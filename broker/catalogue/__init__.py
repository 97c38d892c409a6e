"""The IOM event catalogue (``schemas/``) and its Avro codec in the Confluent wire format."""

from broker.catalogue.catalogue import (
    SCHEMAS_DIR,
    CatalogueEntry,
    SchemaCatalogue,
    default_catalogue,
)
from broker.catalogue.codec import AvroCodec, DecodedEvent
from broker.catalogue.compatibility import backward_problems
from broker.catalogue.delivery import ALWAYS_DELIVERED
from broker.catalogue.errors import (
    CatalogueError,
    CatalogueFileError,
    InvalidRecord,
    MalformedFrame,
    UndecodableRecord,
    UnexpectedSchemaKind,
    UnknownEventType,
    UnknownSchemaId,
)
from broker.catalogue.wire_format import frame, peek_schema_id, unframe

__all__ = [
    "ALWAYS_DELIVERED",
    "SCHEMAS_DIR",
    "AvroCodec",
    "CatalogueEntry",
    "CatalogueError",
    "CatalogueFileError",
    "DecodedEvent",
    "InvalidRecord",
    "MalformedFrame",
    "SchemaCatalogue",
    "UndecodableRecord",
    "UnexpectedSchemaKind",
    "UnknownEventType",
    "UnknownSchemaId",
    "backward_problems",
    "default_catalogue",
    "frame",
    "peek_schema_id",
    "unframe",
]
