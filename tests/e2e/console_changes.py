"""The policy change the console's browser tests propose: a new rule in the GDAS agreement.

GDAS and the Probation Service are its only parties, so their two DPOs must approve it; the
sample month's breach by a Gwent person would start to reach GDAS.
"""

from __future__ import annotations

import httpx

from broker.devtools.identity.dev_issuer import DevIssuer
from broker.devtools.identity.dev_users import dev_dpo
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
BREAKS_SCENARIO = CURRENT.replace(", payload.outcome]", "]")
"""Valid, but scenario 09 expects probation to learn a treatment referral's outcome."""


def dpo_bearer(issuer: DevIssuer, agency: str) -> dict[str, str]:
    """Authorization headers of ``agency``'s development DPO (the e2e issuer's token)."""
    return {"Authorization": f"Bearer {issuer.mint(dev_dpo(agency))}"}


def approved_through_api(base: str, issuer: DevIssuer, text: str = FIXED) -> str:
    """Propose ``text`` as the Probation Service's DPO, approve it by both parties; its page."""
    made = httpx.post(
        f"{base}/policies/proposals",
        json={"files": {PATH: text}},
        headers=dpo_bearer(issuer, "probation-wales"),
    )
    assert made.status_code == 201, made.text
    proposal_id = made.json()["proposal_id"]
    for agency in ("probation-wales", "gdas"):
        approved = httpx.post(
            f"{base}/policies/proposals/{proposal_id}/approvals",
            headers=dpo_bearer(issuer, agency),
        )
        assert approved.status_code == 200, approved.text
    return f"/console/proposals/{proposal_id}"
