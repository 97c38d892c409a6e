"""Default state folders of the development stack and the demo (broker.package_data)."""

from __future__ import annotations

from broker.package_data import state_dir

DEV_STATE = state_dir() / "dev"
DEMO_STATE = state_dir() / "demo"
