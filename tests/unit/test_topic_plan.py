"""The topic plan and topic names every part of the broker agrees on."""

from __future__ import annotations

import pytest

from broker.kafka.topic_admin import replication_for
from broker.kafka.topics import (
    DISCLOSURES_TOPIC,
    POLICIES_TOPIC,
    SUBJECTS_TOPIC,
    TopicSpec,
    agency_of_ingress_topic,
    deliver_topic,
    dlq_topic,
    ingress_topic,
    topic_plan,
)


def test_each_agency_gets_ingress_deliver_and_dlq_topics_plus_shared_ones() -> None:
    """Two agencies give six agency topics, then disclosures, subjects and policies, in order."""
    plan = topic_plan(["gwent-police", "gdas"])

    assert [(s.name, s.partitions, s.replication_factor) for s in plan] == [
        ("ingress.gwent-police", 6, 1),
        ("deliver.gwent-police", 1, 1),
        ("dlq.gwent-police", 1, 1),
        ("ingress.gdas", 6, 1),
        ("deliver.gdas", 1, 1),
        ("dlq.gdas", 1, 1),
        ("disclosures", 3, 1),
        ("subjects", 1, 1),
        ("policies", 1, 1),
    ]


def test_subjects_table_is_compacted_and_other_topics_keep_broker_defaults() -> None:
    """Only the cohort and policy tables are log-compacted; the rest delete by retention."""
    plan = {s.name: s for s in topic_plan(["gdas"])}
    tables = (SUBJECTS_TOPIC, POLICIES_TOPIC)

    assert all(dict(plan[name].config) == {"cleanup.policy": "compact"} for name in tables)
    assert all(not s.config for name, s in plan.items() if name not in tables)


def test_replicated_plan_requires_two_in_sync_replicas() -> None:
    """With 3 replicas every topic asks for 2 in-sync replicas; with 1 it cannot."""
    plan = topic_plan(["gdas"], replication_factor=3)

    assert {s.replication_factor for s in plan} == {3}
    assert all(s.config["min.insync.replicas"] == "2" for s in plan)
    assert plan[-1].config["cleanup.policy"] == "compact"
    assert all("min.insync.replicas" not in s.config for s in topic_plan(["gdas"]))


def test_no_agencies_still_plans_the_shared_topics() -> None:
    """An empty agency list gives just disclosures, subjects and policies."""
    assert [s.name for s in topic_plan([])] == [DISCLOSURES_TOPIC, SUBJECTS_TOPIC, POLICIES_TOPIC]


@pytest.mark.parametrize(
    ("agencies", "message"),
    [
        (["gdas", "gdas"], "agency id 'gdas' is listed twice"),
        (["Gwent Police"], "agency id 'Gwent Police'"),
        ([""], "agency id ''"),
        (["a.b"], "agency id 'a.b'"),
    ],
)
def test_bad_agency_lists_are_refused_naming_the_agency(agencies: list[str], message: str) -> None:
    """Duplicate or non-slug agency ids are rejected before any topic is planned."""
    with pytest.raises(ValueError, match=message):
        topic_plan(agencies)


def test_a_bare_string_is_not_mistaken_for_a_list_of_agencies() -> None:
    """Passing 'gdas' instead of ['gdas'] is a type error, not four one-letter agencies."""
    with pytest.raises(TypeError, match="'gdas'"):
        topic_plan("gdas")


def test_replication_factor_below_one_is_refused() -> None:
    """A plan with zero replicas is rejected, naming the value."""
    with pytest.raises(ValueError, match="replication_factor 0"):
        topic_plan(["gdas"], replication_factor=0)


def test_name_helpers_build_the_agency_topics() -> None:
    """Helpers give the ingress, deliver and dlq topic of one agency."""
    assert ingress_topic("probation-wales") == "ingress.probation-wales"
    assert deliver_topic("probation-wales") == "deliver.probation-wales"
    assert dlq_topic("probation-wales") == "dlq.probation-wales"
    with pytest.raises(ValueError, match="agency id 'x y'"):
        deliver_topic("x y")


def test_agency_of_ingress_topic_inverts_ingress_topic() -> None:
    """The router learns which agency a record came from by its topic."""
    assert agency_of_ingress_topic(ingress_topic("aneurin-bevan-uhb")) == "aneurin-bevan-uhb"


@pytest.mark.parametrize("topic", ["deliver.gdas", "ingress.", "ingressgdas", "disclosures"])
def test_non_ingress_topics_have_no_agency(topic: str) -> None:
    """Asking the agency of a topic that is not ingress.<agency> names the topic."""
    with pytest.raises(ValueError, match=f"topic '{topic}' is not an ingress topic"):
        agency_of_ingress_topic(topic)


def test_topic_spec_is_immutable_and_checks_its_counts() -> None:
    """A spec's config cannot be changed after planning and its counts must be positive."""
    spec = TopicSpec("t", 1, 1, {"cleanup.policy": "compact"})
    with pytest.raises(TypeError):
        spec.config["cleanup.policy"] = "delete"  # type: ignore[index]
    with pytest.raises(ValueError, match="topic 't' partitions 0"):
        TopicSpec("t", 0, 1)


def test_min_insync_replicas_can_be_configured_within_the_replication_factor() -> None:
    """An explicit min ISR is written on every topic; one above the replica count is refused."""
    plan = topic_plan(["gdas"], replication_factor=5, min_insync_replicas=3)

    assert all(s.config["min.insync.replicas"] == "3" for s in plan)
    with pytest.raises(ValueError, match="min_insync_replicas 4 must be between 1 and"):
        topic_plan(["gdas"], replication_factor=3, min_insync_replicas=4)


@pytest.mark.parametrize(("brokers", "replicas"), [(1, 1), (2, 2), (3, 3), (6, 3)])
def test_replication_follows_the_cluster_size_up_to_three(brokers: int, replicas: int) -> None:
    """Topics get one replica per broker, at most three."""
    assert replication_for(brokers) == replicas
