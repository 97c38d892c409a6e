"""The folder of the checkout: where the default schemas, policies and state live."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
