"""RFC 9457 problem details: every error the API returns is ``application/problem+json``.

Responses never carry a stack trace, a token, a payload or the value a caller sent: a
validation problem names the bad field and what is wrong with it, not what was given.
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

__all__ = ["PROBLEM_JSON", "ProblemError", "install_problem_handlers", "problem_response"]

PROBLEM_JSON = "application/problem+json"

log = structlog.get_logger(__name__)


class ProblemError(Exception):
    """An error to answer with a problem document; ``detail`` is one line for the caller."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        title: str | None = None,
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.title = title or HTTPStatus(status).phrase
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})


def problem_response(
    status: int,
    detail: str,
    *,
    title: str | None = None,
    instance: str | None = None,
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> JSONResponse:
    """A problem+json response (``type`` is ``about:blank``: the status says what happened)."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update(extra or {})
    return JSONResponse(
        body, status_code=status, headers=dict(headers or {}), media_type=PROBLEM_JSON
    )


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in loc)


async def _problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return problem_response(
        exc.status, exc.detail, title=exc.title, headers=exc.headers, extra=exc.extra
    )


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    if exc.status_code == 404:
        detail = "no such resource"
    elif exc.status_code == 405:
        detail = f"method {request.method} is not allowed here"
    return problem_response(exc.status_code, detail, headers=exc.headers)


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"field": _field(e.get("loc", ())), "message": e.get("msg", "")} for e in exc.errors()
    ]
    first = errors[0] if errors else {"field": "request", "message": "is not valid"}
    return problem_response(
        422,
        f"{first['field']}: {first['message']}",
        title="Invalid request",
        extra={"errors": errors[:20]},
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    return problem_response(500, "the server could not answer; try again later")


def install_problem_handlers(app: FastAPI) -> None:
    """Answer HTTP, validation, our own and unexpected errors as problem+json."""
    app.add_exception_handler(Exception, _unexpected)
    app.add_exception_handler(ProblemError, _problem)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(RequestValidationError, _validation)
