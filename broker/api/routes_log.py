"""Auditors and the public: signed checkpoints and consistency proofs, in the c2sp text formats.

Checkpoints are c2sp.org/tlog-checkpoint signed notes, followed by the c2sp.org/tlog-cosignature
lines of the witnesses that cosigned them; a consistency proof is the body of a
c2sp.org/tlog-witness ``add-checkpoint`` request (``old <size>``, the proof hashes, a blank
line, the new checkpoint), which ``iom-broker log verify-consistency`` checks offline. The
tree is also served as c2sp.org/tlog-tiles hash tiles below ``/log`` (``/log/checkpoint`` and
``/log/tile/<L>/<N>[.p/<W>]``), so standard tlog clients can mirror and check it. Nothing
here reveals an entry's content (entry bundles are not served).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse, Response

from broker.http.context import ApiContext, api_context
from broker.http.problems import ProblemError
from broker.transparency.errors import FormatError
from broker.transparency.store.protocol import StoredCheckpoint
from broker.transparency.tiles import parse_tile_path

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
    """The newest checkpoint the log signed, with its witnesses' cosignatures (404 before the
    first)."""
    checkpoint = context.log.store.latest_checkpoint()
    if checkpoint is None:
        raise ProblemError(404, "the log has not published a checkpoint yet")
    note = context.log.cosigned_note(checkpoint)
    return PlainTextResponse(note, headers={"Cache-Control": "no-cache"})


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
    """The signed checkpoint of the tree of ``size`` entries, if one was published, with the
    cosignatures its witnesses returned so far (more may come: revalidate)."""
    note = context.log.cosigned_note(_by_size(context, size))
    return PlainTextResponse(note, headers={"Cache-Control": "no-cache"})


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


@router.get(
    "/tile/{level}/{index:path}",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}, "description": "A hash tile."}},
    summary="A c2sp.org/tlog-tiles hash tile",
)
def tile(
    context: Annotated[ApiContext, Depends(api_context)],
    level: Annotated[str, Path(max_length=8, description="Tile level, 0 to 7.")],
    index: Annotated[
        str, Path(max_length=40, description="N as x-prefixed 3-digit groups [.p/W].")
    ],
) -> Response:
    """The hashes of tile ``(level, N)``: 256 of them, or ``W`` for a partial tile.

    404 until the tree has grown enough to fill the tile (or its partial width). Entry
    bundles (``/log/tile/entries/...``) are not published: entries are for their subject.
    """
    if level == "entries":
        raise ProblemError(404, "entry bundles are not published; entries are for their subject")
    try:
        wanted = parse_tile_path(level, index)
    except FormatError as error:
        raise ProblemError(400, f"tile path: {error}") from None
    ids = wanted.node_ids()
    found = context.log.store.node_hashes(ids)
    if len(found) != len(ids):
        raise ProblemError(404, f"{wanted.path()} is not complete in the tree yet")
    return Response(
        b"".join(found[node] for node in ids),
        media_type="application/octet-stream",
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )
