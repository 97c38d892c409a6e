"""Who is calling: token validation, roles, the development OIDC issuer, local certificates.

Submodules are imported explicitly (``broker.identity.token_validator`` …); this package
imports nothing itself, so the pure role model can be used without the JOSE or web stacks.
"""
