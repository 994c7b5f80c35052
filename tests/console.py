# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Google Benchmark's console output, read as a user reads it."""

import re


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


def console_blocks(stdout):
    """{row name: [(row line, [lines of the block under it]), ...]}: each
    benchmark row of the console and the indented lines printed under it
    (its allocation sites and sizes), one entry per row of that name."""
    blocks = {}
    current = None
    for line in stdout.splitlines():
        m = re.match(r"^(BM_\S+)\s", line)
        if m:
            current = []
            blocks.setdefault(m.group(1), []).append((line, current))
        elif current is not None and line.startswith("  "):
            current.append(line)
        else:
            current = None
    return blocks


def site_lines(block):
    """[(allocs/iter, bytes/iter, [frame texts])] of a console block: each
    site's first line and the `called from` lines under it."""
    sites = []
    for line in block:
        m = re.match(r"^\s+(\S+)\s+(\S+)  (\S.*)$", line)
        called = re.match(r"^\s+called from (.*)$", line)
        if called:
            sites[-1][2].append(called.group(1))
        elif m and m.group(1) != "allocs/iter":
            sites.append((float(m.group(1)), float(m.group(2)),
                          [m.group(3)]))
    return sites


def site_comment_lines(path):
    """{NAME: line number} of the lines of the source file `path` that carry
    a `// site:NAME` comment."""
    lines = {}
    with open(path) as f:
        for number, text in enumerate(f, start=1):
            m = re.search(r"// site:(\w+)", text)
            if m:
                lines[m.group(1)] = number
    return lines
