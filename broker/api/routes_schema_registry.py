"""Integrators: a read-only subset of the Confluent Schema Registry REST API over our catalogue.

Subjects follow the record name strategy: a subject is a record's full Avro name
(``iom.events.Arrest``), its versions are the catalogue's versions, and ids are the
catalogue's permanent ids, so confluent-kafka's ``AvroSerializer`` (with
``auto.register.schemas`` off and ``use.latest.version`` on) writes the ids the router reads.
Public: schemas hold no personal data. Errors are problem+json that also carry the
registry's ``error_code`` and ``message`` so registry clients report them properly.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field

from broker.catalogue.catalogue import CatalogueEntry
from broker.http.context import ApiContext, api_context
from broker.http.problems import ProblemError

__all__ = ["router"]

router = APIRouter(tags=["schema registry"])

_SUBJECT = r"^[A-Za-z_][A-Za-z0-9_.]{0,199}$"
_VERSION = r"^(latest|-1|[1-9][0-9]{0,5})$"


class SchemaById(BaseModel):
    """A schema by its id (``schemaType`` is omitted: every schema here is Avro)."""

    schema_: str = Field(alias="schema", serialization_alias="schema")


class SubjectVersion(BaseModel):
    """One version of a subject."""

    subject: str
    version: int
    id: int
    schema_: str = Field(alias="schema", serialization_alias="schema")


def _not_found(code: int, message: str) -> ProblemError:
    return ProblemError(404, message, extra={"error_code": code, "message": message})


def _versions(context: ApiContext, subject: str) -> list[CatalogueEntry]:
    found = [e for e in context.catalogue.entries() if e.full_name == subject]
    if not found:
        raise _not_found(40401, f"subject {subject!r} not found")
    return sorted(found, key=lambda e: e.version)


@router.get(
    "/schemas/ids/{schema_id}",
    response_model=SchemaById,
    response_model_by_alias=True,
    summary="A schema by its id",
)
def schema_by_id(
    context: Annotated[ApiContext, Depends(api_context)],
    schema_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
) -> SchemaById:
    """The Avro schema registered under ``schema_id`` (the id in the Confluent framing)."""
    entry = next((e for e in context.catalogue.entries() if e.schema_id == schema_id), None)
    if entry is None:
        raise _not_found(40403, f"schema id {schema_id} not found")
    return SchemaById(schema=entry.schema_json)


@router.get("/subjects", response_model=list[str], summary="Every subject")
def subjects(context: Annotated[ApiContext, Depends(api_context)]) -> list[str]:
    """Every record full name in the catalogue, sorted."""
    return sorted({e.full_name for e in context.catalogue.entries()})


@router.get(
    "/subjects/{subject}/versions", response_model=list[int], summary="A subject's versions"
)
def subject_versions(
    context: Annotated[ApiContext, Depends(api_context)],
    subject: Annotated[str, Path(pattern=_SUBJECT)],
) -> list[int]:
    """The versions registered for ``subject``, oldest first."""
    return [e.version for e in _versions(context, subject)]


@router.get(
    "/subjects/{subject}/versions/{version}",
    response_model=SubjectVersion,
    response_model_by_alias=True,
    summary="One version of a subject",
)
def subject_version(
    context: Annotated[ApiContext, Depends(api_context)],
    subject: Annotated[str, Path(pattern=_SUBJECT)],
    version: Annotated[str, Path(pattern=_VERSION, description="A number, latest or -1.")],
) -> SubjectVersion:
    """Version ``version`` of ``subject`` (``latest`` or ``-1`` for the newest)."""
    versions = _versions(context, subject)
    wanted = versions[-1].version if version in ("latest", "-1") else int(version)
    entry = next((e for e in versions if e.version == wanted), None)
    if entry is None:
        raise _not_found(40402, f"version {version} of subject {subject!r} not found")
    return SubjectVersion(
        subject=subject, version=entry.version, id=entry.schema_id, schema=entry.schema_json
    )
