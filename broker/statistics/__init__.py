"""Oversight statistics: aggregates of the broker's topics, published with disclosure control.

``disclosure_control`` is the one place the small-number rule lives; every output (pages,
API, exports) publishes its tables through it. Pure modules (no I/O): ``disclosure_control``,
``uk_month``, ``aggregation``, ``measures``. The store, the consumer and the exports do I/O.
"""
