"""The development OIDC issuer, its sign-in page, its clients and users, and the dev CA.

DEVELOPMENT ONLY: a deployment uses the agencies' own identity provider.
"""
