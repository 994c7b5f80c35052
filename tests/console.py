# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Google Benchmark's console output, read as a user reads it."""


def parse_value(text):
    """A counter as the console prints it, as a number: 1.02k is 1020,
    50.00% is 0.5 (Google Benchmark scales by 1000 and prints percentages
    for the _cv statistic)."""
    if text.endswith("%"):
        return float(text[:-1]) / 100
    scale = {"k": 1e3, "M": 1e6, "G": 1e9}.get(text[-1])
    if scale is not None:
        return float(text[:-1]) * scale
    return float(text)
