"""Receive-side sinks: a JSON-lines drop folder, a signed webhook, or standard output."""

from iom_adapters.sdk.sinks.base import DeliverySink, SinkError
from iom_adapters.sdk.sinks.jsonl_folder import JsonlFolderSink
from iom_adapters.sdk.sinks.printer import PrintSink
from iom_adapters.sdk.sinks.webhook import WebhookSink, signature, verify_signature

__all__ = [
    "DeliverySink",
    "JsonlFolderSink",
    "PrintSink",
    "SinkError",
    "WebhookSink",
    "signature",
    "verify_signature",
]
