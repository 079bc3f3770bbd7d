"""Benchmarks and evaluation harnesses (``python -m planparse.bench.repair``)."""
