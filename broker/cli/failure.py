"""The one error path of every command: say why on stderr, exit with a status."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NoReturn

import typer


def exit_with(lines: Iterable[str], code: int = 1) -> NoReturn:
    """Print each line on stderr as given, then exit with CODE."""
    for line in lines:
        typer.echo(line, err=True)
    raise typer.Exit(code) from None


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``error: MESSAGE`` on stderr, then exit with CODE (2: bad usage or setting)."""
    exit_with([f"error: {message}"], code)
