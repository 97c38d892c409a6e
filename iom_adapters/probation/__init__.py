"""Probation adapter: HMPPS domain events to catalogue events."""

from iom_adapters.probation.adapter import HmppsDomainEventsAdapter, ProbationOptions

__all__ = ["HmppsDomainEventsAdapter", "ProbationOptions"]
