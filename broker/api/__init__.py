"""The HTTP API: an ASGI app (FastAPI) over the transparency log, catalogue and identity.

``broker.server.app.create_app`` mounts these routers over an
:class:`~broker.http.context.ApiContext` (built from settings by ``broker.server.wiring``).
One router module per area (``routes_*``). See docs/api.md.
"""
