"""The server.properties builder: what a single node and a future cluster node are told."""

from __future__ import annotations

import pytest

from broker.devtools.kafka.server_properties import (
    Listener,
    Voter,
    render_properties,
    server_properties,
    single_node_properties,
)


def _parse(text: str) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in text.splitlines() if line and line[0] != "#")
    return {key: value for key, value in pairs}


def test_single_node_has_the_settings_verified_to_run_kafka_on_this_machine() -> None:
    """A loopback single node gets every setting that started Kafka 4.4 with transactions."""
    props = single_node_properties(port=19092, controller_port=19093, log_dir="/tmp/k/data")

    expected = {
        "process.roles": "broker,controller",
        "node.id": "1",
        "listeners": "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093",
        "advertised.listeners": "PLAINTEXT://127.0.0.1:19092",
        "controller.listener.names": "CONTROLLER",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "inter.broker.listener.name": "PLAINTEXT",
        "log.dirs": "/tmp/k/data",
        "offsets.topic.replication.factor": "1",
        "offsets.topic.num.partitions": "3",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "transaction.state.log.num.partitions": "3",
        "share.coordinator.state.topic.replication.factor": "1",
        "share.coordinator.state.topic.min.isr": "1",
        "group.initial.rebalance.delay.ms": "0",
        "auto.create.topics.enable": "false",
        "num.network.threads": "2",
        "num.io.threads": "2",
        "transaction.abort.timed.out.transaction.cleanup.interval.ms": "1000",
    }
    assert {k: props.get(k) for k in expected} == expected
    assert all(isinstance(v, str) for v in props.values())


def test_single_node_is_its_own_static_quorum_on_the_controller_port() -> None:
    """The node votes for itself at the controller port, which clients are never told about."""
    props = single_node_properties(port=19092, controller_port=19093, log_dir="d", node_id=4)

    assert props["controller.quorum.voters"] == "4@127.0.0.1:19093"
    assert props["node.id"] == "4"
    assert "19093" not in props["advertised.listeners"]


def test_bind_host_and_advertised_host_can_differ_as_in_a_container() -> None:
    """A node can bind all interfaces while advertising its service name."""
    props = single_node_properties(
        port=9092, controller_port=9093, log_dir="/data", host="0.0.0.0", advertised_host="kafka"
    )

    assert props["listeners"] == "PLAINTEXT://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093"
    assert props["advertised.listeners"] == "PLAINTEXT://kafka:9092"
    assert props["controller.quorum.voters"] == "1@kafka:9093"


def test_cluster_node_takes_listeners_voters_and_replication_as_parameters() -> None:
    """A 3-voter cluster node with a SASL listener gets RF 3, min ISR 2 and all listeners."""
    props = server_properties(
        node_id=2,
        log_dir="/data/2",
        listeners=[
            Listener("INTERNAL", 9094, host="kafka-2"),
            Listener(
                "CLIENT", 9092, host="0.0.0.0", advertised_host="kafka-2", protocol="SASL_SSL"
            ),
            Listener("CONTROLLER", 9093, host="kafka-2"),
        ],
        voters=[Voter(n, f"kafka-{n}", 9093) for n in (1, 2, 3)],
        inter_broker_listener="INTERNAL",
        replication_factor=3,
    )

    assert props["controller.quorum.voters"] == "1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093"
    assert props["listener.security.protocol.map"] == (
        "INTERNAL:PLAINTEXT,CLIENT:SASL_SSL,CONTROLLER:PLAINTEXT"
    )
    assert props["advertised.listeners"] == "INTERNAL://kafka-2:9094,CLIENT://kafka-2:9092"
    assert props["inter.broker.listener.name"] == "INTERNAL"
    assert props["offsets.topic.replication.factor"] == "3"
    assert props["transaction.state.log.min.isr"] == "2"
    assert props["min.insync.replicas"] == "2"


def test_controller_only_node_advertises_nothing() -> None:
    """A dedicated controller has no broker listeners to advertise."""
    props = server_properties(
        node_id=1,
        log_dir="/c",
        listeners=[Listener("CONTROLLER", 9093)],
        voters=[Voter(1, "127.0.0.1", 9093)],
        process_roles=["controller"],
    )

    assert props["process.roles"] == "controller"
    assert "advertised.listeners" not in props
    assert "inter.broker.listener.name" not in props


