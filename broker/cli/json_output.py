"""``--json`` for the commands people script: one option, one way of printing.

Success prints one JSON document on stdout (UTF-8, indented); failures stay one line on
stderr with a non-zero exit, as without ``--json``, so a script checks the exit status first.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

__all__ = ["JsonOption", "print_json"]

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def print_json(body: Any) -> None:
    """Print ``body`` as indented JSON on stdout."""
    typer.echo(json.dumps(body, indent=2, ensure_ascii=False))
