"""Static files: govuk-frontend's CSS, JS, fonts and images (package data) and ours."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from broker.package_data import govuk_frontend_dir

__all__ = ["GOVUK_DIST", "mount_static"]

GOVUK_DIST = govuk_frontend_dir()
_OURS = Path(__file__).parent / "static"


def mount_static(app: FastAPI) -> None:
    """Serve govuk-frontend at ``/govuk`` and ``/assets`` (its CSS asks for ``/assets``)."""
    app.mount("/govuk", StaticFiles(directory=GOVUK_DIST, check_dir=False), name="govuk")
    assets = StaticFiles(directory=GOVUK_DIST / "assets", check_dir=False)
    app.mount("/assets", assets, name="govuk-assets")
    app.mount("/portal-static", StaticFiles(directory=_OURS), name="portal-static")
