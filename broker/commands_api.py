"""``iom-broker api run``: serve the HTTP API with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from broker.logging_setup import configure_logging
from broker.settings import SettingsError, load_settings

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

    try:
        settings = load_settings()
    except SettingsError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    configure_logging(settings.log_level, settings.log_format)
    try:
        context = build_context(settings)
    except (OSError, ValueError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
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
