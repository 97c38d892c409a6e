"""The Schema Registry subset serves our catalogue with our ids, to standard clients too."""

from __future__ import annotations

import json

import httpx
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

from broker.catalogue.catalogue import default_catalogue
from broker.catalogue.wire_format import unframe
from broker.http.context import ApiContext
from broker.server.app import create_app
from tests.integration.api.live_server import live_server
from tests.unit.event_examples import example_event


async def test_subjects_and_versions_follow_the_catalogue(client: httpx.AsyncClient) -> None:
    """Subjects are record full names; arrest has versions 1 and 2 with the catalogue's ids."""
    subjects = (await client.get("/subjects")).json()
    assert "iom.events.Arrest" in subjects and "iom.audit.Disclosure" in subjects
    assert (await client.get("/subjects/iom.events.Arrest/versions")).json() == [1, 2]
    latest = (await client.get("/subjects/iom.events.Arrest/versions/latest")).json()
    assert (latest["version"], latest["id"]) == (2, default_catalogue().latest("arrest").schema_id)
    assert json.loads(latest["schema"])["name"] == "Arrest"


async def test_schema_by_id_is_the_registered_text(client: httpx.AsyncClient) -> None:
    """/schemas/ids/1 returns exactly the schema registered as id 1."""
    body = (await client.get("/schemas/ids/1")).json()
    assert body == {"schema": default_catalogue().by_id(1).schema_json}


async def test_unknown_ids_carry_registry_error_codes(client: httpx.AsyncClient) -> None:
    """Misses are 404 problems with the registry's error codes (40401, 40402, 40403)."""
    codes = [
        (await client.get(path)).json()["error_code"]
        for path in (
            "/subjects/iom.events.Nothing/versions",
            "/subjects/iom.events.Arrest/versions/9",
            "/schemas/ids/9999",
        )
    ]
    assert codes == [40401, 40402, 40403]


def test_confluent_client_and_serializer_use_our_ids(context: ApiContext) -> None:
    """confluent-kafka's client and AvroSerializer, pointed at a live server, frame with our id."""
    catalogue = default_catalogue()
    with live_server(create_app(context)) as url:
        registry = SchemaRegistryClient({"url": url})
        assert registry.get_schema(1).schema_str == catalogue.by_id(1).schema_json
        assert registry.get_versions("iom.events.Arrest") == [1, 2]
        assert registry.get_latest_version("iom.events.Arrest").schema_id == 28
        serializer = AvroSerializer(
            registry,
            catalogue.latest("arrest").schema_json,
            conf={
                "auto.register.schemas": False,
                "use.latest.version": True,
                "subject.name.strategy": lambda ctx, name: name,
            },
        )
        framed = serializer(
            example_event("arrest"),
            SerializationContext("ingress.gwent-police", MessageField.VALUE),
        )
    assert framed is not None
    assert unframe(framed)[0] == catalogue.latest("arrest").schema_id
