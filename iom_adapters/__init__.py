"""Agency adapters: the SDK (``iom_adapters.sdk``) and one package per agency system format."""
