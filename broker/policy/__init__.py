"""The sharing policy engine: parse, validate and evaluate DPO-written agreements.

Pure: nothing here reads files or talks to Kafka. ``broker.policy_admin.policy_directory`` reads
a policy directory; ``build.build_policy`` turns its texts into a :class:`engine.CompiledPolicy`.
"""
