"""Benchmarks, run by hand (named bench_*.py so pytest does not collect them)."""
