"""Receive-side sinks: a JSON-lines drop folder, a signed webhook, or standard output."""

from adapters.sdk.sinks.base import DeliverySink, SinkError
from adapters.sdk.sinks.jsonl_folder import JsonlFolderSink
from adapters.sdk.sinks.printer import PrintSink
from adapters.sdk.sinks.webhook import WebhookSink, signature, verify_signature

__all__ = [
    "DeliverySink",
    "JsonlFolderSink",
    "PrintSink",
    "SinkError",
    "WebhookSink",
    "signature",
    "verify_signature",
]
