"""The sharing policy: rules saying which agency may receive which events, why, and which fields.

This is the foundation's minimal format, a subset of the agreement format DPOs will edit:
``agreement``, ``version`` and ``rules`` (``id``, ``from``, ``to``, ``events``, ``purpose``,
``legal_basis``, ``fields``, ``retention``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from broker.domain.subject import IDENTIFIER_TYPES

#: Envelope fields every recipient of a permitted event receives.
ENVELOPE_FIELDS = ("event_id", "event_type", "occurred_at", "source_agency", "schema_version")


class PolicyError(ValueError):
    """The policy file is wrong; the message is one line naming the file, line and value."""


@dataclass(frozen=True)
class Rule:
    """Permission for one source agency's events of some types to reach some recipients."""

    rule_id: str
    source: str
    recipients: tuple[str, ...]
    event_types: tuple[str, ...]
    purpose: str
    legal_basis: str
    fields: tuple[str, ...]
    retention: str
    line: int = 0


@dataclass(frozen=True)
class SharingPolicy:
    """A parsed policy and the content hash that identifies its version."""

    name: str
    version: str
    rules: tuple[Rule, ...]


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers the line each mapping starts on."""


def _construct_mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping  # type: ignore[return-value]


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping_with_line
)


def parse_policy(text: str, source: str) -> SharingPolicy:
    """Parse policy YAML text; ``source`` names the file in error messages."""
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise PolicyError(f"{source}{line}: not valid YAML") from None
    if not isinstance(data, dict):
        raise PolicyError(f"{source}: expected a mapping with 'agreement' and 'rules'")
    name = _required_text(data, "agreement", source)
    rules_data = data.get("rules")
    if not isinstance(rules_data, list) or not rules_data:
        raise PolicyError(f"{source}:{data['__line__']}: 'rules' must be a non-empty list")
    rules = tuple(_parse_rule(item, source) for item in rules_data)
    seen: set[str] = set()
    for rule in rules:
        if rule.rule_id in seen:
            raise PolicyError(f"{source}:{rule.line}: rule id {rule.rule_id!r} is used twice")
        seen.add(rule.rule_id)
    version = "sha256:" + hashlib.sha256(text.encode()).hexdigest()[:16]
    return SharingPolicy(name=name, version=version, rules=rules)


def validate_policy(
    policy: SharingPolicy,
    source: str,
    agencies: Collection[str],
    event_fields: Mapping[str, Collection[str]],
) -> None:
    """Check that every agency, event type and field a rule names exists; raise on the first."""
    for rule in policy.rules:
        where = f"{source}:{rule.line}: rule {rule.rule_id!r}"
        for agency in (rule.source, *rule.recipients):
            if agency not in agencies:
                raise PolicyError(f"{where}: unknown agency {agency!r}")
        if rule.source in rule.recipients:
            raise PolicyError(f"{where}: agency {rule.source!r} cannot share with itself")
        for event_type in rule.event_types:
            if event_type not in event_fields:
                raise PolicyError(f"{where}: unknown event type {event_type!r}")
            for field_name in rule.fields:
                if not _field_exists(field_name, event_fields[event_type]):
                    raise PolicyError(
                        f"{where}: field {field_name!r} does not exist in event {event_type!r}"
                    )


def _field_exists(field_name: str, payload_fields: Collection[str]) -> bool:
    section, _, name = field_name.partition(".")
    if section == "payload":
        return name in payload_fields
    return section == "subject" and name in IDENTIFIER_TYPES


def _parse_rule(item: object, source: str) -> Rule:
    if not isinstance(item, dict):
        raise PolicyError(f"{source}: each rule must be a mapping")
    line = int(item["__line__"])
    rule_id = _required_text(item, "id", source)
    return Rule(
        rule_id=rule_id,
        source=_required_text(item, "from", source),
        recipients=_text_list(item, "to", source),
        event_types=_text_list(item, "events", source),
        purpose=_required_text(item, "purpose", source),
        legal_basis=_required_text(item, "legal_basis", source),
        fields=_text_list(item, "fields", source),
        retention=_required_text(item, "retention", source),
        line=line,
    )


def _required_text(item: Mapping[str, Any], key: str, source: str) -> str:
    value = item.get(key)
    if not isinstance(value, str | int) or str(value).strip() == "":
        raise PolicyError(f"{source}:{item['__line__']}: '{key}' is required and must be text")
    return str(value)


def _text_list(item: Mapping[str, Any], key: str, source: str) -> tuple[str, ...]:
    value = item.get(key)
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise PolicyError(
            f"{source}:{item['__line__']}: '{key}' must be a name or a non-empty list of names"
        )
    return tuple(value)
