"""``iom-broker api run``: serve the HTTP API with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from broker.cli.command_settings import command_settings
from broker.cli.failure import fail

api_app = typer.Typer(help="The HTTP API (OpenAPI at /openapi.json).", no_args_is_help=True)


@api_app.command("run")
def api_run(
    host: Annotated[str | None, typer.Option(help="Address to listen on (api.host).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (api.port).")] = None,
) -> None:
    """Serve the API in the foreground until SIGTERM or Ctrl-C."""
    import uvicorn

    from broker.server.app import create_app
    from broker.server.wiring import build_context
    from broker.startup_heap import freeze_startup_heap

    settings = command_settings()
    try:
        context = build_context(settings)
    except (OSError, ValueError) as error:
        fail(str(error))
    app = create_app(context)
    freeze_startup_heap()
    uvicorn.run(
        app,
        host=host or settings.api.host,
        port=settings.api.port if port is None else port,
        access_log=False,
        log_config=None,
        server_header=False,
        ssl_certfile=settings.api.tls_cert_file,
        ssl_keyfile=settings.api.tls_key_file,
    )
