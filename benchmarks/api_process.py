"""Start a benchmark's API server in a subprocess and wait until it answers ``/healthz``."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def serve_until_healthy(
    command: list[str], port: int, within: float = 60
) -> subprocess.Popen[bytes]:
    """Run ``command`` from the project root; return once ``/healthz`` on ``port`` answers 200."""
    server = subprocess.Popen(command, cwd=ROOT)
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"the API did not answer /healthz within {within:.0f} s")
