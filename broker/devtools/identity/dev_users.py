"""The development users the dev issuer's sign-in page offers: supervisees, DPOs, oversight.

DEVELOPMENT ONLY. One DPO per agency of the registry (``dev-dpo-<agency>``), one member of
the national oversight group (``dev-oversight``, the console's statistics pages) and the
supervisees listed in ``<identity state>/dev-supervisees.json`` (``iom-broker demo`` adds the
story's person once the router has given them a subject reference). :func:`dev_principal` is
the one place their claims are decided, shared with ``iom-broker dev token``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from broker.domain.agency import AgencyDirectory
from broker.domain.subject_ref_syntax import SUBJECT_REF_CHARACTERS, is_subject_ref
from broker.identity.principal import Principal, Role

__all__ = [
    "DEV_SUPERVISEES_FILE",
    "DevUser",
    "add_dev_supervisee",
    "dev_dpo",
    "dev_operator",
    "dev_oversight",
    "dev_supervisee",
    "dev_users",
    "load_dev_supervisees",
]

DEV_SUPERVISEES_FILE = "dev-supervisees.json"
_MAX_LABEL = 80


@dataclass(frozen=True)
class DevUser:
    """One person on the sign-in page: an id for the form, who they are, and a label."""

    user_id: str
    principal: Principal
    label_en: str
    label_cy: str


def dev_dpo(agency: str) -> Principal:
    """The development DPO of ``agency`` (the claims ``dev token --dpo`` prints)."""
    return Principal(subject=f"dev-dpo-{agency}", role=Role.DPO, agency=agency)


def dev_operator() -> Principal:
    """The development operator (as ``dev token --operator``): scrapes ``/metrics``."""
    return Principal(subject="dev-operator", role=Role.OPERATOR)


def dev_oversight() -> Principal:
    """The development member of the national oversight group (``dev token --oversight``):
    the published statistics for all of Wales."""
    return Principal(subject="dev-oversight", role=Role.OVERSIGHT)


def dev_supervisee(subject_ref: str) -> Principal:
    """The development supervisee of ``subject_ref`` (as ``dev token --supervisee``)."""
    return Principal(subject="dev-supervisee", role=Role.SUPERVISEE, subject_ref=subject_ref)


def load_dev_supervisees(identity_dir: Path) -> list[tuple[str, str]]:
    """``(subject_ref, label)`` pairs from the dev list; a missing or broken file is empty."""
    try:
        loaded = json.loads((Path(identity_dir) / DEV_SUPERVISEES_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return []
    entries = loaded.get("supervisees", []) if isinstance(loaded, dict) else []
    found: list[tuple[str, str]] = []
    for entry in entries if isinstance(entries, list) else []:
        ref = entry.get("subject_ref") if isinstance(entry, dict) else None
        label = entry.get("label") if isinstance(entry, dict) else None
        if is_subject_ref(ref) and isinstance(label, str):
            found.append((ref, label[:_MAX_LABEL]))
    return found


def add_dev_supervisee(identity_dir: Path, subject_ref: str, label: str) -> None:
    """Add (or relabel) a supervisee on the dev sign-in page."""
    if not is_subject_ref(subject_ref):
        raise ValueError(f"a dev supervisee's subject reference must be {SUBJECT_REF_CHARACTERS}")
    kept = [(r, lab) for r, lab in load_dev_supervisees(identity_dir) if r != subject_ref]
    kept.append((subject_ref, label[:_MAX_LABEL]))
    path = Path(identity_dir) / DEV_SUPERVISEES_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"supervisees": [{"subject_ref": r, "label": lab} for r, lab in kept]}
    path.write_text(json.dumps(document, indent=1), "utf-8")


def dev_users(agencies: AgencyDirectory, identity_dir: Path) -> list[DevUser]:
    """Every user the page offers: the listed supervisees, each agency's DPO, then the
    oversight member."""
    users = [
        DevUser(f"supervisee:{ref}", dev_supervisee(ref), label, label)
        for ref, label in load_dev_supervisees(identity_dir)
    ]
    users += [
        DevUser(
            f"dpo:{a.agency_id}",
            dev_dpo(a.agency_id),
            f"Data protection officer, {a.name_en}",
            f"Swyddog diogelu data, {a.name_cy}",
        )
        for a in agencies
    ]
    users.append(
        DevUser(
            "oversight",
            dev_oversight(),
            "Member of the national oversight group",
            "Aelod o'r grŵp goruchwylio cenedlaethol",
        )
    )
    return users
