"""Coverage-guided fuzz harnesses (atheris, libFuzzer); see docs/fuzzing.md."""
