"""Helpers shared by several test suites (unit, integration, e2e, faults).

A suite's ``conftest.py`` holds only its own fixtures; anything two suites need lives here, so
no test module imports another suite's ``conftest``.
"""
