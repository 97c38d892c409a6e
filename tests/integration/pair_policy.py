"""Two test agencies (police, probation) with one agreement, for tests with their own topics."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from broker.devtools.processes import spawn_detached
from broker.settings import PROJECT_ROOT

AGENCIES_YAML = """\
agencies:
  - {id: {POLICE}, kind: police, name_en: Test Police, name_cy: Heddlu Prawf}
  - {id: {PROBATION}, kind: probation, name_en: Test Probation, name_cy: Prawf Prawf}
"""
AREAS_YAML = """\
areas:
  - {id: wales, name_en: Wales, name_cy: Cymru, agencies: [{PROBATION}]}
  - {id: gwent, name_en: Gwent, name_cy: Gwent, agencies: [{POLICE}]}
"""
POLICY_YAML = """\
agreement: pair-test
title: Two-agency test agreement
kind: isp
version: 1
area: gwent
parties: [{POLICE}, {PROBATION}]
review_date: 2099-01-01
approvals:
  - {party: {POLICE}, dpo: Test DPO, date: 2026-01-01}
  - {party: {PROBATION}, dpo: Test DPO, date: 2026-01-01}
rules:
  - id: enrol
    from: {PROBATION}
    to: {POLICE}
    events: [cohort_enrolment]
    purpose: iom_case_management
    legal_basis: dpa2018_part3_s35
    fields: [subject.pnc_id]
    retention: P1Y
  - id: arrests
    from: {POLICE}
    to: {PROBATION}
    events: [arrest]
    purpose: iom_case_management
    legal_basis: dpa2018_part3_s35
    fields: [subject.crn, payload.offence_category]
    retention: P1Y
"""


def write_pair_policy(state: Path, police: str, probation: str) -> None:
    """Write ``agencies.yaml`` and a ``policy`` directory for the two agencies under ``state``."""

    def fill(template: str) -> str:
        return template.replace("{POLICE}", police).replace("{PROBATION}", probation)

    (state / "agencies.yaml").write_text(fill(AGENCIES_YAML))
    policy = state / "policy"
    shutil.copytree(PROJECT_ROOT / "policies" / "vocabulary", policy / "vocabulary")
    (policy / "vocabulary" / "areas.yaml").write_text(fill(AREAS_YAML))
    (policy / "agreements").mkdir()
    (policy / "agreements" / "pair-test.yaml").write_text(fill(POLICY_YAML))


def start_pair_router(
    state: Path, bootstrap: str, group: str, index: int = 0, extra_args: Sequence[str] = ()
) -> int:
    """Start router ``index`` of ``group`` on the pair's agencies and policy written in ``state``.

    Its transactional id is ``<group>-<index>``; it logs to ``router-<index>.log`` and records
    its pid in ``router-<index>.pid``.
    """
    env = {
        **os.environ,
        "IOM_KAFKA__BOOTSTRAP_SERVERS": bootstrap,
        "IOM_AGENCIES_FILE": str(state / "agencies.yaml"),
        "IOM_POLICY_FILE": str(state / "policy"),
        "IOM_SUBJECT_KEY_FILE": str(state / "subject.key"),
        "IOM_ROUTER__GROUP_ID": group,
        "IOM_ROUTER__TRANSACTIONAL_ID": f"{group}-{index}",
        "IOM_ROUTER__BATCH_MAX_RECORDS": "100",
    }
    command = [sys.executable, "-m", "broker.cli", "router", "run", *extra_args]
    log, pid = state / f"router-{index}.log", state / f"router-{index}.pid"
    return spawn_detached(command, log, pid, env)
