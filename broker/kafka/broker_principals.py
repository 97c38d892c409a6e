"""The broker's own Kafka principals and id prefixes, as the settings configure them."""

from __future__ import annotations

from broker.kafka.acls import BrokerPrincipals
from broker.settings import Settings

__all__ = ["broker_principals"]


def broker_principals(settings: Settings) -> BrokerPrincipals:
    """The broker's principals and prefixes as configured."""
    return BrokerPrincipals(
        router=settings.security.router_principal,
        log_writer=settings.security.log_writer_principal,
        statistics=settings.security.statistics_principal,
        router_group_prefix=settings.router.group_id,
        router_transactional_id_prefix=settings.router.transactional_id.rsplit("-", 1)[0],
    )
