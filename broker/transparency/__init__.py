"""The transparency log: what was shared about whom, verifiable offline by the supervisee.

Pure modules (no I/O library): ``hashing``, ``tree``, ``proofs``, ``entry``, ``retention``,
``subject_index``, ``note``, ``checkpoint``, ``proof_files`` and ``verifier``. Storage lives in
``broker.transparency.store``; the services built on it (``log``, ``subject_view``,
``restrictions``, ``retention_sweep``, ``audit``, ``integrity``, ``export``) take a store; the
Kafka consumer is ``log_writer``. See docs/transparency-log.md.
"""
