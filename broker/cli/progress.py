"""Progress for long commands, only on a terminal: a rich bar on stderr that disappears when
done. Piped or redirected output (scripts, ``--json``) gets no bar and no control codes."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

__all__ = ["Advance", "counted", "progress"]

Advance = Callable[[int], None]
"""Tell the bar how many items are done so far."""

_T = TypeVar("_T")


@contextmanager
def progress(description: str, total: int | None = None) -> Iterator[Advance]:
    """A bar for ``description`` (``total`` items, or a running count when unknown) while the
    block runs, when stdout is a terminal; otherwise a no-op."""
    if not sys.stdout.isatty():
        yield lambda _done: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn())
    with Progress(
        *columns,
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=total)
        yield lambda done: bar.update(task, completed=done)


def counted(items: Iterable[_T], advance: Advance) -> Iterator[_T]:
    """``items``, advancing the bar as each is taken."""
    for done, item in enumerate(items, start=1):
        yield item
        advance(done)
