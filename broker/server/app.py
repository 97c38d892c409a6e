"""The app factory: one FastAPI app over an :class:`ApiContext`, with every router mounted."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI

from broker.api import (
    routes_dead_letters,
    routes_log,
    routes_operations,
    routes_policies,
    routes_schema_registry,
    routes_statistics,
    routes_subject,
    routes_subject_requests,
    routes_subject_requests_dpo,
)
from broker.api.api_docs import install_api_docs
from broker.api.guard import GuardMiddleware
from broker.api.metrics import ApiMetrics, MetricsMiddleware
from broker.api.router_lag_refresher import RouterLagRefresher
from broker.api.security_headers import SecurityHeadersMiddleware
from broker.http.context import ApiContext
from broker.http.policy_problems import install_policy_problem_handlers
from broker.http.problems import install_problem_handlers
from broker.web.csrf import install_csrf
from broker.web.rendering import refused_form
from broker.web.routes_console import install_console
from broker.web.routes_portal import install_portal
from broker.web.session_purge import purge_sessions_forever
from broker.web.static_files import mount_static

__all__ = ["create_app"]

API_VERSION = "1.0.0"
OPENAPI_URL = "/openapi.json"
DESCRIPTION = """\
The IOM information-sharing broker's HTTP API: supervisees' disclosures and receipts, subject
access requests, signed checkpoints for auditors, the Schema Registry subset for integrators,
and operations endpoints. Every error is RFC 9457 `application/problem+json`."""


def create_app(context: ApiContext) -> FastAPI:
    """The API over ``context`` (OpenAPI at ``/openapi.json``) and the portal at ``/portal``.

    While served, the app carries out scheduled policy activations when they fall due, one
    background task measures the router group's lag for ``/metrics`` and another deletes
    timed-out web sessions.
    """
    metrics = ApiMetrics(lambda: context.log.store.tree_head()[0], context.log.witness_gaps)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        settings = context.settings
        tasks: list[asyncio.Task[None]] = []
        if context.activator is not None:
            activations = context.activator.run_forever(settings.activation_check_s)
            tasks.append(asyncio.create_task(activations))
        tasks.append(asyncio.create_task(purge_sessions_forever(context.web_sessions)))
        if context.router_lag is not None:
            lag = RouterLagRefresher(context.router_lag, metrics, settings.kafka_timeout_s * 2)
            tasks.append(asyncio.create_task(lag.run_forever(settings.router_lag_refresh_s)))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    app = FastAPI(
        title="iom-broker API",
        version=API_VERSION,
        description=DESCRIPTION,
        openapi_url=OPENAPI_URL if context.settings.docs else None,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.context = context
    app.state.metrics = metrics
    install_problem_handlers(app)
    install_policy_problem_handlers(app)
    for module in (
        routes_operations,
        routes_schema_registry,
        routes_log,
        routes_subject,
        routes_subject_requests,
        routes_subject_requests_dpo,
        routes_dead_letters,
        routes_policies,
        routes_statistics,
    ):
        app.include_router(module.router)
    install_portal(app)
    install_console(app)
    mount_static(app)
    if context.settings.docs:
        install_api_docs(app, OPENAPI_URL, app.title)
    install_csrf(app, refused_form)
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    app.add_middleware(GuardMiddleware, max_body_bytes=context.settings.max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    return app
