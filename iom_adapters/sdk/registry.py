"""Discover adapters through the ``iom_broker.adapters`` entry-point group."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points

from iom_adapters.sdk.adapter import Adapter

ENTRY_POINT_GROUP = "iom_broker.adapters"


class AdapterNotFound(LookupError):
    """No adapter of that name is installed; the message lists the installed ones."""


@dataclass(frozen=True)
class AdapterEntry:
    """One entry point: the adapter class, or why it could not be loaded."""

    name: str
    target: str
    adapter: type[Adapter] | None
    problem: str | None = None


def _load(point: EntryPoint) -> AdapterEntry:
    try:
        loaded = point.load()
    except Exception as error:
        return AdapterEntry(point.name, point.value, None, f"cannot import: {type(error).__name__}")
    if not (isinstance(loaded, type) and issubclass(loaded, Adapter)):
        return AdapterEntry(
            point.name, point.value, None, "not an iom_adapters.sdk.Adapter subclass"
        )
    return AdapterEntry(point.name, point.value, loaded)


def installed_adapters() -> list[AdapterEntry]:
    """Every registered adapter, sorted by name; broken entry points are listed with a problem."""
    return sorted((_load(p) for p in entry_points(group=ENTRY_POINT_GROUP)), key=lambda e: e.name)


def find_adapter(name: str) -> type[Adapter]:
    """The adapter class registered as ``name``."""
    entries = installed_adapters()
    for entry in entries:
        if entry.name == name:
            if entry.adapter is None:
                raise AdapterNotFound(f"adapter {name!r} ({entry.target}) {entry.problem}")
            return entry.adapter
    known = ", ".join(e.name for e in entries) or "none"
    raise AdapterNotFound(f"no adapter named {name!r}; installed: {known}")
