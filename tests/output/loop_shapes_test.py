# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Checks the columns of every loop shape, in both counting modes.

Runs loop_shapes_benchmarks (linked with //alloc_counter:main) with
--alloc_counter_mode=memory_run and =timed, and compares the allocs/iter,
bytes/iter and peak_bytes columns of each row, in the console, CSV and JSON
output, with the values its code implies (written beside each benchmark).
Aggregate rows are checked under every way of reporting only aggregates.
"""

import csv
import io
import json
import os
import re
import sys
import tempfile
import unittest

from tests import console
from tests.run import run as run_binary

BINARY = None  # Set from the command line in __main__.
MODES = ("memory_run", "timed")
COLUMNS = ("allocs/iter", "bytes/iter", "peak_bytes")

# name -> (allocs/iter, bytes/iter, peak_bytes), the same in both modes.
EXPECTED = {
    "BM_RangeFor": (1, 64, 64),
    "BM_KeepRunning": (1, 64, 64),
    "BM_KeepRunningBatch/1": (1, 32, 32),
    "BM_KeepRunningBatch/10": (1, 32, 32),
    "BM_KeepRunningBatch/16": (1, 32, 32),
    "BM_KeepRunningBatch/100": (1, 32, 32),
    "BM_BatchWithPausedPrepare": (1, 48, 8896),
    "BM_Iterations/iterations:50": (2, 32, 16),
    "AllocatingFixture/RangeFor": (1, 24, 24),
    "AllocatingFixture/Batch": (1, 24, 24),
    "BM_SetupTeardown": (1, 24, 24),
    "BM_ManualTime/manual_time": (1, 40, 40),
    "BM_Args/1/8": (1, 8, 8),
    "BM_Args/3/16": (3, 48, 16),
    "BM_Ranges/1/64": (1, 64, 64),
    "BM_Ranges/8/64": (8, 512, 64),
    "BM_ArgsProduct/2/32": (2, 64, 32),
    "BM_ArgsProduct/5/32": (5, 160, 32),
    "BM_Template<int64_t>": (1, 8, 8),
    "BM_Template<Block200>": (1, 200, 200),
    "BM_Lambda": (2, 64, 56),
    "BM_ThreadRange/threads:1": (1, 16, 16),
    "BM_ThreadRange/threads:2": (1, 16, 16),
    "BM_ThreadRange/threads:4": (1, 16, 16),
    "BM_BatchThreads/threads:2": (1, 32, 32),
    "BM_WarmUp": (1, 16, 16),
    "BM_AfterSkipWithError/iterations:100": (1, 16, 16),
}
# Fails in every run: an error row, no columns.
ERROR_ROWS = ["BM_SkipWithErrorThenBreak"]
# Google Benchmark 1.8+ names the warm-up time in the row's name.
WARM_UP = re.compile(r"^BM_WarmUp(/min_warmup_time:[0-9.]+)?$")

# The three registrations of BM_Repetitions: reported in full, with
# ReportAggregatesOnly(true), with DisplayAggregatesOnly(true).
FULL = "BM_Repetitions<0>/iterations:20/repeats:3"
REPORT_AGGREGATES = "BM_Repetitions<1>/iterations:20/repeats:3"
DISPLAY_AGGREGATES = "BM_Repetitions<2>/iterations:20/repeats:3"
REPETITIONS = [(1, 8, 8), (2, 16, 8), (3, 24, 8)]
AGGREGATES = {
    "mean": (2, 16, 8),
    "median": (2, 16, 8),
    "stddev": (1, 8, 0),
    "cv": (0.5, 0.5, 0),
}


def run(*args):
    return run_binary(BINARY, *args, fast=True).stdout


def run_with_file(mode, name, flags):
    """Runs the benchmark `name` in `mode` with `flags` and a JSON file
    reporter; returns the console rows and the file's rows."""
    pattern = re.escape(name.split("/")[0])
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.json")
        stdout = run(f"--alloc_counter_mode={mode}",
                     f"--benchmark_filter={pattern}",
                     f"--benchmark_out={out}", "--benchmark_out_format=json",
                     *flags)
        with open(out) as f:
            return console_rows(stdout), json_rows(f.read())


def canonical(name):
    return "BM_WarmUp" if WARM_UP.match(name) else name


def console_rows(stdout):
    """name -> list of column tuples (None where a column is missing)."""
    rows = {}
    for line in stdout.splitlines():
        match = re.match(r"^((?:BM_|AllocatingFixture/)\S+)\s", line)
        if not match:
            continue
        values = []
        for column in COLUMNS:
            m = re.search(re.escape(column) + r"=(\S+)", line)
            values.append(console.parse_value(m.group(1)) if m else None)
        rows.setdefault(canonical(match.group(1)), []).append(tuple(values))
    return rows


def json_rows(text):
    """name -> list of JSON rows; aggregates under name_<aggregate>."""
    rows = {}
    for b in json.loads(text)["benchmarks"]:
        rows.setdefault(canonical(b["name"]), []).append(b)
    return rows


def columns_of(row):
    return tuple(row.get(c) for c in COLUMNS)


class LoopShapesTest(unittest.TestCase):

    def assertAggregates(self, rows, name, values_of):
        for stat, expected in AGGREGATES.items():
            (row,) = rows[f"{name}_{stat}"]
            got = values_of(row)
            for column, value, want in zip(COLUMNS, got, expected, strict=True):
                # Google Benchmark's stddev (and so cv) is computed from sums
                # of squares, exact to about 15 digits, not to the last bit.
                self.assertIsNotNone(value, f"{name}_{stat} {column}")
                self.assertAlmostEqual(value, want, places=12,
                                       msg=f"{name}_{stat} {column}")

    def test_console_columns_of_every_loop_shape(self):
        for mode in MODES:
            with self.subTest(mode=mode):
                rows = console_rows(run(f"--alloc_counter_mode={mode}",
                                        "--benchmark_filter=-BM_Repetitions"))
                self.assertEqual(sorted(rows), sorted([*EXPECTED, *ERROR_ROWS]))
                for name, expected in EXPECTED.items():
                    self.assertEqual(rows[name], [expected], name)
                for name in ERROR_ROWS:
                    self.assertEqual(rows[name], [(None, None, None)], name)

    def test_json_columns_and_native_field_of_every_loop_shape(self):
        for mode in MODES:
            with self.subTest(mode=mode):
                rows = json_rows(run(f"--alloc_counter_mode={mode}",
                                     "--benchmark_filter=-BM_Repetitions",
                                     "--benchmark_format=json"))
                for name, expected in EXPECTED.items():
                    (row,) = rows[name]
                    self.assertEqual(columns_of(row), expected, name)
                    # Google Benchmark's own field agrees with the column.
                    self.assertEqual(row["allocs_per_iter"], expected[0], name)
                    self.assertEqual(row["max_bytes_used"], expected[2], name)

    def test_csv_columns_of_every_loop_shape(self):
        for mode in MODES:
            with self.subTest(mode=mode):
                stdout = run(f"--alloc_counter_mode={mode}",
                             "--benchmark_filter=-BM_Repetitions",
                             "--benchmark_format=csv")
                rows = {}
                for row in csv.DictReader(io.StringIO(stdout)):
                    rows.setdefault(canonical(row["name"]), []).append(row)
                for name, expected in EXPECTED.items():
                    (row,) = rows[name]
                    self.assertEqual(tuple(float(row[c]) for c in COLUMNS),
                                     expected, name)

    def test_batch_of_100_with_paused_prepare_reads_exactly_1(self):
        for mode in MODES:
            with self.subTest(mode=mode):
                rows = console_rows(run(
                    f"--alloc_counter_mode={mode}",
                    "--benchmark_filter=^BM_BatchWithPausedPrepare$"))
                self.assertEqual(rows["BM_BatchWithPausedPrepare"],
                                 [(1, 48, 8896)])

    def test_repetitions_and_their_aggregates(self):
        for mode in MODES:
            with self.subTest(mode=mode):
                stdout = run(f"--alloc_counter_mode={mode}",
                             "--benchmark_filter=BM_Repetitions<0>")
                rows = console_rows(stdout)
                self.assertEqual(rows[FULL], REPETITIONS)
                self.assertAggregates(rows, FULL, lambda values: values)

    def test_aggregates_only_rows_get_columns(self):
        # ReportAggregatesOnly(true), per benchmark or for all with the flag:
        # no output has the repetitions. DisplayAggregatesOnly(true): the
        # console has only the aggregates, the file gets every row.
        for mode in MODES:
            for name, flags, file_has_repetitions in (
                    (REPORT_AGGREGATES, [], False),
                    (FULL, ["--benchmark_report_aggregates_only=true"], False),
                    (DISPLAY_AGGREGATES, [], True),
                    (FULL, ["--benchmark_display_aggregates_only=true"],
                     True)):
                with self.subTest(mode=mode, name=name, flags=flags):
                    console, file_rows = run_with_file(mode, name, flags)
                    self.assertNotIn(name, console)
                    self.assertAggregates(console, name, lambda v: v)
                    if file_has_repetitions:
                        self.assertEqual(
                            [columns_of(r) for r in file_rows[name]],
                            REPETITIONS)
                        for row, expected in zip(file_rows[name], REPETITIONS,
                                                 strict=True):
                            self.assertEqual(row["allocs_per_iter"],
                                             expected[0])
                    else:
                        self.assertNotIn(name, file_rows)
                    self.assertAggregates(file_rows, name, columns_of)

    def test_interleaved_repetitions_read_their_own_measurements(self):
        # --benchmark_enable_random_interleaving alternates the repetitions
        # of several benchmarks; each repetition row still shows its own.
        stdout = run("--benchmark_filter=BM_Repetitions<[02]>|^BM_RangeFor$",
                     "--benchmark_enable_random_interleaving=true",
                     "--benchmark_repetitions=3",
                     "--benchmark_format=json")
        rows = json_rows(stdout)
        iterations = [r for r in rows[FULL] if r["run_type"] == "iteration"]
        self.assertEqual([columns_of(r) for r in iterations], REPETITIONS)
        self.assertAggregates(rows, FULL, columns_of)
        self.assertEqual([columns_of(r) for r in rows["BM_RangeFor"]],
                         [(1, 64, 64)] * 3)

    def test_interleaved_aggregates_only_rows_have_no_columns(self):
        # With interleaved repetitions, a benchmark whose repetition rows are
        # not reported cannot be matched to its memory runs (README, Limits):
        # its aggregate rows show no columns rather than another's.
        stdout = run("--benchmark_filter=BM_Repetitions<[01]>",
                     "--benchmark_enable_random_interleaving=true",
                     "--benchmark_format=json")
        rows = json_rows(stdout)
        for stat in AGGREGATES:
            (row,) = rows[f"{REPORT_AGGREGATES}_{stat}"]
            self.assertEqual(columns_of(row), (None, None, None), stat)
        self.assertEqual(
            [columns_of(r) for r in rows[FULL] if r["run_type"] == "iteration"],
            REPETITIONS)


if __name__ == "__main__":
    BINARY = os.path.abspath(sys.argv.pop(1))
    unittest.main()
