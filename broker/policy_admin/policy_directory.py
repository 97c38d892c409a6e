"""Read a policy directory from disk: the one place policy files are opened.

Layout (``policies/`` in the repository)::

    vocabulary/purposes.yaml, legal-bases.yaml, areas.yaml, special-category.yaml
    agreements/*.yaml        one agreement per file
    scenarios/*.yaml         examples a DPO can read, checked by the tests and `policy validate`

The agency registry (``agencies.yaml``) is read separately: routers subscribe to its topics.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from broker.catalogue.catalogue import SchemaCatalogue
from broker.domain.agency import AgencyDirectory
from broker.policy.build import build_policy, check_policy
from broker.policy.engine import CompiledPolicy
from broker.policy.event_fields import event_fields_from_catalogue
from broker.policy.policy_set import PolicySet
from broker.policy.policy_source import AGREEMENTS_DIR, VOCABULARY_FILES, PolicySource
from broker.policy.problems import PolicyUnreadable, Problem
from broker.policy.validate import PolicyContext

SCENARIOS_DIR = "scenarios"


def read_policy_source(directory: Path) -> PolicySource:
    """The vocabulary and agreement texts under ``directory``; raise PolicyError if unreadable."""
    if not directory.is_dir():
        raise PolicyUnreadable(f"{directory}: not a policy directory (expected {AGREEMENTS_DIR})")
    files: dict[str, str] = {}
    paths = [directory / name for name in VOCABULARY_FILES]
    paths += sorted((directory / AGREEMENTS_DIR).glob("*.y*ml"))
    for path in paths:
        if not path.exists():
            continue
        relative = path.relative_to(directory).as_posix()
        try:
            files[relative] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise PolicyUnreadable(f"{path}: cannot read ({error})") from None
    return PolicySource(files, label=_label(directory))


def policy_context(
    catalogue: SchemaCatalogue, agencies: AgencyDirectory, today: date | None = None
) -> PolicyContext:
    """What policies are checked against: these agencies, this catalogue, today (UTC)."""
    return PolicyContext(
        agencies=agencies,
        event_fields=event_fields_from_catalogue(catalogue),
        today=today or datetime.now(UTC).date(),
    )


def load_policy(directory: Path, context: PolicyContext) -> tuple[CompiledPolicy, list[Problem]]:
    """Read, parse, validate and compile a policy directory; raise PolicyError on any error."""
    return build_policy(read_policy_source(directory), context)


def check_policy_directory(
    directory: Path, context: PolicyContext
) -> tuple[PolicySet | None, list[Problem]]:
    """Read, parse and validate a policy directory, returning every problem."""
    return check_policy(read_policy_source(directory), context)


def scenario_files(directory: Path) -> list[Path]:
    """The scenario files of a policy directory, in name order."""
    return sorted((directory / SCENARIOS_DIR).glob("*.y*ml"))


def _label(directory: Path) -> str:
    try:
        return directory.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(directory)
