"""A rule's editable choices, and the agreement text with one rule changed to new choices. Pure.

The console's form editor lets a DPO change who receives a rule's events, which events and
details, how each detail is changed, the purpose, legal basis, retention and condition. The
form's answers become :class:`RuleChoices`; :func:`edit_rule` writes them into the agreement's
YAML text, so the proposal is the same text an expert could have typed, checked and proposed
exactly as the YAML editor's. Only the keys whose value changed are rewritten: the rule's other
keys, its comments and the rest of the file keep their lines as written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from broker.policy.agreement import Agreement, Rule

__all__ = ["RuleChoices", "choices_of", "edit_rule"]

_PLAIN = re.compile(r"^[A-Za-z_][^#:\"'\n]*$")
"""A condition that can be written as a plain YAML scalar (else it is double-quoted)."""
_TOP_LEVEL = re.compile(r"^[A-Za-z_]")


@dataclass(frozen=True)
class RuleChoices:
    """What a DPO chooses for a rule in the form (ids, as the agreement file writes them)."""

    recipients: tuple[str, ...]
    events: tuple[str, ...]
    fields: tuple[str, ...]
    purpose: str
    legal_basis: str
    retention: str
    transforms: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    condition: str | None = None


def choices_of(rule: Rule) -> RuleChoices:
    """``rule``'s current choices."""
    return RuleChoices(
        recipients=rule.recipients,
        events=rule.events,
        fields=rule.fields,
        purpose=rule.purpose,
        legal_basis=rule.legal_basis,
        retention=rule.retention,
        transforms=MappingProxyType(dict(rule.transforms)),
        condition=rule.condition,
    )


def _values(choices: RuleChoices) -> dict[str, object]:
    return {
        "to": choices.recipients,
        "events": choices.events,
        "fields": choices.fields,
        "transform": dict(choices.transforms),
        "when": choices.condition or None,
        "purpose": choices.purpose,
        "legal_basis": choices.legal_basis,
        "retention": choices.retention,
    }


def _render(key: str, value: object, prefix: str, indent: str) -> list[str]:
    """``key: value`` as YAML lines; the first starts with ``prefix``, nested ones ``indent``."""
    if isinstance(value, tuple):
        shown = value[0] if len(value) == 1 and key == "to" else f"[{', '.join(value)}]"
        return [f"{prefix}{key}: {shown}"]
    if isinstance(value, dict):
        return [f"{prefix}{key}:"] + [f"{indent}  {name}: {how}" for name, how in value.items()]
    text = str(value)
    if key == "when" and not _PLAIN.match(text):
        text = json.dumps(text, ensure_ascii=False)
    return [f"{prefix}{key}: {text}"]


def _is_filler(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _rule_end(lines: list[str], agreement: Agreement, rule: Rule) -> int:
    """The 0-based index after ``rule``'s last line (before the next rule or top-level key)."""
    starts = sorted(r.line for r in agreement.rules if r.line > rule.line)
    end = starts[0] - 1 if starts else len(lines)
    for index in range(rule.line, end):
        if _TOP_LEVEL.match(lines[index]):
            end = index
            break
    return end


def edit_rule(text: str, agreement: Agreement, rule: Rule, choices: RuleChoices) -> str:
    """``text`` (the file of ``agreement``) with ``rule`` holding ``choices``.

    Keys whose value is unchanged keep their lines; a changed key is rewritten in place; a
    ``transform`` or ``when`` that becomes empty is removed, and one that appears is added
    after the rule's ``fields``.
    """
    lines = text.split("\n")
    wanted, had = _values(choices), _values(choices_of(rule))
    end = _rule_end(lines, agreement, rule)
    starts = sorted((line - 1, key) for key, line in rule.key_lines.items())
    first = lines[rule.line - 1]
    body = next((lines[i] for i, _ in starts if i != rule.line - 1), first)
    indent = " " * (len(body) - len(body.lstrip()))
    chunks: list[list[str]] = [lines[: rule.line - 1]]
    for position, (index, key) in enumerate(starts):
        stop = starts[position + 1][0] if position + 1 < len(starts) else end
        while stop - 1 > index and _is_filler(lines[stop - 1]):
            stop -= 1
        own = lines[index:stop]
        trailing = lines[stop : starts[position + 1][0] if position + 1 < len(starts) else end]
        if key in wanted and wanted[key] != had[key]:
            column = lines[index].index(f"{key}:")
            prefix = lines[index][:column]
            own = _render(key, wanted[key], prefix, indent) if wanted[key] else []
            if not own and index == rule.line - 1:
                own = [prefix.rstrip()]
        chunks.append(own)
        if key == "fields":
            chunks.extend(
                _render(extra, wanted[extra], indent, indent)
                for extra in ("transform", "when")
                if extra not in rule.key_lines and wanted[extra]
            )
        chunks.append(trailing)
    chunks.append(lines[end:])
    return "\n".join(line for chunk in chunks for line in chunk)
