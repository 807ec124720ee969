"""Delivery, inbox and network-scale benchmarks (``make bench``): loopback only, each part
bounded to a few minutes. See docs/benchmarks.md for what is measured and the figures."""
