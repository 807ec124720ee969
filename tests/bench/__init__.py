"""Delivery benchmarks (``make bench``): loopback only, each part bounded to well under two
minutes. See docs/benchmarks.md for what is measured and the figures."""
