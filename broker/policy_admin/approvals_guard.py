"""An agreement file's ``approvals:`` list is the system's record: a proposal may not change it.

Each party's DPO approves a proposal in the console or over the API, and that approval is
recorded with the proposal (:mod:`broker.records.proposal_store`), with the DPO's name and
time, and audited. The list in the file records the sign-off of the agreement as it was first
adopted; editing it by hand would let one DPO write another's approval, so a proposal that
adds, removes or changes an entry (or a new file that brings its own list) is refused with a
``file:line`` problem like any other.
"""

from __future__ import annotations

from collections.abc import Collection

from broker.policy.agreement import Agreement, Approval
from broker.policy.policy_set import PolicySet
from broker.policy.problems import Problem

__all__ = ["APPROVALS_BY_HAND", "hand_edited_approvals"]

APPROVALS_BY_HAND = (
    "the 'approvals' list is recorded by the system when each party's DPO approves;"
    " it cannot be changed by hand (put it back as it was)"
)


def _signed(approvals: tuple[Approval, ...]) -> list[tuple[str, str, str]]:
    return [(a.party, a.dpo, a.approved_on.isoformat()) for a in approvals]


def hand_edited_approvals(
    current: PolicySet, proposed: PolicySet, changed_files: Collection[str]
) -> list[Problem]:
    """One problem per changed agreement file whose ``approvals:`` differ from the current
    file's, on the first entry that differs (``changed_files`` are shown file names, as in
    :attr:`Agreement.file`)."""
    before: dict[str, Agreement] = {a.file: a for a in current.agreements}
    problems = []
    for agreement in proposed.agreements:
        if agreement.file not in changed_files:
            continue
        was = before.get(agreement.file)
        old = _signed(was.approvals) if was is not None else []
        new = _signed(agreement.approvals)
        if new != old:
            differs = next(
                (i for i, (a, b) in enumerate(zip(new, old, strict=False)) if a != b), len(old)
            )
            line = (
                agreement.approvals[differs].line
                if differs < len(new)
                else agreement.line_of("approvals")
            )
            problems.append(Problem(agreement.file, line, APPROVALS_BY_HAND))
    return problems
