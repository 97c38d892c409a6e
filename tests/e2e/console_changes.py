"""The policy change the console's browser tests propose: a new rule in the GDAS agreement.

GDAS and the Probation Service are its only parties, so their two DPOs must approve it; the
sample month's breach by a Gwent person would start to reach GDAS.
"""

from __future__ import annotations

from broker.settings import PROJECT_ROOT

AGREEMENT = "gwent-gdas-treatment-dda"
PATH = f"agreements/{AGREEMENT}.yaml"
CURRENT = (PROJECT_ROOT / "policies" / PATH).read_text("utf-8")
NEW_RULE = """  - id: probation-breach-to-gdas
    from: probation-wales
    to: gdas
    events: [breach]
    purpose: substance_misuse_treatment
    legal_basis: ukgdpr_6_1_e_public_task
    fields: [subject.crn, payload.order_type]
    retention: P1Y
"""
ONE_WAY = CURRENT + NEW_RULE
"""Invalid: a data disclosure agreement (dda) is one-way, and this rule shares back."""
FIXED = ONE_WAY.replace("kind: dda", "kind: isp")
"""Valid: the same agreement as a two-way information sharing agreement (isp)."""