def test_extra_settings_override_the_defaults() -> None:
    """Callers can add or override single settings, e.g. an authorizer later."""
    props = server_properties(
        node_id=1,
        log_dir="/d",
        listeners=[Listener("PLAINTEXT", 1), Listener("CONTROLLER", 2)],
        voters=[Voter(1, "127.0.0.1", 2)],
        extra={"num.io.threads": "8", "super.users": "User:router"},
    )

    assert props["num.io.threads"] == "8"
    assert props["super.users"] == "User:router"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"port": 9092, "controller_port": 9092}, "port 9092 is also the controller port"),
        ({"port": 0, "controller_port": 9093}, "listener PLAINTEXT port 0"),
        ({"port": 9092, "controller_port": 70000}, "port 70000"),
        ({"port": 9092, "controller_port": 9093, "node_id": -1}, "node id -1"),
    ],
)
def test_bad_single_node_parameters_are_refused_naming_the_value(
    kwargs: dict[str, int], message: str
) -> None:
    """A bad port or node id is rejected with a message quoting it."""
    with pytest.raises(ValueError, match=message):
        single_node_properties(
            port=kwargs["port"],
            controller_port=kwargs["controller_port"],
            node_id=kwargs.get("node_id", 1),
            log_dir="/d",
        )


def test_listener_set_must_contain_the_controller_and_broker_listeners() -> None:
    """A node whose listeners lack the controller listener is refused, naming the listeners."""
    with pytest.raises(
        ValueError, match=r"controller listener 'CONTROLLER' not in \['PLAINTEXT'\]"
    ):
        server_properties(
            node_id=1,
            log_dir="/d",
            listeners=[Listener("PLAINTEXT", 9092)],
            voters=[Voter(1, "127.0.0.1", 9093)],
        )


def test_listener_names_and_protocols_are_checked() -> None:
    """Lower-case listener names and unknown security protocols are refused."""
    with pytest.raises(ValueError, match="listener name 'plain'"):
        Listener("plain", 9092)
    with pytest.raises(ValueError, match="protocol 'TLS'"):
        Listener("CLIENT", 9092, protocol="TLS")


def test_rendered_text_round_trips_and_keeps_the_header_as_comments() -> None:
    """Rendering gives one key=value line per setting after '#' header lines."""
    props = single_node_properties(port=19092, controller_port=19093, log_dir="/tmp/k/data")

    text = render_properties(props, header="generated\nsecond line")

    assert text.startswith("# generated\n# second line\n")
    assert _parse(text) == props


def test_rendering_escapes_backslashes_and_refuses_multiline_values() -> None:
    """Backslashes survive Java's properties parser; a newline in a value is an error."""
    assert render_properties({"log.dirs": r"C:\kafka"}) == "log.dirs=C:\\\\kafka\n"
    with pytest.raises(ValueError, match=r"property super\.users value"):
        render_properties({"super.users": "User:a\nUser:b"})
    with pytest.raises(ValueError, match="property key 'bad key'"):
        render_properties({"bad key": "x"})


def test_local_cluster_node_names_every_voter_and_replicates_internal_topics_thrice() -> None:
    """A node of a 3-node local cluster votes with all three and keeps 3 copies, 2 in sync."""
    voters = [Voter(n, "127.0.0.1", 19090 + n) for n in (1, 2, 3)]

    props = single_node_properties(
        port=19192,
        controller_port=19092,
        log_dir="/tmp/node-2",
        node_id=2,
        voters=voters,
        replication_factor=3,
    )

    assert props["controller.quorum.voters"] == (
        "1@127.0.0.1:19091,2@127.0.0.1:19092,3@127.0.0.1:19093"
    )
    assert props["node.id"] == "2"
    for key in (
        "default.replication.factor",
        "offsets.topic.replication.factor",
        "transaction.state.log.replication.factor",
    ):
        assert props[key] == "3"
    assert props["min.insync.replicas"] == props["transaction.state.log.min.isr"] == "2"


def test_node_missing_from_the_quorum_it_is_given_is_refused() -> None:
    """Voters that leave out the node itself are rejected, naming the node."""
    with pytest.raises(ValueError, match="node 4 is not among the quorum voters"):
        single_node_properties(
            port=19192,
            controller_port=19094,
            log_dir="/tmp/x",
            node_id=4,
            voters=[Voter(1, "127.0.0.1", 19091)],
        )
