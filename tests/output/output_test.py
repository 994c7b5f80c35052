# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Checks the columns a user reads in the console, CSV and JSON output.

Runs output_benchmarks (linked with //alloc_counter:main) and compares the
allocs/iter, bytes/iter and peak_bytes columns, and Google Benchmark's native
JSON memory fields, with the values each benchmark's code implies.
"""

import csv
import io
import json
import os
import re
import sys
import tempfile
import unittest

from tests import benchmark_version
from tests import console
from tests import std_library
from tests.run import run as run_binary

BINARY = None  # Set from the command line in __main__.

THREAD = "BM_ThreadStartedInLoop/real_time"
# libc++ allocates 3 blocks to start a thread: the lambda beside a pointer
# (8 bytes), the thread's __thread_struct (8) and its implementation (48).
THREAD_LIBCXX = (5, 160, 112)

# name -> (allocs/iter, bytes/iter, peak_bytes)
EXPECTED = {
    "BM_AllocsPerIteration/0": (0, 0, 0),
    "BM_AllocsPerIteration/1": (1, 100, 100),
    "BM_AllocsPerIteration/3": (3, 300, 100),
    "BM_AllocsPerIteration/7": (7, 700, 100),
    "BM_Bytes1020": (1, 1020, 1020),
    "BM_HoldThenFree": (3, 7000, 7000),
    "BM_EveryOtherIteration/iterations:16": (0.5, 32, 64),
    "BM_SetupNotCharged": (2, 48, 48),
    "BM_HelperThreadAllocates/real_time": (2, 96, 48),
    # std::thread's state (an 8-byte vtable pointer and the empty lambda,
    # 16 bytes in libstdc++) is allocated by the loop, freed by the thread;
    # libc++'s is THREAD_LIBCXX.
    THREAD: (3, 112, 64),
    "BM_AllocatesWhilePaused": (1, 8, 264),
    "BM_TwoThreads/threads:2": (1, 24, 24),
    "BM_KeepRunningLoop": (1, 72, 72),
    "BM_FourThreads/real_time/threads:4": (1, 24, 24),
}

# Differs between the modes: a one-time allocation of 4000 bytes is spread
# over 16 iterations in the memory run, over 1000 in the timed run.
ONE_TIME = "BM_OneTimeAllocation/iterations:1000"
ONE_TIME_MEMORY_RUN = (0.0625, 250, 4000)
ONE_TIME_TIMED = (0.001, 4, 4000)

GROWS = "BM_GrowsPerRepetition/iterations:16/repeats:3"
# Repetition r allocates r + 1 times 10 bytes per iteration.
GROWS_REPETITIONS = [(1, 10, 10), (2, 20, 10), (3, 30, 10)]
GROWS_AGGREGATES = {
    "mean": (2, 20, 10),
    "median": (2, 20, 10),
    "stddev": (1, 10, 0),
    "cv": (0.5, 0.5, 0),
}

COLUMNS = ("allocs/iter", "bytes/iter", "peak_bytes")


def run(*args, check=True):
    return run_binary(BINARY, *args, fast=True, check=check)


def console_rows(stdout):
    rows = {}
    for line in stdout.splitlines():
        match = re.match(r"^(BM_\S+)\s", line)
        if not match:
            continue
        values = {}
        for name in COLUMNS:
            m = re.search(re.escape(name) + r"=(\S+)", line)
            if m:
                values[name] = console.parse_value(m.group(1))
        rows.setdefault(match.group(1), []).append((line, values))
    return rows


def json_benchmarks(stdout):
    return json.loads(stdout)["benchmarks"]


class OutputTest(unittest.TestCase):

    def assertColumns(self, values, expected, where):
        self.assertEqual(
            tuple(values.get(c) for c in COLUMNS), tuple(expected),
            f"columns of {where}")

    def test_console_shows_exact_columns(self):
        rows = console_rows(run().stdout)
        for name, expected in EXPECTED.items():
            (line, values), = rows[name]
            self.assertColumns(values, expected, line)

    def test_one_time_allocation_is_spread_over_memory_run(self):
        (b,) = json_benchmarks(run("--benchmark_format=json",
                                   f"--benchmark_filter={ONE_TIME}").stdout)
        self.assertEqual(tuple(b[c] for c in COLUMNS), ONE_TIME_MEMORY_RUN)

    def test_timed_mode_counts_every_thread_of_the_timed_run(self):
        benchmarks = json_benchmarks(run("--benchmark_format=json",
                                         "--alloc_counter_mode=timed").stdout)
        by_name = {}
        for b in benchmarks:
            by_name.setdefault(b["name"], []).append(b)
        expected_rows = dict(EXPECTED)
        expected_rows[ONE_TIME] = ONE_TIME_TIMED
        for name, expected in expected_rows.items():
            (b,) = by_name[name]
            self.assertEqual(tuple(b[c] for c in COLUMNS), expected, name)
            # Native fields: the counts are the timed run's, over its
            # iterations (all threads); the peak is the memory run's.
            self.assertEqual(b["allocs_per_iter"], expected[0], name)
            self.assertEqual(b["total_allocated_bytes"],
                             expected[1] * b["iterations"], name)
            self.assertEqual(b["max_bytes_used"], expected[2], name)
        reps = [b for b in by_name[GROWS] if b["run_type"] == "iteration"]
        for b, expected in zip(reps, GROWS_REPETITIONS, strict=True):
            self.assertEqual(tuple(b[c] for c in COLUMNS), expected)

    def test_console_prints_1020_bytes_exactly(self):
        # Google Benchmark's console puts a k on counters from 1100 up in
        # 1.7 ("figures up to 1.1k should be shown with the next unit down"),
        # from 1000 up in 1.8 and later: 1020 either way, not 1k or 1.0k.
        report = json.loads(run("--benchmark_format=json",
                                "--benchmark_filter=BM_Bytes1020").stdout)
        printed = ("1020" if benchmark_version.version(report) < (1, 8)
                   else "1.02k")
        rows = console_rows(run("--benchmark_filter=BM_Bytes1020").stdout)
        (line, _), = rows["BM_Bytes1020"]
        self.assertIn(f"bytes/iter={printed} ", line + " ")

    def test_console_repetitions_and_aggregates(self):
        rows = console_rows(run(f"--benchmark_filter=BM_Grows").stdout)
        reps = rows[GROWS]
        self.assertEqual(len(reps), 3)
        for (line, values), expected in zip(reps, GROWS_REPETITIONS, strict=True):
            self.assertColumns(values, expected, line)
        for stat, expected in GROWS_AGGREGATES.items():
            (line, values), = rows[f"{GROWS}_{stat}"]
            self.assertColumns(values, expected, line)

    def test_failed_benchmark_has_no_columns(self):
        stdout = run("--benchmark_filter=BM_Fails").stdout
        (line, values), = console_rows(stdout)["BM_Fails"]
        self.assertIn("ERROR OCCURRED", line)
        self.assertEqual(values, {})

    def test_csv_shows_exact_columns(self):
        stdout = run("--benchmark_format=csv").stdout
        rows = {}
        for row in csv.DictReader(io.StringIO(stdout)):
            rows.setdefault(row["name"], []).append(row)
        for name, expected in EXPECTED.items():
            (row,), = [rows[name]]
            self.assertEqual(tuple(float(row[c]) for c in COLUMNS), expected,
                             f"CSV row {row}")
        for row, expected in zip(rows[GROWS], GROWS_REPETITIONS, strict=True):
            self.assertEqual(tuple(float(row[c]) for c in COLUMNS), expected)
        for stat, expected in GROWS_AGGREGATES.items():
            (row,) = rows[f"{GROWS}_{stat}"]
            self.assertEqual(tuple(float(row[c]) for c in COLUMNS), expected)
        (failed,) = rows["BM_Fails"]
        self.assertEqual(failed["error_occurred"], "true")
        # Google Benchmark ends an error row after its message: no counters.
        self.assertEqual([failed[c] for c in COLUMNS], [None, None, None])

    def test_json_columns_and_native_fields_agree(self):
        benchmarks = json_benchmarks(run("--benchmark_format=json").stdout)
        by_name = {}
        for b in benchmarks:
            by_name.setdefault(b["name"], []).append(b)
        for name, expected in EXPECTED.items():
            (b,) = by_name[name]
            self.assertEqual(tuple(b[c] for c in COLUMNS), expected, name)
            iterations = min(16, b["iterations"] // b["threads"])
            self.assertEqual(b["allocs_per_iter"], expected[0], name)
            self.assertEqual(b["total_allocated_bytes"],
                             expected[1] * iterations, name)
            self.assertEqual(b["max_bytes_used"], expected[2], name)
            self.assertEqual(b["net_heap_growth"], 0, name)
        (failed,) = by_name["BM_Fails"]
        self.assertTrue(failed["error_occurred"])
        for field in COLUMNS + ("allocs_per_iter", "max_bytes_used"):
            self.assertNotIn(field, failed)

    def test_json_repetitions_read_their_own_memory_results(self):
        # Google Benchmark 1.7.1 leaves earlier repetitions pointing into a
        # reallocated vector; every repetition must still show its own result.
        benchmarks = json_benchmarks(
            run("--benchmark_format=json", "--benchmark_filter=BM_Grows").stdout)
        reps = [b for b in benchmarks if b["run_type"] == "iteration"]
        self.assertEqual(len(reps), 3)
        for b, expected in zip(reps, GROWS_REPETITIONS, strict=True):
            self.assertEqual(tuple(b[c] for c in COLUMNS), expected)
            self.assertEqual(b["allocs_per_iter"], expected[0])
            self.assertEqual(b["total_allocated_bytes"], expected[1] * 16)
            self.assertEqual(b["max_bytes_used"], expected[2])
            self.assertEqual(b["net_heap_growth"], 0)
        aggregates = {b["aggregate_name"]: b for b in benchmarks
                      if b["run_type"] == "aggregate"}
        for stat, expected in GROWS_AGGREGATES.items():
            for column, value in zip(COLUMNS, expected, strict=True):
                # Google Benchmark's stddev (and so cv) is computed from sums
                # of squares, exact to about 15 digits, not to the last bit.
                self.assertAlmostEqual(aggregates[stat][column], value,
                                       places=12, msg=f"{stat} {column}")

    def test_json_context_says_how_the_run_counts(self):
        def context(*args):
            out = run("--benchmark_filter=BM_HoldThenFree",
                      "--benchmark_format=json", *args).stdout
            return {k: v for k, v in json.loads(out)["context"].items()
                    if k.startswith("alloc_counter_")}

        default = context()
        self.assertRegex(default.pop("alloc_counter_version"),
                         r"^\d+\.\d+\.\d+$")
        self.assertEqual(default, {
            "alloc_counter_mode": "memory_run",
            "alloc_counter_paused": "exclude",
            "alloc_counter_c_allocator": "not counted",
            "alloc_counter_sites": "0"})
        changed = context("--alloc_counter_mode=timed",
                          "--alloc_counter_paused=include",
                          "--alloc_counter_sites=7")
        del changed["alloc_counter_version"]
        self.assertEqual(changed, {
            "alloc_counter_mode": "timed",
            "alloc_counter_paused": "include",
            "alloc_counter_c_allocator": "not counted",
            "alloc_counter_sites": "7"})
        # Nothing counted, nothing said.
        self.assertEqual(context("--alloc_counter_columns=false"), {})

    def test_file_reporter_gets_columns(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "out.csv")
            run("--benchmark_filter=BM_HoldThenFree", f"--benchmark_out={out}",
                "--benchmark_out_format=csv")
            with open(out) as f:
                # Google Benchmark's context comes first, alloc_counter's
                # (alloc_counter_mode: ...) among it.
                (row,) = list(csv.DictReader(
                    line for line in f if not line.startswith(
                        ("Run", "CPU", "  ", "Load", "***", "20",
                         "alloc_counter_"))))
        self.assertEqual(tuple(float(row[c]) for c in COLUMNS),
                         EXPECTED["BM_HoldThenFree"])

    def test_paused_allocations_counted_with_flag(self):
        rows = console_rows(run("--benchmark_filter=BM_AllocatesWhilePaused",
                                "--alloc_counter_paused=include").stdout)
        (line, values), = rows["BM_AllocatesWhilePaused"]
        self.assertColumns(values, (2, 264, 264), line)

    def test_columns_can_be_turned_off(self):
        stdout = run("--benchmark_filter=BM_HoldThenFree",
                     "--benchmark_format=json",
                     "--alloc_counter_columns=false").stdout
        (b,) = json_benchmarks(stdout)
        for column in COLUMNS:
            self.assertNotIn(column, b)
        self.assertEqual(b["allocs_per_iter"], 3)
        self.assertEqual(b["max_bytes_used"], 7000)

    def test_benchmark_flags_still_work(self):
        stdout = run("--benchmark_list_tests=true").stdout
        self.assertIn("BM_HoldThenFree\n", stdout)
        self.assertNotIn("allocs/iter", stdout)


if __name__ == "__main__":
    BINARY = os.path.abspath(sys.argv.pop(1))
    if std_library.of(BINARY) == std_library.LIBCXX:
        EXPECTED[THREAD] = THREAD_LIBCXX
    unittest.main()
