"""The local Kafka launcher: Maven jar assembly, server.properties, one node or a cluster."""
