# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Checks alloc_counter's command line in each way of giving a program its
main: BENCHMARK_MAIN(), benchmark_main, hand-written mains,
//alloc_counter:main and ALLOC_COUNTER_BENCHMARK_MAIN().

- `--help` prints Google Benchmark's usage, then one line per
  --alloc_counter_* flag with its values and default, and exits 0;
- a bad value or an unknown --alloc_counter_* flag prints a message naming it
  and exits 2 before any benchmark runs;
- the README's --help example shows those lines as they are printed.
"""

import os
import re
import sys
import unittest

from tests.run import run as run_binary

# name -> path of a benchmark binary linked with alloc_counter.
BINARIES = {}
README = None  # the repository's README.md

# Each flag, its values as --help shows them, and its default, in --help's
# order.
FLAGS = [
    ("--alloc_counter_columns", "{true|false}", "true"),
    ("--alloc_counter_paused", "{exclude|include}", "exclude"),
    ("--alloc_counter_mode", "{memory_run|timed}", "memory_run"),
    ("--alloc_counter_sites", "<N>", "0"),
    ("--alloc_counter_site_names", "{short|full}", "short"),
    ("--alloc_counter_folded", "<FILE>", "none"),
    ("--alloc_counter_folded_bytes", "<FILE>", "none"),
    ("--alloc_counter_histogram", "{false|true}", "false"),
]

def run(binary, *args):
    return run_binary(binary, *args, check=False)


class CommandLineTest(unittest.TestCase):

    def test_help_lists_benchmark_flags_then_ours_and_exits_0(self):
        for name, binary in BINARIES.items():
            with self.subTest(binary=name):
                proc = run(binary, "--help")
                self.assertEqual(proc.returncode, 0, proc.stderr)
                out = proc.stdout
                # Google Benchmark's usage comes first, unchanged.
                self.assertIn("[--benchmark_filter=<regex>]", out)
                ours = out.index("alloc_counter flags:")
                self.assertLess(out.index("--benchmark_filter"), ours)
                for flag, values, default in FLAGS:
                    self.assertRegex(
                        out[ours:],
                        r"(?m)^  %s=%s +\S.* \(default: %s\)$" % (
                            re.escape(flag), re.escape(values),
                            re.escape(default)))
                # No benchmark ran.
                self.assertNotIn("BM_", out)

    def test_readme_shows_the_flags_help_prints(self):
        # The README's --help example, from "alloc_counter flags:" to the end
        # of its block, is what every binary prints.
        with open(README) as f:
            readme = f.read()
        match = re.search(r"(?s)\n(alloc_counter flags:\n.*?)```", readme)
        self.assertIsNotNone(match, "no alloc_counter flags: block in README")
        for name, binary in BINARIES.items():
            with self.subTest(binary=name):
                out = run(binary, "--help").stdout
                self.assertEqual(out[out.index("alloc_counter flags:"):],
                                 match.group(1))

    def assertRejectedBeforeAnyBenchmark(self, arg, message):
        """Every binary given `arg` exits 2, `message` is the whole of its
        stderr, and its stdout is empty: no benchmark ran."""
        for name, binary in BINARIES.items():
            with self.subTest(binary=name, arg=arg):
                proc = run(binary, arg)
                self.assertEqual(proc.returncode, 2)
                self.assertEqual(proc.stderr, f"alloc_counter: {message}\n")
                self.assertEqual(proc.stdout, "")

    def test_bad_value_exits_2_naming_flag_and_values(self):
        self.assertRejectedBeforeAnyBenchmark(
            "--alloc_counter_paused=maybe",
            "invalid value 'maybe' for --alloc_counter_paused; "
            "accepted values: exclude, include")
        self.assertRejectedBeforeAnyBenchmark(
            "--alloc_counter_mode=fast",
            "invalid value 'fast' for --alloc_counter_mode; "
            "accepted values: memory_run, timed")
        self.assertRejectedBeforeAnyBenchmark(
            "--alloc_counter_columns=yes",
            "invalid value 'yes' for --alloc_counter_columns; "
            "accepted values: true, false")

    def test_unknown_flag_exits_2_naming_it_and_every_known_flag(self):
        # Each flag as --help shows it, without the braces.
        known = ", ".join(f"{flag}={values.strip('{}')}"
                          for flag, values, _ in FLAGS)
        self.assertRejectedBeforeAnyBenchmark(
            "--alloc_counter_bogus=1",
            f"unknown flag --alloc_counter_bogus; known flags: {known}")

if __name__ == "__main__":
    README = os.path.abspath(sys.argv.pop(1))
    BINARIES = {os.path.basename(b): os.path.abspath(b)
                for b in sys.argv[1:]}
    del sys.argv[1:]
    unittest.main()
