# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Checks that every way of writing a benchmark program's main shows the
columns and honours alloc_counter's flags, with no change to its source.

The same benchmarks (mains_benchmarks.cc) are linked into one program per
main:

  BENCHMARK_MAIN()          Google Benchmark's macro, with //alloc_counter
  benchmark_main            Google Benchmark's benchmark_main library, with
                            //alloc_counter
  hand-written              hand_written_mains.cc, with //alloc_counter: each
                            overload of benchmark::RunSpecifiedBenchmarks(),
                            with and without ReportUnrecognizedArguments(),
                            with the program's own display reporter, a
                            ConsoleReporter subclass, and a file reporter
  alloc_counter's own       //alloc_counter:main, ALLOC_COUNTER_BENCHMARK_MAIN()
                            and alloc_counter::Initialize() /
                            RunSpecifiedBenchmarks(), which must not count or
                            add a column twice

Every program is checked in the console, CSV and JSON output and in
--benchmark_out files, with exact values: each column once per row.
"""

import os
import sys
import tempfile
import unittest

from tests import benchmark_version
from tests import columns
from tests.run import run as run_binary

# Program file names (the same under Bazel and CMake) -> paths, from the
# command line.
BINARIES = {}

TWO_ALLOCATIONS = "BM_TwoAllocations"
PAUSED = "BM_AllocatesWhilePaused"
THREADS = "BM_ThreadIndexPlusOne/threads:4"


class Main:
    """One way of writing main: a program, and the MAIN_FORM it is run with
    (hand_written_mains.cc only)."""

    def __init__(self, binary, form=None):
        self.binary = binary
        self.form = form

    def __repr__(self):
        return self.form or self.binary

    @property
    def takes_spec(self):
        return self.form is not None and "spec" in self.form

    @property
    def own_display(self):
        """The display reporter is the program's own, not --benchmark_format's."""
        return self.form is not None and self.form.startswith(("display",
                                                               "console"))

    @property
    def own_file(self):
        return self.form is not None and "file" in self.form

    def run(self, benchmark, *args, check=True):
        """Runs the one benchmark `benchmark` (through --benchmark_filter or,
        for a form that takes a spec string, MAIN_SPEC). A form with its own
        file reporter needs --benchmark_out: a file that is thrown away, if
        `args` has none."""
        if self.own_file and not any(a.startswith("--benchmark_out=")
                                     for a in args):
            with tempfile.TemporaryDirectory() as tmp:
                return self.run(benchmark, *args,
                                f"--benchmark_out={tmp}/out.json",
                                check=check)
        binary = BINARIES[self.binary]
        env = dict(os.environ)
        pattern = "^" + benchmark.split("/")[0] + "(/|$)"
        select = []
        if self.form is not None:
            env["MAIN_FORM"] = self.form
        if self.takes_spec:
            env["MAIN_SPEC"] = pattern
        else:
            select = [f"--benchmark_filter={pattern}"]
        return run_binary(binary, *select, *args, fast=True, check=check,
                          env=env)

    def stdout_rows(self, stdout, output_format="console"):
        """The rows the program's display reporter printed."""
        if self.form in ("display", "display_spec", "display_file",
                         "display_file_spec"):
            return list_rows(stdout)
        if self.form == "console_subclass":
            return columns.console_rows(stdout, prefix="[marked] ")
        return columns.rows(stdout, output_format)


def list_rows(stdout):
    """The rows of hand_written_mains.cc's ListReporter: `row NAME` and every
    counter of the row, `NAME=VALUE`."""
    rows = {}
    for line in stdout.splitlines():
        if not line.startswith("row "):
            continue
        name, *counters = line[len("row "):].split(" ")
        values = dict(counter.split("=", 1) for counter in counters)
        unexpected = set(values) - set(columns.COLUMNS)
        if unexpected:
            raise AssertionError(f"counters {unexpected} in: {line}")
        rows.setdefault(name, []).append(tuple(
            float(values[c]) if c in values else None
            for c in columns.COLUMNS))
    return rows


# Google Benchmark creates the display reporter from --benchmark_format.
DEFAULT_DISPLAY = [
    Main("benchmark_main_macro_benchmarks"),
    Main("benchmark_main_library_benchmarks"),
    Main("hand_written_mains", "report_unrecognized"),
    Main("hand_written_mains", "no_unrecognized_check"),
    Main("hand_written_mains", "spec"),
    Main("main_target_benchmarks"),
    Main("macro_main_benchmarks"),
    Main("hand_written_main_benchmarks"),
]
# The program's own display reporter, and perhaps its own file reporter.
OWN_REPORTERS = [
    Main("hand_written_mains", "display"),
    Main("hand_written_mains", "display_spec"),
    Main("hand_written_mains", "display_file"),
    Main("hand_written_mains", "display_file_spec"),
    Main("hand_written_mains", "console_subclass"),
]
ALL_MAINS = DEFAULT_DISPLAY + OWN_REPORTERS

FORMATS = ("console", "csv", "json")


