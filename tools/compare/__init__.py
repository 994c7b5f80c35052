# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Compares the heap allocations of two Google Benchmark runs.

    alloc_counter_compare BASELINE.json CONTENDER.json [options]
    alloc_counter_compare --export=FORMAT RUN.json

Reads two files written by a benchmark binary with
`--benchmark_out=FILE --benchmark_out_format=json`, matches their benchmarks
by name, and prints, for each, allocs/iter, bytes/iter and peak bytes of both
runs with their difference, and the change in time beside them for context.
Exits with status 1 when the contender's allocs/iter or bytes/iter of any
benchmark grows by more than --max-increase, so that a CI job can fail on it.

Where the figures come from, per benchmark row:
  - alloc_counter's columns (//alloc_counter:main): the user counters
    `allocs/iter`, `bytes/iter` and `peak_bytes`;
  - otherwise Google Benchmark's native fields, which any MemoryManager
    fills: `allocs_per_iter`, `max_bytes_used`, and `total_allocated_bytes`
    divided by the memory run's iterations, min(16, iterations).
Repetitions: a benchmark run with repetitions is compared through its `mean`
aggregate row; figures the mean lacks (native fields are never aggregated)
are the average of its repetition rows. Other aggregates (median, stddev,
cv, ...) are ignored. Time is cpu_time, or real_time for benchmarks named
.../real_time or .../manual_time.

With --alloc_counter_sites=N in both runs, a regression also lists its
allocation sites that changed, matched by the functions and files of their
frames (not their lines). Runs counted differently (the alloc_counter_*
fields of the JSON's context) are refused unless --allow-config-change.
`--export=FORMAT RUN.json` writes one run's figures for a dashboard instead.

The modules: load (reading a run), config (whether two runs were counted
alike), comparison (one benchmark of both runs), sites (its allocation sites
in both runs, matched: the one diff every report shows), text, markdown,
json_report and html_report (the reports; the HTML page's template, style
sheet and scripts are the files report.* beside them, and flame makes the
tree of its flame graphs), export (one run for Bencher or
github-action-benchmark), names (short function names), and cli (the
command line). Python 3 standard library only.
"""
