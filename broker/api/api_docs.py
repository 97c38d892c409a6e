"""The interactive API documentation at ``/docs``: Swagger UI served from this origin.

Swagger UI comes from the npm package ``swagger-ui-dist``, pinned in ``package.json`` and
installed with the project (never a CDN), and only the files the page needs are served, at
``/docs/assets/<file>``. Their SHA-256 digests are recorded in ``api_docs_assets.sha256``; the
page carries them as Subresource Integrity attributes, so a browser refuses a changed file.
The start-up script is a static file, so the page works under the strict
Content-Security-Policy (:mod:`broker.api.security_headers`). ``api.docs: false`` leaves
``/docs`` and ``/openapi.json`` out altogether (production).
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse, HTMLResponse

from broker.package_data import swagger_ui_dir

__all__ = [
    "DOCS_ASSETS",
    "RECORDED_DIGESTS",
    "SWAGGER_UI_DIST",
    "install_api_docs",
    "recorded_digests",
]

SWAGGER_UI_DIST = swagger_ui_dir()
RECORDED_DIGESTS = Path(__file__).with_name("api_docs_assets.sha256")
DOCS_ASSETS = "/docs/assets"
_INIT_SCRIPT = "/portal-static/api-docs.js"
_MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


def recorded_digests(path: Path = RECORDED_DIGESTS) -> dict[str, str]:
    """``{file name: SHA-256 hex}`` from a ``sha256sum``-style file (``#`` lines are comments).

    Raises ValueError naming the file and line of a malformed entry.
    """
    digests: dict[str, str] = {}
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        digest, _, name = line.partition("  ")
        if len(digest) != 64 or not name or "/" in name or Path(name).suffix not in _MEDIA_TYPES:
            raise ValueError(f"{path}:{number}: expected '<sha256 hex>  <file name>'")
        digests[name] = digest
    return digests


def install_api_docs(app: FastAPI, openapi_url: str, title: str) -> None:
    """Serve the Swagger UI page at ``/docs`` over ``openapi_url``, and its assets."""
    digests = recorded_digests()
    page = _page(openapi_url, title, digests)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        """Swagger UI over this API's OpenAPI document."""
        return HTMLResponse(page)

    @app.get(DOCS_ASSETS + "/{name}", include_in_schema=False)
    def docs_asset(name: str) -> FileResponse:
        """One of the recorded Swagger UI files; anything else is 404."""
        if name not in digests:
            raise HTTPException(404)
        media_type = _MEDIA_TYPES[Path(name).suffix]
        headers = {"Cache-Control": "public, max-age=86400"}
        return FileResponse(SWAGGER_UI_DIST / name, media_type=media_type, headers=headers)


def _integrity(hex_digest: str) -> str:
    return "sha256-" + base64.b64encode(bytes.fromhex(hex_digest)).decode("ascii")


def _page(openapi_url: str, title: str, digests: dict[str, str]) -> str:
    def asset(name: str) -> tuple[str, str]:
        return f"{DOCS_ASSETS}/{name}", _integrity(digests[name])

    css, css_integrity = asset("swagger-ui.css")
    bundle, bundle_integrity = asset("swagger-ui-bundle.js")
    icon, _ = asset("favicon-32x32.png")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{html.escape(title)} - Swagger UI</title>
  <link rel="stylesheet" href="{css}" integrity="{css_integrity}">
  <link rel="icon" type="image/png" href="{icon}">
</head>
<body>
  <div id="swagger-ui" data-openapi-url="{html.escape(openapi_url)}"></div>
  <script src="{bundle}" integrity="{bundle_integrity}"></script>
  <script src="{_INIT_SCRIPT}"></script>
</body>
</html>
"""
