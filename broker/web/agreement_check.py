"""Check an edited agreement as ``iom-broker policy validate`` would, without proposing it.

The console's live validation calls this as the DPO types: the current policy with one
agreement file's text replaced, built exactly as a proposal is, so the problems are the same
``file:line: message`` lines. Nothing is stored or audited.
"""

from __future__ import annotations

from broker.policy.build import build_policy
from broker.policy.policy_set import PolicySet
from broker.policy.policy_source import PolicySource
from broker.policy.problems import PolicyError
from broker.policy_admin.approvals_guard import hand_edited_approvals
from broker.policy_admin.workspace import AGREEMENT_PATH, PolicyWorkspace

__all__ = ["MAX_PROBLEMS", "agreement_path", "check_agreement", "proposed_policy"]

MAX_PROBLEMS = 50
_MAX_ID = 100


def agreement_path(workspace: PolicyWorkspace, agreement_id: str) -> str | None:
    """The policy-relative path of the current agreement ``agreement_id`` (None if unknown)."""
    if len(agreement_id) > _MAX_ID:
        return None
    found = next(
        (a for a in workspace.policy_set.agreements if a.agreement_id == agreement_id), None
    )
    if found is None:
        return None
    current = workspace.current
    return next((p for p in current.agreement_paths() if current.where(p) == found.file), None)


def proposed_policy(workspace: PolicyWorkspace, path: str, text: str) -> PolicySet:
    """The current policy with ``path`` holding ``text``, built and checked as a proposal is
    (approvals included); PolicyError."""
    if not AGREEMENT_PATH.match(path):
        raise PolicyError(f"{path!r} is not an agreement path")
    files = dict(workspace.current.files)
    files[path] = text
    source = PolicySource(files, label=workspace.current.label)
    compiled, _ = build_policy(source, workspace.context)
    by_hand = hand_edited_approvals(workspace.policy_set, compiled.policy, {source.where(path)})
    if by_hand:
        raise PolicyError.from_problems(by_hand)
    return compiled.policy


def check_agreement(workspace: PolicyWorkspace, path: str, text: str) -> list[str]:
    """The CLI's problems with ``path`` holding ``text`` (an empty list when it is valid)."""
    try:
        proposed_policy(workspace, path, text)
    except PolicyError as error:
        return ([str(p) for p in error.problems] or [str(error)])[:MAX_PROBLEMS]
    return []
