"""Secrets: pseudonymisation keys (with key ids, for rotation) and the log signing key.

``pseudonyms`` is pure HMAC logic; ``secret_files`` reads keys from files or settings and
creates them for development. No secret value ever reaches a log line, an error or a repr.
"""
