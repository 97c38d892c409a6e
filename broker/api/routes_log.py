"""Auditors and the public: signed checkpoints and consistency proofs, in the c2sp text formats.

Checkpoints are c2sp.org/tlog-checkpoint signed notes; a consistency proof is the body of a
c2sp.org/tlog-witness ``add-checkpoint`` request (``old <size>``, the proof hashes, a blank
line, the new checkpoint), which ``iom-broker log verify-consistency`` checks offline. Nothing
here reveals an entry's content.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse

from broker.api.context import ApiContext, api_context
from broker.api.problems import ProblemError
from broker.transparency.store.protocol import StoredCheckpoint

__all__ = ["router"]

router = APIRouter(prefix="/log", tags=["transparency log"])

_MAX_SIZE = 2**53
_TEXT: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/plain": {}}, "description": "A c2sp text document."}
}


def _by_size(context: ApiContext, size: int) -> StoredCheckpoint:
    found = next((c for c in context.log.store.checkpoints() if c.size == size), None)
    if found is None:
        raise ProblemError(404, f"no checkpoint was published at size {size}")
    return found


@router.get(
    "/checkpoint",
    response_class=PlainTextResponse,
    responses=_TEXT,
    summary="The latest signed checkpoint",
)
def latest_checkpoint(context: Annotated[ApiContext, Depends(api_context)]) -> PlainTextResponse:
    """The newest checkpoint the log signed (404 before the first)."""
    checkpoint = context.log.store.latest_checkpoint()
    if checkpoint is None:
        raise ProblemError(404, "the log has not published a checkpoint yet")
    return PlainTextResponse(checkpoint.note, headers={"Cache-Control": "no-cache"})


@router.get(
    "/checkpoints/{size}",
    response_class=PlainTextResponse,
    responses=_TEXT,
    summary="The checkpoint published at a tree size",
)
def checkpoint_by_size(
    context: Annotated[ApiContext, Depends(api_context)],
    size: Annotated[int, Path(ge=0, le=_MAX_SIZE)],
) -> PlainTextResponse:
    """The signed checkpoint of the tree of ``size`` entries, if one was published."""
    note = _by_size(context, size).note
    return PlainTextResponse(note, headers={"Cache-Control": "public, max-age=31536000, immutable"})


@router.get(
    "/consistency",
    response_class=PlainTextResponse,
    responses=_TEXT,
    summary="Proof that a checkpoint extends an older tree",
)
async def consistency(
    context: Annotated[ApiContext, Depends(api_context)],
    old: Annotated[int, Query(ge=0, le=_MAX_SIZE, description="The older tree size.")],
    new: Annotated[int, Query(ge=0, le=_MAX_SIZE, description="A published checkpoint's size.")],
) -> PlainTextResponse:
    """An add-checkpoint body proving the checkpoint of size ``new`` extends size ``old``."""
    if old > new:
        raise ProblemError(400, f"old size {old} is larger than new size {new}")

    def body() -> str:
        return context.log.consistency_body(old, _by_size(context, new))

    return PlainTextResponse(await run_in_threadpool(body))
