"""Load YAML keeping the line of every key and item, so errors can say ``file:line``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

Key = str | int


class ConfigFileError(ValueError):
    """A configuration or mapping file is unreadable or invalid; one line, ``file:line`` first."""


@dataclass(frozen=True)
class LocatedYaml:
    """Parsed YAML plus the 1-based line of each path (tuple of keys and list indexes)."""

    path: str
    data: Any
    lines: dict[tuple[Key, ...], int] = field(default_factory=dict)

    def line(self, keys: Sequence[Key]) -> int:
        """The line of the longest prefix of ``keys`` that exists (1 for the document)."""
        probe = tuple(keys)
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe[:-1]
        return self.lines.get((), 1)

    def where(self, keys: Sequence[Key] = ()) -> str:
        """``file:line`` of ``keys``."""
        return f"{self.path}:{self.line(keys)}"

    def error(self, keys: Sequence[Key], problem: str) -> ConfigFileError:
        """An error at ``keys`` naming the dotted setting."""
        dotted = ".".join(str(k) for k in keys)
        return ConfigFileError(f"{self.where(keys)}: {dotted + ': ' if dotted else ''}{problem}")

    def validation_error(
        self, error: ValidationError, prefix: Sequence[Key] = ()
    ) -> ConfigFileError:
        """The first problem of a pydantic error, located in this file."""
        first = error.errors()[0]
        keys = (*prefix, *(k for k in first["loc"] if isinstance(k, str | int)))
        return self.error(keys, str(first["msg"]))


def load_located(path: Path) -> LocatedYaml:
    """Read a YAML file; raise ConfigFileError with the line of a syntax error."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigFileError(f"{path}: cannot read ({error.strerror})") from None
    return parse_located(text, str(path))


def parse_located(text: str, name: str) -> LocatedYaml:
    """Parse YAML text named ``name`` (for messages)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{name}:{mark.line + 1}" if mark is not None else name
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise ConfigFileError(f"{where}: not valid YAML ({problem})") from None
    if node is None:
        return LocatedYaml(name, None, {(): 1})
    lines: dict[tuple[Key, ...], int] = {}
    data = _construct(yaml.SafeLoader(""), node, (), lines)
    return LocatedYaml(name, data, lines)


def _construct(
    loader: yaml.SafeLoader,
    node: yaml.Node,
    path: tuple[Key, ...],
    lines: dict[tuple[Key, ...], int],
) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            # keys stay as written: YAML 1.1 would read ``yes``/``on`` keys as booleans
            key = (
                key_node.value
                if isinstance(key_node, yaml.ScalarNode)
                else loader.construct_object(key_node, deep=True)
            )
            child = (*path, key if isinstance(key, str | int) else str(key))
            result[key] = _construct(loader, value_node, child, lines)
            lines[child] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(loader, item, (*path, i), lines) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)
