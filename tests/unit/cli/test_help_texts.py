"""Every command's --help reads as plain text: no type metavars on flags, no raw markup."""

from __future__ import annotations

import re
from typing import Any

import typer
from typer.testing import CliRunner

from broker.cli import app

runner = CliRunner()
_RAW = re.compile(r"<bool>|``|:(?:mod|func|class|meth|data|attr):|BOOLEAN")


def _paths(command: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path under ``command`` (groups included)."""
    found = [prefix]
    commands = getattr(command, "commands", None)
    if commands:
        for name, sub in commands.items():
            found += _paths(sub, (*prefix, name))
    return found


def test_every_help_is_clean() -> None:
    """No ``<bool>``, no RST roles or double backticks, in the help of any command or group."""
    dirty = {}
    for path in _paths(typer.main.get_command(app)):
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "100"})
        assert result.exit_code == 0, (path, result.output)
        found = sorted(set(_RAW.findall(result.output)))
        if found:
            dirty[" ".join(path)] = found
    assert dirty == {}
