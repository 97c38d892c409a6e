"""Default state folders of the development stack and the demo, under the checkout."""

from __future__ import annotations

from broker.project_root import PROJECT_ROOT

DEV_STATE = PROJECT_ROOT / ".state" / "dev"
DEMO_STATE = PROJECT_ROOT / ".state" / "demo"
