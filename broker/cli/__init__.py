"""The ``iom-broker`` command line (``python -m broker.cli`` runs it too)."""

from __future__ import annotations

from broker.cli.root import app

__all__ = ["app"]
