"""The plug-in contract every agency adapter implements, and its one lifecycle.

Adapters are found through the ``iom_broker.adapters`` entry-point group. Lifecycle:

1. **validate** once: :meth:`Adapter.create` checks the agency and the adapter's options
   (a pydantic model, errors as ``file:line``) and builds every table the mapping needs;
2. **run**: :meth:`Adapter.convert` turns one native document into outcomes, as often as
   documents arrive (the SDK's runner publishes them through the durable outbox);
3. **close**: :meth:`Adapter.close` releases whatever the adapter holds.

``convert`` is pure (no I/O, no clock): the same document always gives the same outcomes,
which is what makes event ids idempotent and ``iom-broker adapter convert`` trustworthy.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, ValidationError

from broker.catalogue.catalogue import SchemaCatalogue
from iom_adapters.sdk.event_factory import EventFactory
from iom_adapters.sdk.outcomes import Outcome
from iom_adapters.sdk.source import SourceDocument
from iom_adapters.sdk.yaml_lines import ConfigFileError, LocatedYaml


class AdapterOptions(BaseModel):
    """Base of an adapter's own settings (the ``options`` section of its config file)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Adapter(ABC):
    """Turns one agency system's native records into catalogue events."""

    #: Entry-point name, e.g. ``probation-hmpps``.
    name: ClassVar[str]
    #: One line for ``iom-broker adapter list``.
    summary: ClassVar[str]
    #: The agency the adapter publishes as when the config names none.
    default_agency: ClassVar[str | None] = None
    #: File name patterns the inbox runner hands to this adapter.
    file_patterns: ClassVar[tuple[str, ...]] = ("*.json",)
    #: The adapter's options model.
    options_model: ClassVar[type[AdapterOptions]] = AdapterOptions

    def __init__(self, agency: str, options: AdapterOptions, events: EventFactory) -> None:
        self.agency = agency
        self.options = options
        self.events = events

    @classmethod
    def create(
        cls,
        *,
        agency: str | None,
        options: Mapping[str, Any] | None,
        catalogue: SchemaCatalogue,
        config: LocatedYaml | None = None,
        base_dir: Path | None = None,
    ) -> Self:
        """Validate the agency and options once and build the adapter.

        ``config`` is the located config file (for ``file:line`` errors); relative paths in
        options are resolved against ``base_dir`` (the config file's folder).
        Raise ConfigFileError naming the bad setting.
        """
        try:
            parsed = cls.options_model.model_validate(dict(options or {}))
        except ValidationError as error:
            if config is not None:
                raise config.validation_error(error, ("options",)) from None
            first = error.errors()[0]
            dotted = ".".join(str(k) for k in ("options", *first["loc"]))
            raise ConfigFileError(f"{dotted}: {first['msg']}") from None
        chosen = agency or cls.default_agency
        if not chosen:
            raise ConfigFileError(f"adapter {cls.name!r} needs an agency id (set 'agency')")
        adapter = cls(chosen, parsed, EventFactory(catalogue, chosen))
        adapter.prepare(base_dir or Path.cwd(), config)
        return adapter

    def prepare(self, base_dir: Path, config: LocatedYaml | None) -> None:  # noqa: B027
        """Build lookup tables or read referenced files once (override when needed)."""

    def input_patterns(self) -> tuple[str, ...]:
        """File name patterns the inbox runner hands to this adapter."""
        return self.file_patterns

    @abstractmethod
    def convert(self, document: SourceDocument) -> Iterator[Outcome]:
        """Every outcome of one native document, in document order; never raises per record."""

    def close(self) -> None:  # noqa: B027
        """Release resources (override when needed)."""
