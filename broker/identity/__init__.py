"""Who is calling: token validation, roles, the OIDC sign-in flow, the token client.

Submodules are imported explicitly (``broker.identity.token_validator`` …); this package
imports nothing itself, so the pure role model can be used without the JOSE or web stacks.
The development issuer and certificates live in :mod:`broker.devtools.identity`.
"""
