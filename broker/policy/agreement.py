"""A parsed sharing agreement (WASPI ISP or DDA) and its rules, with the lines they came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

AGREEMENT_KINDS = ("isp", "dda")
TRANSFORMS = ("drop", "mask", "generalise", "pseudonymise")


def _no_lines() -> Mapping[str, int]:
    return MappingProxyType({})


def _no_transforms() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Rule:
    """Permission for one agency's events of some types to reach some recipients, and how.

    ``source`` and each of ``recipients`` is an agency id or an agency kind (``police``,
    ``health``...), which stands for the agency of that kind serving the subject's area.
    """

    rule_id: str
    agreement_id: str
    area: str
    source: str
    recipients: tuple[str, ...]
    events: tuple[str, ...]
    purpose: str
    legal_basis: str
    fields: tuple[str, ...]
    retention: str
    transforms: Mapping[str, str] = field(default_factory=_no_transforms)
    condition: str | None = None
    file: str = ""
    line: int = 0
    key_lines: Mapping[str, int] = field(default_factory=_no_lines, compare=False)
    item_lines: Mapping[str, int] = field(default_factory=_no_lines, compare=False)
    description: str = ""
    """What the rule is for, in a sentence a supervisee or DPO can read (English)."""
    description_cy: str = ""
    """The same in Welsh."""

    def line_of(self, key: str, item: str | None = None) -> int:
        """The line of ``key`` (or of one ``item`` of a list under it), else the rule's line."""
        if item is not None and f"{key}:{item}" in self.item_lines:
            return self.item_lines[f"{key}:{item}"]
        return self.key_lines.get(key, self.line)

    def description_in(self, lang: str) -> str:
        """The description in ``lang`` ("en" or "cy"), English when there is no Welsh one."""
        return self.description_cy if lang == "cy" and self.description_cy else self.description

    @property
    def shared_fields(self) -> tuple[str, ...]:
        """The fields a recipient actually receives: ``fields`` minus those dropped."""
        return tuple(f for f in self.fields if self.transforms.get(f) != "drop")


@dataclass(frozen=True)
class Approval:
    """A party's DPO sign-off."""

    party: str
    dpo: str
    approved_on: date
    line: int = 0


@dataclass(frozen=True)
class Agreement:
    """One agreement file: who shares what with whom, where, approved by whom, until when."""

    agreement_id: str
    title: str
    kind: str
    version: str
    parties: tuple[str, ...]
    area: str
    review_date: date | None
    approvals: tuple[Approval, ...]
    rules: tuple[Rule, ...]
    file: str = ""
    key_lines: Mapping[str, int] = field(default_factory=_no_lines, compare=False)
    item_lines: Mapping[str, int] = field(default_factory=_no_lines, compare=False)
    title_cy: str = ""
    """The title in Welsh (the English ``title`` is shown when it is missing)."""

    def title_in(self, lang: str) -> str:
        """The title in ``lang`` ("en" or "cy"), English when there is no Welsh title."""
        return self.title_cy if lang == "cy" and self.title_cy else self.title

    def line_of(self, key: str, item: str | None = None) -> int:
        """The line of ``key`` (or of one ``item`` of a list under it), else line 1."""
        if item is not None and f"{key}:{item}" in self.item_lines:
            return self.item_lines[f"{key}:{item}"]
        return self.key_lines.get(key, 1)
