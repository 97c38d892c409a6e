"""Parse, validate and compile a policy version: the three separate steps, in order."""

from __future__ import annotations

from broker.policy.compiled import compile_tables
from broker.policy.engine import CompiledPolicy
from broker.policy.policy_set import PolicySet, parse_policy_set
from broker.policy.policy_source import PolicySource
from broker.policy.problems import PolicyError, Problem
from broker.policy.validate import PolicyContext, validate_policy_set


def check_policy(
    source: PolicySource, context: PolicyContext
) -> tuple[PolicySet | None, list[Problem]]:
    """Parse and validate; the set is None when parsing failed. Problems are sorted."""
    policy, problems = parse_policy_set(source)
    if policy is not None:
        problems = problems + validate_policy_set(policy, context)
    return policy, sorted(set(problems))


def build_policy(
    source: PolicySource, context: PolicyContext
) -> tuple[CompiledPolicy, list[Problem]]:
    """The compiled policy and its warnings; raise PolicyError listing every error."""
    policy, problems = check_policy(source, context)
    if policy is None or any(p.is_error for p in problems):
        raise PolicyError.from_problems(problems)
    tables = compile_tables(policy, context.agencies, context.event_fields)
    return CompiledPolicy(policy, tables), problems
