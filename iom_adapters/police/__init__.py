"""Police adapter: custody and arrest exports to catalogue events."""

from iom_adapters.police.adapter import CustodyExportAdapter, PoliceOptions

__all__ = ["CustodyExportAdapter", "PoliceOptions"]
