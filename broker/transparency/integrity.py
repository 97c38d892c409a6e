"""Check a whole store against its signed checkpoints: any altered entry, leaf, node or
checkpoint is found.

Content is re-hashed and compared with its leaf; every perfect node is recomputed from the
leaves and compared with the stored one; each checkpoint's signature is verified and its
root recomputed at its size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from broker.transparency.checkpoint import open_checkpoint
from broker.transparency.errors import NoteError
from broker.transparency.hashing import leaf_hash
from broker.transparency.note import NoteVerifier
from broker.transparency.store.protocol import LogStore
from broker.transparency.tree import CompactRange, NodeId

MAX_PROBLEMS = 50


@dataclass
class IntegrityReport:
    """What was checked and every problem found (at most ``MAX_PROBLEMS``)."""

    size: int = 0
    contents_checked: int = 0
    checkpoints_checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing was wrong."""
        return not self.problems


def check_store(store: LogStore, verifier: NoteVerifier, batch: int = 10_000) -> IntegrityReport:
    """Recompute the log from its leaves and compare with everything stored and signed."""
    report = IntegrityReport()
    checkpoints = store.checkpoints()
    pending = list(reversed(checkpoints))
    for stored in checkpoints:
        try:
            signed = open_checkpoint(stored.note, verifier)
        except NoteError as error:
            report.problems.append(f"checkpoint {stored.size}: {error}")
            continue
        if (signed.size, signed.root) != (stored.size, stored.root):
            report.problems.append(
                f"checkpoint {stored.size}: stored size or root differs from its note"
            )
    size, _ = store.tree_head()
    tree = CompactRange()
    while pending and pending[-1].size == 0:
        pending.pop()
    while tree.size < size and len(report.problems) < MAX_PROBLEMS:
        rows = list(store.leaves(tree.size, batch))
        if not rows:
            break
        created: dict[NodeId, bytes] = {}
        for index, stored_leaf, content in rows:
            if index != tree.size:
                report.problems.append(f"leaf {tree.size} is missing")
                return report
            if content is not None:
                report.contents_checked += 1
                if leaf_hash(content) != stored_leaf:
                    report.problems.append(f"entry {index}: content does not match its leaf hash")
            created.update(tree.append(stored_leaf))
            while pending and pending[-1].size == tree.size:
                checkpoint = pending.pop()
                report.checkpoints_checked += 1
                if checkpoint.root != tree.root():
                    report.problems.append(
                        f"checkpoint {checkpoint.size}: root does not match the stored leaves"
                    )
        stored_nodes = store.node_hashes([node for node in created if node[0] > 0])
        for node, value in created.items():
            if node[0] > 0 and stored_nodes.get(node) != value:
                report.problems.append(f"node {node[0]}/{node[1]}: stored hash is wrong")
    report.size = tree.size
    if tree.size != size:
        report.problems.append(f"tree size is {size} but {tree.size} leaves were read")
    for checkpoint in pending:
        report.problems.append(f"checkpoint {checkpoint.size}: larger than the tree ({size})")
    del report.problems[MAX_PROBLEMS:]
    return report
