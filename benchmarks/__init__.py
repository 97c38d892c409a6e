"""Benchmarks (not part of the test suite); see BENCHMARKS.md."""
