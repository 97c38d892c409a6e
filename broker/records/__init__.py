"""The API's own durable records: policy proposals, approvals, activations, and subject access
requests, in SQLite (embedded default) or PostgreSQL, like the transparency log's store."""
