"""The ACL plan: each agency writes only its ingress and reads only it, its deliveries and DLQ."""

from __future__ import annotations

from broker.kafka.acls import AclEntry, BrokerPrincipals, acl_plan
from tests.unit.identity.keys import agencies


def _of(principal: str) -> set[tuple[str, str, str, str]]:
    return {
        (e.operation, e.resource_type, e.pattern_type, e.resource_name)
        for e in acl_plan(agencies())
        if e.principal == principal
    }


def test_an_agency_gets_exactly_its_own_topics_groups_and_transactions() -> None:
    """gwent-police may write ingress.gwent-police, read it back and deliver/dlq.gwent-police,
    and use groups and transactional ids prefixed 'gwent-police.'; nothing more."""
    assert _of("User:gwent-police-adapter") == {
        ("WRITE", "TOPIC", "LITERAL", "ingress.gwent-police"),
        ("READ", "TOPIC", "LITERAL", "ingress.gwent-police"),
        ("READ", "TOPIC", "LITERAL", "deliver.gwent-police"),
        ("READ", "TOPIC", "LITERAL", "dlq.gwent-police"),
        ("READ", "GROUP", "PREFIXED", "gwent-police."),
        ("WRITE", "TRANSACTIONAL_ID", "PREFIXED", "gwent-police."),
    }


def test_no_agency_touches_shared_topics_or_anything_prefixed() -> None:
    """No agency principal has any right on disclosures, subjects, policies, or on any topic
    by prefix."""
    principals = {f"User:{a.principal}" for a in agencies()}
    for entry in acl_plan(agencies()):
        if entry.principal in principals:
            assert entry.resource_name not in {"disclosures", "subjects", "policies"}
            assert not (entry.resource_type == "TOPIC" and entry.pattern_type == "PREFIXED")


def test_router_reads_ingress_and_writes_deliveries_disclosures_and_subjects() -> None:
    """The router consumes every ingress topic and produces every output, transactionally."""
    router = _of("User:iom-router")

    assert ("READ", "TOPIC", "PREFIXED", "ingress.") in router
    assert ("WRITE", "TOPIC", "PREFIXED", "deliver.") in router
    assert ("WRITE", "TOPIC", "LITERAL", "disclosures") in router
    assert ("READ", "TOPIC", "LITERAL", "subjects") in router
    assert ("WRITE", "TRANSACTIONAL_ID", "PREFIXED", "iom-router") in router
    assert ("READ", "TOPIC", "LITERAL", "disclosures") not in router


def test_log_writer_only_reads_disclosures() -> None:
    """The transparency log writer reads disclosures and writes nothing."""
    assert _of("User:iom-log-writer") == {
        ("READ", "TOPIC", "LITERAL", "disclosures"),
        ("READ", "GROUP", "PREFIXED", "iom-log-writer"),
    }


def test_statistics_service_only_reads_subjects_disclosures_and_dead_letters() -> None:
    """The statistics service reads its three kinds of topic (partitions assigned, so no
    group) and writes nothing: no deliveries, no ingress."""
    assert _of("User:iom-statistics") == {
        ("READ", "TOPIC", "LITERAL", "subjects"),
        ("READ", "TOPIC", "LITERAL", "disclosures"),
        ("READ", "TOPIC", "PREFIXED", "dlq."),
    }


def test_plan_is_sorted_unique_and_follows_configured_principals() -> None:
    """The plan has no duplicates, a stable order, and uses configured broker principals."""
    plan = acl_plan(agencies(), BrokerPrincipals(router="router-x"))

    assert plan == sorted(set(plan))
    assert any(e.principal == "User:router-x" for e in plan)
    assert str(plan[0]).startswith("User:")
    assert isinstance(plan[0], AclEntry)
