"""Development-only tooling: nothing here runs in a deployment.

``kafka/`` assembles Kafka from Maven Central and launches it on loopback (one node or a
cluster, optionally secured) and runs Kafka's own command-line tools; ``identity/`` is the
development OIDC issuer, its sign-in page and the development CA; ``devstack/`` is
``dev up``/``dev down``; ``demo/`` is the scripted story; ``processes`` and ``ports`` are the
process and loopback-port helpers they share. Production packages never import this one
(an import-linter contract in ``pyproject.toml``).
"""