class MainsTest(unittest.TestCase):

    def assertRows(self, rows, name, expected, where):
        self.assertEqual(rows.get(name), [expected],
                         f"{name} in {where}: {rows}")

    def test_every_format_shows_exact_columns_once(self):
        for main in DEFAULT_DISPLAY:
            for output_format in FORMATS:
                with self.subTest(main=main, format=output_format):
                    proc = main.run(TWO_ALLOCATIONS,
                                    f"--benchmark_format={output_format}")
                    rows = main.stdout_rows(proc.stdout, output_format)
                    self.assertRows(rows, TWO_ALLOCATIONS, (2, 100, 100),
                                    proc.stdout)

    def test_benchmark_out_file_shows_exact_columns_once(self):
        for main in ALL_MAINS:
            if main.own_file:
                continue
            for output_format in FORMATS:
                with self.subTest(main=main, format=output_format):
                    with tempfile.TemporaryDirectory() as tmp:
                        out = os.path.join(tmp, "out")
                        proc = main.run(
                            TWO_ALLOCATIONS, f"--benchmark_out={out}",
                            f"--benchmark_out_format={output_format}")
                        with open(out) as f:
                            text = f.read()
                    self.assertRows(columns.rows(text, output_format),
                                    TWO_ALLOCATIONS, (2, 100, 100), text)
                    self.assertRows(main.stdout_rows(proc.stdout),
                                    TWO_ALLOCATIONS, (2, 100, 100),
                                    proc.stdout)

    def test_programs_own_reporters_receive_columns_as_counters(self):
        for main in OWN_REPORTERS:
            with self.subTest(main=main):
                args = []
                with tempfile.TemporaryDirectory() as tmp:
                    out = os.path.join(tmp, "out.json")
                    if main.own_file:
                        args = [f"--benchmark_out={out}"]
                    proc = main.run(TWO_ALLOCATIONS, *args)
                    if main.own_file:
                        # The program's JSONReporter, whatever
                        # --benchmark_out_format says.
                        with open(out) as f:
                            text = f.read()
                        self.assertRows(columns.json_rows(text),
                                        TWO_ALLOCATIONS, (2, 100, 100), text)
                self.assertRows(main.stdout_rows(proc.stdout),
                                TWO_ALLOCATIONS, (2, 100, 100), proc.stdout)

    def test_programs_own_reporter_is_told_the_run_configuration(self):
        # Google Benchmark 1.8 and later call ReportRunsConfig() once per
        # benchmark; hand_written_mains.cc's reporter prints `config` then.
        report = Main("benchmark_main_macro_benchmarks").run(
            TWO_ALLOCATIONS, "--benchmark_format=json").stdout
        expected = (["config"] if benchmark_version.version(
            columns.json_report(report)) >= (1, 8) else [])
        for main in OWN_REPORTERS:
            if main.form == "console_subclass":
                continue
            with self.subTest(main=main):
                lines = main.run(TWO_ALLOCATIONS).stdout.splitlines()
                self.assertEqual([l for l in lines if l == "config"],
                                 expected)

    def test_spec_string_selects_the_benchmarks(self):
        for main in ALL_MAINS:
            if not main.takes_spec:
                continue
            with self.subTest(main=main):
                proc = main.run(PAUSED)
                self.assertEqual(list(main.stdout_rows(proc.stdout)), [PAUSED])

    def test_json_native_fields_agree_with_columns(self):
        for main in DEFAULT_DISPLAY:
            with self.subTest(main=main):
                proc = main.run(TWO_ALLOCATIONS, "--benchmark_format=json")
                (row,) = columns.json_report(proc.stdout)["benchmarks"]
                self.assertEqual(row["allocs_per_iter"], 2)
                self.assertEqual(row["max_bytes_used"], 100)
                self.assertEqual(row["net_heap_growth"], 0)

    def assertFlagHonoured(self, benchmark, flag, expected):
        """Under every main, `benchmark` run with `flag`=VALUE shows the
        columns expected[VALUE]."""
        for main in ALL_MAINS:
            for value, values in expected.items():
                with self.subTest(main=main, flag=f"{flag}={value}"):
                    proc = main.run(benchmark, f"{flag}={value}")
                    self.assertRows(main.stdout_rows(proc.stdout), benchmark,
                                    values, proc.stdout)

    def test_timed_mode_counts_every_thread(self):
        self.assertFlagHonoured(THREADS, "--alloc_counter_mode", {
            "memory_run": (1, 16, 16), "timed": (2.5, 40, 16)})

    def test_paused_flag_is_honoured(self):
        self.assertFlagHonoured(PAUSED, "--alloc_counter_paused", {
            "exclude": (1, 32, 64), "include": (2, 96, 64)})

    def test_columns_false_removes_columns_and_keeps_native_fields(self):
        for main in DEFAULT_DISPLAY:
            with self.subTest(main=main):
                proc = main.run(TWO_ALLOCATIONS, "--alloc_counter_columns=false",
                                "--benchmark_format=json")
                (row,) = columns.json_report(proc.stdout)["benchmarks"]
                for column in columns.COLUMNS:
                    self.assertNotIn(column, row)
                self.assertEqual(row["allocs_per_iter"], 2)
                self.assertEqual(row["total_allocated_bytes"], 100 * 16)
                self.assertEqual(proc.stderr.count("alloc_counter"), 0,
                                 proc.stderr)

    def test_flags_are_taken_out_before_unrecognized_arguments_are_reported(self):
        # ReportUnrecognizedArguments() sees only what is left after
        # alloc_counter's flags and Google Benchmark's.
        main = Main("hand_written_mains", "report_unrecognized")
        proc = main.run(TWO_ALLOCATIONS, "--alloc_counter_sites=0", "--bogus",
                        check=False)
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(
            proc.stderr.splitlines(),
            [f"{BINARIES[main.binary]}: error: unrecognized command-line "
             "flag: --bogus"])


if __name__ == "__main__":
    BINARIES = {os.path.basename(b): os.path.abspath(b) for b in sys.argv[1:]}
    del sys.argv[1:]
    unittest.main()
