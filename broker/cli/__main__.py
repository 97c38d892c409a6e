"""``python -m broker.cli``: the ``iom-broker`` command (the dev stack starts its processes so)."""

from __future__ import annotations

from broker.cli.root import app

app()
