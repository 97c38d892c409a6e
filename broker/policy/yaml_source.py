"""YAML text parsed into dicts and lists that remember the line of every key and item.

Policy errors name ``file:line``; these containers carry the lines so the parser can point at
the exact value a DPO has to fix. Only text is parsed here: reading files is the caller's job.
"""

from __future__ import annotations

from typing import Any

import yaml

from broker.policy.problems import PolicyError, Problem


class LineDict(dict[str, Any]):
    """A YAML mapping: ``line`` is where it starts, ``key_lines`` where each key is."""

    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        """The line of ``key``, or of the mapping when the key is absent."""
        return self.key_lines.get(key, self.line)


class LineList(list[Any]):
    """A YAML sequence: ``line`` is where it starts, ``lines`` the line of each item."""

    line: int
    lines: list[int]

    def line_of(self, index: int) -> int:
        """The line of item ``index``."""
        return self.lines[index] if index < len(self.lines) else self.line


class _LineLoader(yaml.SafeLoader):
    """A safe loader whose mappings and sequences are :class:`LineDict` / :class:`LineList`."""


def _mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) or key is None:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be plain text", key_node.start_mark
            )
        name = str(key)
        if name in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {name!r} appears twice", key_node.start_mark
            )
        result[name] = loader.construct_object(value_node, deep=True)
        result.key_lines[name] = key_node.start_mark.line + 1
    return result


def _sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def parse_yaml(text: str, source: str) -> LineDict:
    """Parse a YAML document whose top level must be a mapping; raise a one-line PolicyError."""
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = (error.problem or "").strip()
        message = f"not valid YAML: {problem}" if problem else "not valid YAML"
        raise _error(source, mark.line + 1 if mark else 0, message) from None
    except yaml.YAMLError:
        raise _error(source, 0, "not valid YAML") from None
    if not isinstance(data, LineDict):
        raise _error(source, 1, "expected a mapping of keys at the top level")
    return data


def _error(source: str, line: int, message: str) -> PolicyError:
    problem = Problem(source, line, message)
    return PolicyError(str(problem), [problem])
