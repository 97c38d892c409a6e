"""Database plumbing shared by the stores: store URLs and connections to SQLite and PostgreSQL."""
