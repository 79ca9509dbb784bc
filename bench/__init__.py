"""Benchmarks (`make bench`). Each module's main() prints one JSON line; __main__ collects them."""
