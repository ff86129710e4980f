"""Benchmarks: programs that print figures measured side by side in one run (`make bench`)."""
