"""Parse one agreement file's text into an :class:`Agreement`: structure only, no cross-checks.

Whether the agencies, events, fields, purposes and legal bases exist is the validator's job;
here every key is checked for presence, shape and spelling, with the line of each value.
"""

from __future__ import annotations

from datetime import date
from types import MappingProxyType

from broker.policy.agreement import AGREEMENT_KINDS, TRANSFORMS, Agreement, Approval, Rule
from broker.policy.parse_helpers import Collector
from broker.policy.problems import Problem
from broker.policy.yaml_source import LineDict, parse_yaml

AGREEMENT_KEYS = (
    "agreement",
    "title",
    "title_cy",
    "kind",
    "version",
    "parties",
    "area",
    "review_date",
    "approvals",
    "rules",
)
RULE_KEYS = (
    "id",
    "description",
    "description_cy",
    "from",
    "to",
    "events",
    "purpose",
    "legal_basis",
    "fields",
    "transform",
    "when",
    "retention",
)


def parse_agreement(text: str, source: str) -> tuple[Agreement | None, list[Problem]]:
    """Parse agreement YAML; ``source`` names the file in problems. None when unusable."""
    out = Collector(source)
    data = parse_yaml(text, source)
    out.unknown_keys(data, AGREEMENT_KEYS, "an agreement")
    agreement_id = out.text(data, "agreement", "the agreement")
    title = out.text(data, "title", "the agreement")
    title_cy = out.text(data, "title_cy", "the agreement", required=False)
    kind = out.text(data, "kind", "the agreement")
    if kind is not None and kind not in AGREEMENT_KINDS:
        out.error(data.line_of("kind"), f"unknown kind {kind!r} (use 'isp' or 'dda')")
    version = out.text(data, "version", "the agreement")
    area = out.text(data, "area", "the agreement")
    parties = out.names(data, "parties", "the agreement")
    review_date = _date(out, data, "review_date", "the agreement")
    approvals = tuple(_approval(out, item) for item in _optional_list(out, data, "approvals"))
    rules = tuple(
        rule
        for item in out.mapping_list(data, "rules", "the agreement")
        if (rule := _rule(out, item, agreement_id or "", area or "")) is not None
    )
    required = (agreement_id, title, kind, version, area)
    if any(value is None for value in required) or not parties:
        return None, out.problems
    item_lines = {f"parties:{name}": line for name, line in parties}
    agreement = Agreement(
        agreement_id=str(agreement_id),
        title=str(title),
        kind=str(kind),
        version=str(version),
        parties=tuple(name for name, _ in parties),
        area=str(area),
        review_date=review_date,
        approvals=tuple(a for a in approvals if a is not None),
        rules=rules,
        file=source,
        key_lines=MappingProxyType(dict(data.key_lines)),
        item_lines=MappingProxyType(item_lines),
        title_cy=title_cy or "",
    )
    return agreement, out.problems


def _rule(out: Collector, item: LineDict, agreement_id: str, area: str) -> Rule | None:
    out.unknown_keys(item, RULE_KEYS, "a rule")
    rule_id = out.text(item, "id", "a rule")
    what = f"rule {rule_id!r}" if rule_id else "a rule"
    source = out.text(item, "from", what)
    lists = {key: out.names(item, key, what) for key in ("to", "events", "fields")}
    purpose = out.text(item, "purpose", what)
    legal_basis = out.text(item, "legal_basis", what)
    retention = out.text(item, "retention", what)
    condition = out.text(item, "when", what, required=False)
    description = out.text(item, "description", what, required=False)
    description_cy = out.text(item, "description_cy", what, required=False)
    transforms = _transforms(out, item)
    values = (rule_id, source, purpose, legal_basis, retention)
    if any(value is None for value in values) or not all(lists.values()):
        return None
    item_lines = {f"{key}:{name}": line for key, names in lists.items() for name, line in names}
    transform_value = item.get("transform")
    if isinstance(transform_value, LineDict):
        item_lines.update({f"transform:{k}": transform_value.line_of(k) for k in transform_value})
    return Rule(
        rule_id=str(rule_id),
        agreement_id=agreement_id,
        area=area,
        source=str(source),
        recipients=tuple(name for name, _ in lists["to"]),
        events=tuple(name for name, _ in lists["events"]),
        purpose=str(purpose),
        legal_basis=str(legal_basis),
        fields=tuple(name for name, _ in lists["fields"]),
        retention=str(retention),
        transforms=MappingProxyType(transforms),
        condition=condition,
        file=out.source,
        line=item.line,
        key_lines=MappingProxyType(dict(item.key_lines)),
        item_lines=MappingProxyType(item_lines),
        description=description or "",
        description_cy=description_cy or "",
    )


def _transforms(out: Collector, item: LineDict) -> dict[str, str]:
    value = item.get("transform")
    if value is None:
        return {}
    if not isinstance(value, LineDict):
        out.error(item.line_of("transform"), "'transform' must map field names to a transform")
        return {}
    transforms = {}
    for field_name, transform in value.items():
        if transform not in TRANSFORMS:
            out.error(
                value.line_of(field_name),
                f"unknown transform {transform!r} for {field_name!r}"
                f" (use one of: {', '.join(TRANSFORMS)})",
            )
            continue
        transforms[field_name] = str(transform)
    return transforms


def _approval(out: Collector, item: LineDict) -> Approval | None:
    out.unknown_keys(item, ("party", "dpo", "date"), "an approval")
    party = out.text(item, "party", "an approval")
    dpo = out.text(item, "dpo", "an approval")
    approved_on = _date(out, item, "date", "an approval", required=True)
    if party is None or dpo is None or approved_on is None:
        return None
    return Approval(party, dpo, approved_on, item.line)


def _optional_list(out: Collector, data: LineDict, key: str) -> list[LineDict]:
    return out.mapping_list(data, key, "the agreement") if key in data else []


def _date(
    out: Collector, data: LineDict, key: str, what: str, required: bool = False
) -> date | None:
    value = data.get(key)
    if value is None:
        if required:
            out.error(data.line, f"{what} has no {key!r}")
        return None
    if isinstance(value, date):
        return value
    out.error(data.line_of(key), f"{key!r} must be a date like 2027-03-31, not {value!r}")
    return None
