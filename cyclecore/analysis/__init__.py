"""Analyses of a line or plant as it is: deterministic cycle times and the bottleneck, and the
simulated output with failures and buffers."""
