"""Declarative mapping adapter: a mapping file instead of code."""

from iom_adapters.mapping.adapter import DeclarativeMappingAdapter, MappingOptions
from iom_adapters.mapping.compile import compile_mapping, load_mapping

__all__ = ["DeclarativeMappingAdapter", "MappingOptions", "compile_mapping", "load_mapping"]
