"""The HTTP API: an ASGI app (FastAPI) over the transparency log, catalogue and identity.

``app.create_app`` builds it from an :class:`~broker.api.context.ApiContext`; ``wiring`` builds
that context from settings. One router module per area (``routes_*``). See docs/api.md.
"""
