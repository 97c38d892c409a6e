"""Keycloak for development and tests: fetched from Maven Central, realm from the registry."""
