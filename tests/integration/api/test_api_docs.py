"""/docs serves Swagger UI from the pinned swagger-ui-dist package with recorded hashes; a
setting turns the documentation off."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import httpx
import pytest

from broker.api.api_docs import RECORDED_DIGESTS, SWAGGER_UI_DIST, recorded_digests
from broker.http.context import ApiContext
from broker.server.app import create_app
from broker.settings import PROJECT_ROOT, ApiSettings

NEEDED = {"swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"}


def test_swagger_ui_is_pinned_to_an_exact_version() -> None:
    """package.json names one exact swagger-ui-dist version (no range), the lock file agrees,
    and that version is the one installed."""
    wanted = json.loads((PROJECT_ROOT / "package.json").read_text())["dependencies"]
    locked = json.loads((PROJECT_ROOT / "package-lock.json").read_text())["packages"]
    installed = json.loads((SWAGGER_UI_DIST / "package.json").read_text())["version"]

    assert re.fullmatch(r"\d+\.\d+\.\d+", wanted["swagger-ui-dist"])
    assert locked["node_modules/swagger-ui-dist"]["version"] == wanted["swagger-ui-dist"]
    assert installed == wanted["swagger-ui-dist"]


async def test_served_assets_match_the_recorded_hashes(client: httpx.AsyncClient) -> None:
    """Each file the docs page loads is served from this origin with exactly the SHA-256
    recorded in the repository, so a changed asset is noticed."""
    digests = recorded_digests()
    assert set(digests) == NEEDED

    for name, digest in digests.items():
        response = await client.get(f"/docs/assets/{name}")
        assert response.status_code == 200, name
        assert hashlib.sha256(response.content).hexdigest() == digest, name


async def test_docs_page_loads_only_local_files_with_integrity(client: httpx.AsyncClient) -> None:
    """The page's scripts and stylesheet are local paths, the recorded files carry matching
    integrity attributes, and it names no other host."""
    page = (await client.get("/docs")).text
    digests = recorded_digests()

    urls = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert urls and all(url.startswith("/") and not url.startswith("//") for url in urls)
    assert "http://" not in page and "https://" not in page
    for name in ("swagger-ui-bundle.js", "swagger-ui.css"):
        sri = "sha256-" + base64.b64encode(bytes.fromhex(digests[name])).decode()
        assert f'/docs/assets/{name}" integrity="{sri}"' in page
    assert "<script>" not in page


@pytest.mark.parametrize(
    "name", ["index.html", "package.json", "swagger-initializer.js", "..%2Fpackage.json"]
)
async def test_only_the_recorded_files_are_served(client: httpx.AsyncClient, name: str) -> None:
    """Other files of the package (its demo page with an inline script, its manifest) and
    path tricks are 404."""
    assert (await client.get(f"/docs/assets/{name}")).status_code == 404


async def test_production_can_turn_the_docs_off(context: ApiContext) -> None:
    """With api.docs false, /docs, its assets and /openapi.json are 404; the API still works."""
    context.settings = ApiSettings(docs=False)
    transport = httpx.ASGITransport(app=create_app(context))
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
        for path in ("/docs", "/docs/assets/swagger-ui.css", "/openapi.json"):
            assert (await client.get(path)).status_code == 404, path
        assert (await client.get("/healthz")).status_code == 200


def test_a_malformed_digest_file_names_its_line(tmp_path: Path) -> None:
    """A digest file whose entry is not '<sha256>  <name>' is refused naming file and line."""
    broken = tmp_path / "digests.sha256"
    broken.write_text("# comment\n" + RECORDED_DIGESTS.read_text().splitlines()[-1] + "\nzz x.js\n")

    with pytest.raises(ValueError, match=rf"{re.escape(str(broken))}:3: expected"):
        recorded_digests(broken)
