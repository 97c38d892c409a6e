"""Agency adapters: the SDK (``adapters.sdk``) and one package per agency system format."""
