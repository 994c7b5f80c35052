# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Checks alloc_counter_compare on the JSON of real benchmark runs.

Runs compare_baseline_benchmark and compare_contender_benchmark (one source,
compiled without and with EXTRA_ALLOCATION, linked with //alloc_counter:main)
the way a CI job does (with --alloc_counter_sites=5), compares their JSON
output with alloc_counter_compare, and checks the rows of its table, the
allocation site the contender adds, its Markdown and JSON output and its exit
statuses, and its exports for dashboards; then its answers to bad input and
to runs counted differently, and the tables and HTML report of hand-written
JSON with allocation sites, size histograms and allocation stacks.

Arguments: the tool, the baseline and contender binaries, the baseline and
contender JSON fixtures with sites, those with stacks, the benchmarks' source
(compare_benchmark.cc), and the baseline and contender JSON fixtures whose
sites changed.
"""

import json
import math
import os
import re
import subprocess
import sys
import tempfile
import unittest

from tests.run import run as run_binary

TOOL = BASELINE_BIN = CONTENDER_BIN = SITES_BASELINE = SITES_CONTENDER = None
STACKS_BASELINE = STACKS_CONTENDER = SOURCE = None
DIFF_BASELINE = DIFF_CONTENDER = None
TMP = None  # tempfile.TemporaryDirectory, for the module
BASELINE = CONTENDER = None  # JSON written by the two binaries

GROWS = "BM_Grows/iterations:100"
STEADY = "BM_Steady/iterations:100"
NONE = "BM_NoAllocation/iterations:100"
REPEATED = "BM_Repeated/iterations:100/repeats:3"
REMOVED = "BM_Removed/iterations:100"
ADDED = "BM_Added/iterations:100"

# Rows of the text table, the time change replaced by "T": name, then old,
# new and delta of allocs/iter, bytes/iter and peak bytes, time, status.
ROWS_SAME = {
    GROWS: [GROWS, "1", "1", "0", "100", "100", "0", "100", "100", "0", "T"],
    STEADY: [STEADY, "1", "1", "0", "64", "64", "0", "64", "64", "0", "T"],
    NONE: [NONE, "0", "0", "0", "0", "0", "0", "0", "0", "0", "T"],
    REPEATED: [REPEATED, "2", "2", "0", "32", "32", "0", "16", "16", "0",
               "T"],
    REMOVED: [REMOVED, "1", "1", "0", "8", "8", "0", "8", "8", "0", "T"],
}
ROWS_CHANGED = {
    GROWS: [GROWS, "1", "2", "+1", "100", "128", "+28", "100", "128", "+28",
            "T", "REGRESSION"],
    STEADY: ROWS_SAME[STEADY],
    NONE: ROWS_SAME[NONE],
    REPEATED: ROWS_SAME[REPEATED],
    REMOVED: [REMOVED, "1", "-", "-", "8", "-", "-", "8", "-", "-", "-",
              "only in baseline"],
    ADDED: [ADDED, "-", "1", "-", "-", "8", "-", "-", "8", "-", "-",
            "only in contender"],
}

MEMORY_FIELDS = ("allocs/iter", "bytes/iter", "peak_bytes", "allocs_per_iter",
                 "max_bytes_used", "total_allocated_bytes", "net_heap_growth")


def run_benchmark(binary, out, *flags):
    # No --benchmark_min_time: every benchmark fixes its iterations, which
    # works alike on Google Benchmark 1.7 and 1.8+.
    run_binary(binary, f"--benchmark_out={out}", "--benchmark_out_format=json",
               "--benchmark_color=false", "--alloc_counter_sites=5", *flags)
    return out


def compare(*args):
    return subprocess.run([TOOL, *args], capture_output=True, text=True,
                          check=False)


def compare_html(baseline, contender, name):
    """Runs the tool with --html into TMP/`name`: (the process, the page)."""
    out = os.path.join(TMP.name, name)
    proc = compare(baseline, contender, "--html", out)
    with open(out, encoding="utf-8") as f:
        return proc, f.read()


def table_rows(stdout):
    """{name: cells} of the text table's benchmark rows, cells split at two
    or more spaces; the time change (+1.2%, or - without a time on one side)
    is checked and, in rows with both sides, replaced by T."""
    lines = stdout.splitlines()
    rules = [i for i, line in enumerate(lines) if re.fullmatch(r"-+", line)]
    assert len(rules) == 3, stdout
    rows = {}
    for line in lines[rules[1] + 1:rules[2]]:
        cells = re.split(r"\s{2,}", line.strip())
        assert re.fullmatch(r"[+-]\d+\.\d%|-", cells[10]), line
        if "-" not in (cells[1], cells[2]):
            cells[10] = "T"
        rows[cells[0]] = cells
    return rows


def write_json(name, data):
    path = os.path.join(TMP.name, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f)
    return path


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def with_context(path, name, **fields):
    """A copy of the JSON file at `path` whose context has `fields`; a field
    set to None is removed."""
    data = load_json(path)
    for field, value in fields.items():
        if value is None:
            data["context"].pop(field, None)
        else:
            data["context"][field] = value
    return write_json(name, data)


# How alloc_counter_compare ends the line of a difference it refuses.
NOT_COMPARED = "; not compared (--allow-config-change compares anyway)"


def differs(what, field, old, new, contender, end=""):
    """alloc_counter_compare's line for a context field that is `old` in
    DIFF_BASELINE and `new` in `contender`: `what` names it ("the counting
    mode", after "warning: " for a warning) and `end` ends the line."""
    return (f"alloc_counter_compare: {what} differs: {field} is "
            f'"{old}" in {DIFF_BASELINE} but "{new}" in {contender}{end}')


def source_line(marker):
    """The number of the line of compare_benchmark.cc that holds
    `marker`."""
    with open(SOURCE, encoding="utf-8") as f:
        found = [n for n, line in enumerate(f, 1) if marker in line]
    assert len(found) == 1, found
    return found[0]


def without(path, fields, name):
    """A copy of the JSON file at `path` whose benchmarks lack `fields`."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    for row in data["benchmarks"]:
        for field in fields:
            row.pop(field, None)
    return write_json(name, data)


def is_number(value):
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value))


def bmf_errors(data):
    """What makes `data` not Bencher Metric Format JSON, [] if nothing: an
    object keyed by benchmark name, each an object keyed by measure slug
    (lowercase letters, digits and '-'), each measure an object with a
    numeric "value" and, besides it, only a numeric "lower_value" and
    "upper_value"."""
    if not isinstance(data, dict):
        return ["not an object"]
    errors = []
    for name, measures in data.items():
        if not isinstance(measures, dict) or not measures:
            errors.append(f"{name}: not an object of measures")
            continue
        for slug, metric in measures.items():
            if not re.fullmatch(r"[a-z0-9-]+", slug):
                errors.append(f"{name}: {slug!r} is not a slug")
            if not isinstance(metric, dict) or not is_number(
                    metric.get("value")):
                errors.append(f"{name}: {slug}: no numeric value")
                continue
            for key in set(metric) - {"value"}:
                if key not in ("lower_value", "upper_value") or not is_number(
                        metric[key]):
                    errors.append(f"{name}: {slug}: {key!r}")
    return errors


def custom_smaller_is_better_errors(data):
    """What makes `data` not the input of github-action-benchmark's tool
    customSmallerIsBetter, [] if nothing: a list of objects with a string
    "name" (each its own), a string "unit" and a numeric "value", and
    besides them only a string "range" and "extra"."""
    if not isinstance(data, list):
        return ["not a list"]
    errors = []
    names = set()
    for entry in data:
        if not isinstance(entry, dict):
            errors.append(f"{entry!r}: not an object")
            continue
        if not isinstance(entry.get("name"), str) or entry["name"] in names:
            errors.append(f"{entry!r}: no name, or one seen before")
        names.add(entry.get("name"))
        if not isinstance(entry.get("unit"), str):
            errors.append(f"{entry!r}: no unit")
        if not is_number(entry.get("value")):
            errors.append(f"{entry!r}: no numeric value")
        for key in set(entry) - {"name", "unit", "value"}:
            if key not in ("range", "extra") or not isinstance(entry[key],
                                                               str):
                errors.append(f"{entry!r}: {key!r}")
    return errors


class RealRunsTest(unittest.TestCase):
    """The tool on the JSON of the two builds of compare_benchmark.cc."""

    def test_equal_runs_exit_0(self):
        proc = compare(BASELINE, BASELINE)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(table_rows(proc.stdout), ROWS_SAME)
        self.assertIn("No regression: no allocs/iter or bytes/iter grew by "
                      "more than 0% (--max-increase).", proc.stdout)
        self.assertNotIn("allocation site", proc.stdout)
        self.assertEqual(proc.stderr, "")

    def test_one_more_allocation_exits_1(self):
        proc = compare(BASELINE, CONTENDER)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertEqual(proc.stderr, "")  # counted alike
        self.assertEqual(table_rows(proc.stdout), ROWS_CHANGED)
        lines = proc.stdout.splitlines()
        self.assertEqual(lines[0], f"baseline:  {BASELINE}")
        self.assertEqual(lines[1], f"contender: {CONTENDER}")
        self.assertIn("1 regression: allocs/iter or bytes/iter grew by more "
                      "than 0% (--max-increase):", lines)
        self.assertIn(f"  {GROWS}: allocs/iter 1 -> 2 (+100.0%), bytes/iter "
                      "100 -> 128 (+28.0%)", lines)
        self.assertEqual(lines[-2:], [
            "Benchmarks: 4 compared, 1 only in baseline, 1 only in "
            "contender.",
            "Time: cpu_time (real_time for /real_time), for context; not "
            "gated."])

    def extra_site(self):
        """The frames of the contender's site of BM_Grows whose caller is
        the line marked `site:extra`, checked: test_util::Allocate (inlined,
        at its line in allocate.h) called from BM_Grows at that line."""
        extra = source_line("// site:extra")
        rows = [row for row in load_json(CONTENDER)["benchmarks"]
                if row["name"] == GROWS]
        self.assertEqual(len(rows), 1)
        sites = [s["frames"] for s in rows[0]["alloc_sites"]
                 if s["frames"][-1].get("line") == extra]
        self.assertEqual(len(sites), 1, rows[0]["alloc_sites"])
        frames = sites[0]
        self.assertEqual(
            [f["function"] for f in frames],
            ["test_util::Allocate(unsigned long)",
             "(anonymous namespace)::BM_Grows(benchmark::State&)"])
        self.assertTrue(frames[0]["file"].endswith("tests/util/allocate.h"))
        self.assertTrue(frames[1]["file"].endswith(
            "tests/compare/compare_benchmark.cc"))
        return frames, extra

    def test_text_names_the_added_allocation(self):
        frames, extra = self.extra_site()
        proc = compare(BASELINE, CONTENDER)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        lines = proc.stdout.splitlines()
        start = lines.index(f"  {GROWS}: allocs/iter 1 -> 2 (+100.0%), "
                            "bytes/iter 100 -> 128 (+28.0%)")
        # Only the new site: BM_Grows's other, at the line above, is the
        # same in both runs.
        self.assertEqual(lines[start + 1:start + 5], [
            "    change    allocs/iter  bytes/iter  allocation site",
            "    appeared       0 -> 1     0 -> 28  test_util::Allocate(…) "
            f"at allocate.h:{frames[0]['line']}",
            " " * 41 + "called from (anonymous namespace)::BM_Grows(…) at "
            f"compare_benchmark.cc:{extra}",
            "Benchmarks: 4 compared, 1 only in baseline, 1 only in "
            "contender.",
        ])

    def test_markdown_names_the_added_allocation(self):
        frames, extra = self.extra_site()
        proc = compare(BASELINE, CONTENDER, "--format=markdown")
        self.assertEqual(proc.returncode, 1, proc.stderr)
        lines = proc.stdout.splitlines()
        self.assertEqual(lines[12:19], [
            "",
            f"#### Allocation sites of `{GROWS}` that changed",
            "",
            "| change | allocs/iter | bytes/iter | allocation site |",
            "|:--|--:|--:|:--|",
            "| appeared | 0 → 1 | 0 → 28 | `test_util::Allocate(…)` at "
            f"`allocate.h:{frames[0]['line']}`<br>called from "
            "`(anonymous namespace)::BM_Grows(…)` at "
            f"`compare_benchmark.cc:{extra}` |",
            "",
        ])
        self.assertEqual(lines[19], f"Baseline `{BASELINE}`, contender "
                         f"`{CONTENDER}`. Time (cpu_time, real_time for "
                         "/real_time) is for context and not gated.")

    def test_json_lists_the_added_allocation(self):
        frames, _ = self.extra_site()
        proc = compare(BASELINE, CONTENDER, "--format=json")
        self.assertEqual(proc.returncode, 1, proc.stderr)
        by_name = {b["name"]: b for b in json.loads(proc.stdout)["benchmarks"]}
        self.assertEqual(by_name[GROWS]["site_changes"], [{
            "status": "appeared",
            "frames": frames,
            "baseline": {"allocs_per_iter": 0, "bytes_per_iter": 0},
            "contender": {"allocs_per_iter": 1, "bytes_per_iter": 28},
        }])
        self.assertIsNone(by_name[GROWS]["other_sites_change"])
        # Listed for regressions only.
        for name in (STEADY, NONE, REPEATED, REMOVED, ADDED):
            self.assertIsNone(by_name[name]["site_changes"], name)

    def test_timed_run_against_memory_run_exits_2(self):
        timed = run_benchmark(BASELINE_BIN,
                              os.path.join(TMP.name, "timed.json"),
                              "--alloc_counter_mode=timed")
        proc = compare(BASELINE, timed)
        self.assertEqual(proc.returncode, 2, proc.stdout)
        self.assertEqual(proc.stdout, "")
        self.assertEqual(
            proc.stderr,
            "alloc_counter_compare: the counting mode differs: "
            f'alloc_counter_mode is "memory_run" in {BASELINE} but "timed" '
            f"in {timed}; not compared (--allow-config-change compares "
            "anyway)\n")
        # Allowed, it compares: this binary's counts are the same in both
        # modes.
        proc = compare(BASELINE, timed, "--allow-config-change")
        self.assertEqual(proc.returncode, 0, proc.stdout)
        self.assertEqual(
            proc.stderr,
            "alloc_counter_compare: warning: the counting mode differs: "
            f'alloc_counter_mode is "memory_run" in {BASELINE} but "timed" '
            f"in {timed}; compared as --allow-config-change allows\n")
        self.assertEqual(table_rows(proc.stdout), ROWS_SAME)

    def test_header_and_columns_line_up(self):
        proc = compare(BASELINE, CONTENDER)
        lines = proc.stdout.splitlines()
        header = lines[4]
        self.assertEqual(re.split(r"\s+", header.strip()),
                         ["Benchmark"] + ["old", "new", "delta"] * 3 +
                         ["change", "status"])
        self.assertEqual(re.split(r"\s{2,}", lines[3].strip()),
                         ["allocs/iter", "bytes/iter", "peak bytes", "time"])
        # Numbers are right-aligned under their labels, the status is
        # left-aligned.
        spans = [m.span() for m in re.finditer(r"\S+(?: \S+)*", header)]
        grows = next(line for line in lines if line.startswith(GROWS))
        cells = [m.span() for m in re.finditer(r"\S+(?: \S+)*", grows)]
        self.assertEqual(len(cells), len(spans))
        self.assertEqual([c[1] for c in cells[1:-1]],
                         [s[1] for s in spans[1:-1]])
        self.assertEqual(cells[-1][0], spans[-1][0])

    def test_max_increase_is_relative_percent(self):
        # BM_Grows: allocs/iter +100%, bytes/iter +28%.
        for limit, status in (("100", 0), ("100%", 0), ("250", 0),
                              ("99.9", 1), ("28", 1), ("0", 1)):
            with self.subTest(limit=limit):
                proc = compare(BASELINE, CONTENDER,
                               f"--max-increase={limit}")
                self.assertEqual(proc.returncode, status, proc.stdout)
        proc = compare(BASELINE, CONTENDER, "--max-increase", "100")
        row = table_rows(proc.stdout)[GROWS]
        self.assertEqual(row, ROWS_CHANGED[GROWS][:-1] +
                         ["increase within limit"])
        self.assertIn("No regression: no allocs/iter or bytes/iter grew by "
                      "more than 100% (--max-increase).", proc.stdout)

    def test_growth_from_zero_is_a_regression_whatever_the_limit(self):
        with open(BASELINE, encoding="utf-8") as f:
            data = json.load(f)
        for row in data["benchmarks"]:
            if row["name"] == NONE:
                row["allocs/iter"] = 0.0625
        contender = write_json("from_zero.json", data)
        proc = compare(BASELINE, contender, "--max-increase=1000000")
        self.assertEqual(proc.returncode, 1, proc.stdout)
        self.assertEqual(table_rows(proc.stdout)[NONE][1:4],
                         ["0", "0.0625", "+0.0625"])
        self.assertIn(f"  {NONE}: allocs/iter 0 -> 0.0625 (new)",
                      proc.stdout.splitlines())

    def test_failed_benchmark_is_listed_not_gated(self):
        # What Google Benchmark writes for a benchmark that called
        # SkipWithError: no counters, no memory fields.
        with open(CONTENDER, encoding="utf-8") as f:
            data = json.load(f)
        for row in data["benchmarks"]:
            if row["name"] == STEADY:
                for field in MEMORY_FIELDS:
                    row.pop(field)
                row.update(error_occurred=True, error_message="no input")
        contender = write_json("failed.json", data)
        proc = compare(BASELINE, contender, "--filter=-Grows")
        self.assertEqual(proc.returncode, 0, proc.stdout)
        self.assertEqual(table_rows(proc.stdout)[STEADY],
                         [STEADY, "1", "-", "-", "64", "-", "-", "64", "-",
                          "-", "-", "failed in contender"])
        self.assertIn("Benchmarks: 2 compared, 1 only in baseline, 1 only in "
                      "contender, 1 failed in contender.",
                      proc.stdout.splitlines())

    def test_filter(self):
        proc = compare(BASELINE, CONTENDER, "--filter=-Grows")
        self.assertEqual(proc.returncode, 0, proc.stdout)
        expected = dict(ROWS_CHANGED)
        del expected[GROWS]
        self.assertEqual(table_rows(proc.stdout), expected)

        proc = compare(BASELINE, CONTENDER, "--filter", "Steady|NoAlloc")
        self.assertEqual(proc.returncode, 0, proc.stdout)
        self.assertEqual(list(table_rows(proc.stdout)), [STEADY, NONE])

        proc = compare(BASELINE, CONTENDER, "--filter=^BM_Grows/")
        self.assertEqual(proc.returncode, 1, proc.stdout)
        self.assertEqual(table_rows(proc.stdout), {GROWS: ROWS_CHANGED[GROWS]})

    def test_filter_matching_nothing_exits_2(self):
        proc = compare(BASELINE, CONTENDER, "--filter=NoSuchBenchmark")
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(proc.stdout, "")
        self.assertEqual(proc.stderr,
                         f"alloc_counter_compare: {BASELINE}, {CONTENDER}: "
                         "no benchmark name matches --filter\n")

    def test_markdown(self):
        proc = compare(BASELINE, CONTENDER, "--format=markdown")
        self.assertEqual(proc.returncode, 1)
        lines = [line if "only in" in line else
                 re.sub(r"\| (?:[+-]\d+\.\d%|-) \|", "| T |", line)
                 for line in proc.stdout.splitlines()]
        self.assertEqual(lines[:6], [
            "### alloc_counter: allocations, baseline → contender",
            "",
            "**1 allocation regression**: allocs/iter or bytes/iter grew by "
            "more than 0%.",
            "",
            "| Benchmark | allocs/iter | bytes/iter | peak bytes | time | |",
            "|:--|--:|--:|--:|--:|:--|",
        ])
        self.assertEqual(lines[6:12], [
            f"| `{GROWS}` | 1 → **2** (+1) | 100 → **128** (+28) | "
            "100 → **128** (+28) | T | **REGRESSION** |",
            f"| `{STEADY}` | 1 | 64 | 64 | T |  |",
            f"| `{NONE}` | 0 | 0 | 0 | T |  |",
            f"| `{REPEATED}` | 2 | 32 | 16 | T |  |",
            f"| `{REMOVED}` | 1 → - | 8 → - | 8 → - | - | only in baseline |",
            f"| `{ADDED}` | - → 1 | - → 8 | - → 8 | - | only in contender |",
        ])

    def test_json(self):
        proc = compare(BASELINE, CONTENDER, "--format=json")
        self.assertEqual(proc.returncode, 1)
        out = json.loads(proc.stdout)
        self.assertEqual(out["regressions"], [GROWS])
        self.assertEqual(out["max_increase_percent"], 0)
        by_name = {b["name"]: b for b in out["benchmarks"]}
        self.assertEqual(list(by_name), list(ROWS_CHANGED))
        grows = by_name[GROWS]
        self.assertEqual(grows["status"], "REGRESSION")
        self.assertEqual(grows["regressed"], ["allocs/iter", "bytes/iter"])
        self.assertEqual(
            {k: grows["baseline"][k] for k in
             ("allocs_per_iter", "bytes_per_iter", "peak_bytes")},
            {"allocs_per_iter": 1, "bytes_per_iter": 100, "peak_bytes": 100})
        self.assertEqual(grows["contender"]["allocs_per_iter"], 2)
        self.assertEqual(grows["delta"], {"allocs_per_iter": 1,
                                          "bytes_per_iter": 28,
                                          "peak_bytes": 28})
        self.assertEqual(grows["change_percent"]["allocs_per_iter"], 100)
        self.assertAlmostEqual(grows["change_percent"]["bytes_per_iter"], 28)
        self.assertGreater(grows["baseline"]["time_ns"], 0)
        self.assertEqual(by_name[STEADY]["status"], "unchanged")
        self.assertEqual(by_name[REPEATED]["baseline"]["repetitions"], 3)
        self.assertEqual(by_name[REMOVED]["status"], "only in baseline")
        self.assertIsNone(by_name[REMOVED]["contender"])
        self.assertEqual(by_name[ADDED]["status"], "only in contender")

    def test_native_fields_only(self):
        # What any MemoryManager writes, without alloc_counter's columns:
        # bytes/iter is total_allocated_bytes over the 16 iterations of the
        # memory run; BM_Repeated's mean aggregate has no native fields, so
        # its repetitions are averaged.
        columns = ("allocs/iter", "bytes/iter", "peak_bytes")
        base = without(BASELINE, columns, "native_baseline.json")
        cont = without(CONTENDER, columns, "native_contender.json")
        proc = compare(base, cont)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertEqual(table_rows(proc.stdout), ROWS_CHANGED)

    def test_html_report_written(self):
        out = os.path.join(TMP.name, "real.html")
        proc = compare(BASELINE, CONTENDER, f"--html={out}")
        self.assertEqual(proc.returncode, 1)
        with open(out, encoding="utf-8") as f:
            page = f.read()
        self.assertIn("allocs/iter: 1 → 2 (+1, +100.0%)", page)
        self.assertIn("bytes/iter: 100 → 128 (+28, +28.0%)", page)
        self.assertIn('class="bar cont up"', page)  # the regression, in red
        self.assertIn("<h2>" + ADDED + '<span class="badge ">only in '
                      "contender</span></h2>", page)


class BadInputTest(unittest.TestCase):
    """Exit status 2 and a message naming the file and what is wrong."""

    def assert_bad(self, args, message):
        proc = compare(*args)
        self.assertEqual(proc.returncode, 2, proc.stdout + proc.stderr)
        self.assertEqual(proc.stdout, "")
        self.assertEqual(proc.stderr, f"alloc_counter_compare: {message}\n")

    def test_missing_file(self):
        missing = os.path.join(TMP.name, "missing.json")
        self.assert_bad([missing, CONTENDER], f"{missing}: no such file")
        self.assert_bad([BASELINE, missing], f"{missing}: no such file")

    def test_not_json(self):
        path = os.path.join(TMP.name, "console.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write("BM_Grows/iterations:100   33.1 ns   20.6 ns   100\n")
        self.assert_bad([BASELINE, path],
                        f"{path}: not JSON: Expecting value at line 1, "
                        "column 1")

    def test_no_benchmarks(self):
        empty = write_json("empty.json", {"context": {}, "benchmarks": []})
        self.assert_bad([empty, CONTENDER],
                        f'{empty}: no benchmarks: its "benchmarks" list is '
                        "empty")
        other = write_json("other.json", [1, 2, 3])
        self.assert_bad([BASELINE, other],
                        f'{other}: not Google Benchmark JSON output: no '
                        '"benchmarks" list (write it with '
                        "--benchmark_out=FILE --benchmark_out_format=json)")

    def test_no_memory_fields(self):
        plain = without(CONTENDER, MEMORY_FIELDS, "plain.json")
        self.assert_bad([BASELINE, plain],
                        f"{plain}: no memory fields: no benchmark has "
                        "allocs/iter (alloc_counter's column) or "
                        "allocs_per_iter (Google Benchmark's MemoryManager "
                        "field); link the benchmark with //alloc_counter:main "
                        "or //alloc_counter")

    def test_bad_arguments_exit_2(self):
        for args in ([BASELINE], [BASELINE, CONTENDER, "--max-increase=-1"],
                     [BASELINE, CONTENDER, "--max-increase=lots"],
                     [BASELINE, CONTENDER, "--format=xml"],
                     [BASELINE, CONTENDER, "--filter=("]):
            with self.subTest(args=args[1:]):
                proc = compare(*args)
                self.assertEqual(proc.returncode, 2)
                self.assertIn("usage: alloc_counter_compare", proc.stderr)

    def assert_usage_error(self, args, message):
        proc = compare(*args)
        self.assertEqual(proc.returncode, 2, proc.stdout)
        self.assertEqual(proc.stdout, "")
        lines = proc.stderr.splitlines()
        self.assertEqual(lines[0], "usage: alloc_counter_compare [options] "
                         "BASELINE.json CONTENDER.json")
        self.assertEqual(lines[-1], f"alloc_counter_compare: error: {message}")

    def test_file_arguments(self):
        self.assert_usage_error(
            [BASELINE], "two JSON files are needed, BASELINE.json and "
            "CONTENDER.json (or --export=FORMAT and one)")
        self.assert_usage_error(
            [], "two JSON files are needed, BASELINE.json and "
            "CONTENDER.json (or --export=FORMAT and one)")
        self.assert_usage_error(["--export=bmf"],
                                "--export reads one JSON file, RUN.json")
        self.assert_usage_error(["--export=bmf", BASELINE, CONTENDER],
                                "--export reads one JSON file, RUN.json")

    def test_export_takes_no_comparison_options(self):
        for option in ("--format=json", "--html=out.html",
                       "--max-increase=5", "--allow-config-change"):
            with self.subTest(option=option):
                self.assert_usage_error(
                    ["--export=github-action-benchmark", option, CONTENDER],
                    f"--export takes no {option.split('=')[0]}")
        self.assert_usage_error(
            ["--export=csv", CONTENDER],
            "argument --export: invalid choice: 'csv' (choose from 'bmf', "
            "'github-action-benchmark')")

    def test_export_of_bad_input(self):
        missing = os.path.join(TMP.name, "missing.json")
        self.assert_bad(["--export=bmf", missing], f"{missing}: no such file")
        plain = without(CONTENDER, MEMORY_FIELDS, "plain_export.json")
        self.assert_bad(["--export=github-action-benchmark", plain],
                        f"{plain}: no memory fields: no benchmark has "
                        "allocs/iter (alloc_counter's column) or "
                        "allocs_per_iter (Google Benchmark's MemoryManager "
                        "field); link the benchmark with //alloc_counter:main "
                        "or //alloc_counter")
        self.assert_bad(["--export=bmf", "--filter=NoSuchBenchmark",
                         CONTENDER],
                        f"{CONTENDER}: no benchmark name matches --filter")

    def test_help_says_the_limit_is_relative(self):
        proc = compare("--help")
        self.assertEqual(proc.returncode, 0)
        text = " ".join(proc.stdout.split())
        self.assertIn("relative to the baseline's value, in percent", text)
        self.assertIn("Default 0: any increase fails", text)


class SitesFixtureTest(unittest.TestCase):
    """A hand-written JSON with alloc_sites and size histograms, and times,
    so that the whole table is known."""

    def test_whole_table(self):
        proc = compare(SITES_BASELINE, SITES_CONTENDER)
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(proc.stdout.splitlines()[2:], [
            "-" * 76,
            "             allocs/iter       bytes/iter       peak bytes    "
            "time",
            "Benchmark  old  new  delta  old  new  delta  old  new  delta  "
            "change  status",
            "-" * 76,
            "BM_Parse     3    4     +1  240  288    +48  160  208    +48  "
            "+10.0%  REGRESSION",
            "BM_Lookup    1    1      0  100  100      0  100  100      0  "
            "-10.0%",
            "BM_Odd       1    1      0   16   16      0   16   16      0   "
            "+0.0%",
            "-" * 76,
            "1 regression: allocs/iter or bytes/iter grew by more than 0% "
            "(--max-increase):",
            "  BM_Parse: allocs/iter 3 -> 4 (+33.3%), bytes/iter 240 -> 288 "
            "(+20.0%)",
            "    change    allocs/iter  bytes/iter  allocation site",
            "    appeared       0 -> 1     0 -> 48  std::basic_string<…>::"
            "_M_create at basic_string.tcc:141",
            " " * 41 + "called from Parser::Intern(…) at parser.cc:88",
            " " * 41 + "called from Parser::Parse(…) at parser.cc:17",
            "Benchmarks: 3 compared.",
            "Time: cpu_time (real_time for /real_time), for context; not "
            "gated.",
        ])

    def test_html_has_sites_and_histogram(self):
        proc, page = compare_html(SITES_BASELINE, SITES_CONTENDER,
                                  "sites.html")
        self.assertEqual(proc.returncode, 1)
        # Sites matched by their frames, the new one marked; each frame a
        # line of its short name and where it is, its full name the title.
        self.assertIn('<td class="frame"><span class="tag">new</span><div '
                      'class="fl" title="std::__cxx11::basic_string&lt;char&gt;'
                      '::_M_create\nat /usr/include/c++/12/bits/'
                      'basic_string.tcc:141"><span class="fn">'
                      "std::basic_string&lt;…&gt;::_M_create</span> "
                      '<span class="at">at basic_string.tcc:141</span></div>',
                      page)
        self.assertIn('<div class="fl" title="Parser::Intern(std::string_view)'
                      '\nat parser.cc:88"><span class="fn">Parser::Intern(…)'
                      '</span> <span class="at">at parser.cc:88</span></div>',
                      page)
        self.assertIn('title="std::vector&lt;Token&gt;::_M_realloc_insert\nat '
                      '/usr/include/c++/12/bits/vector.tcc:445"', page)
        # Size histograms as alloc_counter writes them: a row a bucket, with
        # the figures of both runs.
        self.assertIn('<span class="side">1–64 B</span>', page)
        self.assertIn('<span class="val">1 → 2</span>', page)
        lookup = page[page.index('id="b-BM_Lookup"'):
                      page.index('id="b-BM_Odd"')]
        self.assertIn('<span class="side">65–128 B</span>', lookup)
        # What is not understood (BM_Odd's histogram is a string) is said,
        # not fatal.
        odd = page[page.index('id="b-BM_Odd"'):]
        self.assertIn("size histogram present but not understood.", odd)
        self.assertIn("(no frames)", page)
        self.assertIn("none recorded.", page)

    def test_html_is_self_contained(self):
        for baseline, contender in ((SITES_BASELINE, SITES_CONTENDER),
                                    (STACKS_BASELINE, STACKS_CONTENDER)):
            _, page = compare_html(baseline, contender, "self_contained.html")
            page = page.lower()
            for needle in ("http:", "https:", "//cdn", "<link", " src=",
                           "url(", "@import", "@font-face"):
                self.assertNotIn(needle, page)


class StacksFixtureTest(unittest.TestCase):
    """A hand-written JSON with alloc_stacks and template-heavy names; the
    page's flame graph is checked rendered, in html_test.py."""

    def test_whole_table(self):
        proc = compare(STACKS_BASELINE, STACKS_CONTENDER)
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(proc.stdout.splitlines()[6:8], [
            "BM_Dump      6    6      0    288  508.5  +220.5   2048   2048  "
            "    0  +10.0%  REGRESSION",
            "BM_Sizes    14   16     +2  16383  24575   +8192  16384  16384  "
            "    0  +10.0%  REGRESSION",
        ])

    def test_html_embeds_the_stacks_as_json(self):
        proc, page = compare_html(STACKS_BASELINE, STACKS_CONTENDER,
                                  "stacks.html")
        self.assertEqual(proc.returncode, 1)
        start = page.index('<script type="application/json" class="fg-data">')
        data = page[page.index(">", start) + 1:page.index("</script>", start)]
        # Nothing in it ends the <script> element early.
        self.assertNotIn("<", data)
        trees = json.loads(data)
        self.assertEqual(sorted(trees), ["baseline", "contender"])
        root = trees["contender"]["root"]
        self.assertEqual((root["n"], root["ai"], root["bi"]),
                         ("BM_Dump", "6", "508.5"))
        # Only BM_Dump has stacks.
        self.assertEqual(page.count('class="fg-data"'), 1)

    def test_stacks_not_understood_are_said(self):
        with open(STACKS_CONTENDER, encoding="utf-8") as f:
            data = json.load(f)
        data["benchmarks"][0]["alloc_stacks"] = {"iterations": 0}
        contender = write_json("bad_stacks.json", data)
        proc, page = compare_html(STACKS_BASELINE, contender,
                                  "bad_stacks.html")
        self.assertEqual(proc.returncode, 1, proc.stderr)
        # The baseline's stacks are drawn alone.
        self.assertIn("The baseline&#x27;s stacks; the other run&#x27;s "
                      "alloc_stacks is not understood.", page)
        data["benchmarks"][0]["alloc_stacks"] = "not stacks"
        write_json("bad_stacks.json", data)
        _, page = compare_html(contender, contender, "bad_stacks.html")
        self.assertIn("alloc_stacks present but not understood.", page)


class ExportTest(unittest.TestCase):
    """--export: the contender's figures for Bencher and for
    github-action-benchmark, checked against each format's rules."""

    # allocs/iter, bytes/iter and peak bytes of the contender's benchmarks.
    FIGURES = {GROWS: (2, 128, 128), STEADY: (1, 64, 64), NONE: (0, 0, 0),
               REPEATED: (2, 32, 16), ADDED: (1, 8, 8)}

    def export(self, export_format, path, *args):
        proc = compare(f"--export={export_format}", path, *args)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stderr, "")
        return json.loads(proc.stdout)

    def test_bmf(self):
        data = self.export("bmf", CONTENDER)
        self.assertEqual(bmf_errors(data), [])
        self.assertEqual(data, {
            name: {"allocs-per-iter": {"value": a},
                   "bytes-per-iter": {"value": b},
                   "peak-bytes": {"value": p}}
            for name, (a, b, p) in self.FIGURES.items()})
        self.assertEqual(list(data), list(self.FIGURES))  # in file order

    def test_github_action_benchmark(self):
        data = self.export("github-action-benchmark", CONTENDER)
        self.assertEqual(custom_smaller_is_better_errors(data), [])
        self.assertEqual(data, [
            entry for name, (a, b, p) in self.FIGURES.items()
            for entry in (
                {"name": f"{name} - allocs/iter", "unit": "allocs/iter",
                 "value": a},
                {"name": f"{name} - bytes/iter", "unit": "bytes/iter",
                 "value": b},
                {"name": f"{name} - peak bytes", "unit": "bytes",
                 "value": p})])

    def test_whole_numbers_have_no_fraction(self):
        text = compare("--export=bmf", CONTENDER).stdout
        self.assertIn('"value": 128\n', text)
        self.assertNotIn(".0", text)

    def test_iteration_rows_only(self):
        # An aggregate that says otherwise is not read, a fraction is
        # kept, and a failed benchmark is left out.
        data = load_json(CONTENDER)
        for row in data["benchmarks"]:
            if row["name"] == f"{REPEATED}_mean":
                row["allocs/iter"] = 99
            if row["name"] == GROWS:
                row["allocs/iter"] = 0.0625
            if row["name"] == STEADY:
                row.update(error_occurred=True, error_message="no input")
        path = write_json("export_rows.json", data)
        bmf = self.export("bmf", path)
        self.assertEqual(bmf_errors(bmf), [])
        self.assertEqual(list(bmf), [GROWS, NONE, REPEATED, ADDED])
        self.assertEqual(bmf[REPEATED]["allocs-per-iter"], {"value": 2})
        self.assertEqual(bmf[GROWS]["allocs-per-iter"], {"value": 0.0625})

    def test_filter(self):
        data = self.export("github-action-benchmark", CONTENDER,
                           "--filter=Steady")
        self.assertEqual([e["name"] for e in data],
                         [f"{STEADY} - allocs/iter", f"{STEADY} - bytes/iter",
                          f"{STEADY} - peak bytes"])

    def test_the_checks_find_what_breaks_the_formats(self):
        for bad in ([], {"b": {}}, {"b": {"Allocs/Iter": {"value": 1}}},
                    {"b": {"allocs": {"value": "1"}}},
                    {"b": {"allocs": {"value": True}}},
                    {"b": {"allocs": {"value": 1, "unit": "x"}}},
                    {"b": {"allocs": {"value": 1, "lower_value": None}}}):
            with self.subTest(bad=bad):
                self.assertNotEqual(bmf_errors(bad), [])
        self.assertEqual(bmf_errors(
            {"b": {"allocs": {"value": 1.5, "lower_value": 1,
                              "upper_value": 2}}}), [])
        entry = {"name": "b", "unit": "allocs/iter", "value": 1}
        for bad in ({}, [1], [dict(entry, value="1")], [dict(entry, unit=1)],
                    [{"name": "b", "value": 1}], [entry, entry],
                    [dict(entry, range=5)], [dict(entry, other="x")]):
            with self.subTest(bad=bad):
                self.assertNotEqual(custom_smaller_is_better_errors(bad), [])
        self.assertEqual(custom_smaller_is_better_errors(
            [dict(entry, range="± 1", extra="x")]), [])


class ConfigTest(unittest.TestCase):
    """Runs counted differently: the context fields of how a run counts,
    on the hand-written site_diff_* JSON (written by the same version,
    counted alike but for the number of sites, 5 and 10)."""

    def test_same_counting_and_other_sites_setting_compare_silently(self):
        proc = compare(DIFF_BASELINE, DIFF_CONTENDER)
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(proc.stderr, "")

    def test_counting_differently_exits_2(self):
        for field, old, new, what in (
                ("alloc_counter_mode", "memory_run", "timed",
                 "the counting mode"),
                ("alloc_counter_paused", "exclude", "include",
                 "the paused policy"),
                ("alloc_counter_c_allocator", "not counted", "counted",
                 "the C-allocator setting")):
            with self.subTest(field=field):
                contender = with_context(DIFF_CONTENDER, "counted.json",
                                         **{field: new})
                proc = compare(DIFF_BASELINE, contender)
                self.assertEqual(proc.returncode, 2)
                self.assertEqual(proc.stdout, "")
                self.assertEqual(proc.stderr, differs(
                    what, field, old, new, contender, NOT_COMPARED) + "\n")

    def test_each_difference_is_a_line(self):
        contender = with_context(DIFF_CONTENDER, "timed.json",
                                 alloc_counter_mode="timed",
                                 alloc_counter_c_allocator="counted",
                                 library_version="v1.8.3")
        proc = compare(DIFF_BASELINE, contender)
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(proc.stderr.splitlines(), [
            differs("warning: the Google Benchmark version",
                    "library_version", "v1.7.1", "v1.8.3", contender),
            differs("the counting mode", "alloc_counter_mode", "memory_run",
                    "timed", contender, NOT_COMPARED),
            differs("the C-allocator setting", "alloc_counter_c_allocator",
                    "not counted", "counted", contender, NOT_COMPARED),
        ])

    def test_allow_config_change_compares_and_says_so(self):
        contender = with_context(DIFF_CONTENDER, "timed.json",
                                 alloc_counter_mode="timed")
        proc = compare(DIFF_BASELINE, contender, "--allow-config-change")
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(proc.stderr, differs(
            "warning: the counting mode", "alloc_counter_mode", "memory_run",
            "timed", contender, "; compared as --allow-config-change allows")
            + "\n")
        self.assertEqual(proc.stdout.splitlines()[:2],
                         [f"baseline:  {DIFF_BASELINE}",
                          f"contender: {contender}"])
        # Runs counted alike: the option changes nothing.
        proc = compare(DIFF_BASELINE, DIFF_BASELINE, "--allow-config-change")
        self.assertEqual((proc.returncode, proc.stderr), (0, ""))

    def test_other_versions_warn_and_keep_the_status(self):
        contender = with_context(DIFF_BASELINE, "versions.json",
                                 library_version="v1.8.3",
                                 alloc_counter_version="0.2.0")
        proc = compare(DIFF_BASELINE, contender)
        self.assertEqual(proc.returncode, 0)
        self.assertEqual(proc.stderr.splitlines(), [
            differs("warning: the Google Benchmark version",
                    "library_version", "v1.7.1", "v1.8.3", contender),
            differs("warning: the alloc_counter version",
                    "alloc_counter_version", "0.1.0", "0.2.0", contender),
        ])

    def test_a_field_in_one_file_only_warns(self):
        older = with_context(DIFF_CONTENDER, "older.json",
                             alloc_counter_mode=None, library_version=None)
        for args, has, lacks in (((DIFF_BASELINE, older), DIFF_BASELINE,
                                  older),
                                 ((older, DIFF_BASELINE), DIFF_BASELINE,
                                  older)):
            with self.subTest(args=args):
                proc = compare(*args)
                self.assertIn(proc.returncode, (0, 1))
                self.assertEqual(proc.stderr.splitlines(), [
                    "alloc_counter_compare: warning: cannot tell whether the "
                    "counting mode is the same: alloc_counter_mode is "
                    f'"memory_run" in {has} but missing in {lacks}',
                    "alloc_counter_compare: warning: cannot tell whether the "
                    "Google Benchmark version is the same: library_version "
                    f'is "v1.7.1" in {has} but missing in {lacks}',
                ])
        proc = compare(DIFF_BASELINE, older)
        self.assertEqual(proc.returncode, 1)

    def test_fields_missing_in_both_say_nothing(self):
        proc = compare(SITES_BASELINE, SITES_CONTENDER)
        self.assertEqual((proc.returncode, proc.stderr), (1, ""))

    def test_a_context_that_is_not_an_object(self):
        data = load_json(SITES_CONTENDER)
        data["context"] = ["not", "a", "context"]
        odd = write_json("odd_context.json", data)
        proc = compare(SITES_BASELINE, odd)
        self.assertEqual((proc.returncode, proc.stderr), (1, ""))


class SiteDiffFixtureTest(unittest.TestCase):
    """Hand-written JSON whose sites moved (an edit above them), appeared,
    grew, shrank and vanished, with an "other" entry, and frames with and
    without "short" names."""

    def test_text(self):
        proc = compare(DIFF_BASELINE, DIFF_CONTENDER)
        self.assertEqual(proc.returncode, 1)
        lines = proc.stdout.splitlines()
        start = lines.index("4 regressions: allocs/iter or bytes/iter grew by "
                            "more than 0% (--max-increase):")
        self.assertEqual(lines[start + 1:], [
            # Both sites moved 3 lines down: the one whose figures are the
            # same is not listed, the other is one site that grew.
            "  BM_Moved: allocs/iter 3 -> 4 (+33.3%), bytes/iter 240 -> 320 "
            "(+33.3%)",
            "    change  allocs/iter  bytes/iter  allocation site",
            "    grew         2 -> 3  160 -> 240  Parser::Tokenize(…) at "
            "parser.cc:45",
            " " * 39 + "called from Parser::Parse(…) at parser.cc:20",
            # Two sites in one function moved, and a third is new.
            "  BM_TwoInOne: allocs/iter 2 -> 3 (+50.0%), bytes/iter 48 -> 56 "
            "(+16.7%)",
            "    change    allocs/iter  bytes/iter  allocation site",
            "    appeared       0 -> 1      0 -> 8  Fill(…) at fill.cc:17",
            # Appeared and grew, then shrank and vanished, the largest
            # change of allocs/iter first, then of bytes/iter.
            "  BM_Mixed: bytes/iter 216 -> 334 (+54.6%)",
            "    change    allocs/iter  bytes/iter  allocation site",
            "    appeared       0 -> 2     0 -> 16  A::Five(…) at a.cc:5",
            "    grew           2 -> 3    64 -> 96  A::One(…) at a.cc:1",
            "    grew           1 -> 1  100 -> 200  A::Two(…) at a.cc:2",
            "    shrank         4 -> 1    40 -> 10  A::Three(…) at a.cc:3",
            "    vanished       1 -> 0      8 -> 0  A::Four(…) at a.cc:4",
            "    other        0.5 -> 1     4 -> 12  other (2 -> 3 sites)",
            # Sites in one run only: nothing to compare.
            "  BM_OneSided: allocs/iter 1 -> 2 (+100.0%), bytes/iter 16 -> 32 "
            "(+100.0%)",
            "Benchmarks: 5 compared.",
            "Time: cpu_time (real_time for /real_time), for context; not "
            "gated.",
        ])

    def test_a_moved_site_with_the_same_figures_is_no_change(self):
        data = load_json(DIFF_CONTENDER)
        moved = data["benchmarks"][0]
        self.assertEqual(moved["name"], "BM_Moved")
        moved["alloc_sites"][0].update(allocs_per_iter=2, bytes_per_iter=160)
        path = write_json("moved_only.json", data)
        proc = compare(DIFF_BASELINE, path, "--filter=BM_Moved")
        self.assertEqual(proc.returncode, 1)
        lines = proc.stdout.splitlines()
        start = lines.index("  BM_Moved: allocs/iter 3 -> 4 (+33.3%), "
                            "bytes/iter 240 -> 320 (+33.3%)")
        self.assertEqual(lines[start + 1],
                         "    allocation sites: none changed")
        out = json.loads(compare(DIFF_BASELINE, path, "--filter=BM_Moved",
                                 "--format=json").stdout)
        self.assertEqual(out["benchmarks"][0]["site_changes"], [])
        lines = compare(DIFF_BASELINE, path, "--filter=BM_Moved",
                        "--format=markdown").stdout.splitlines()
        start = lines.index("#### Allocation sites of `BM_Moved` that changed")
        self.assertEqual(lines[start + 1:start + 4], ["", "None.", ""])

    def test_markdown(self):
        proc = compare(DIFF_BASELINE, DIFF_CONTENDER, "--format=markdown")
        self.assertEqual(proc.returncode, 1)
        lines = proc.stdout.splitlines()
        start = lines.index("#### Allocation sites of `BM_Moved` that changed")
        self.assertEqual(lines[start:start + 6], [
            "#### Allocation sites of `BM_Moved` that changed",
            "",
            "| change | allocs/iter | bytes/iter | allocation site |",
            "|:--|--:|--:|:--|",
            "| grew | 2 → 3 | 160 → 240 | `Parser::Tokenize(…)` at "
            "`parser.cc:45`<br>called from `Parser::Parse(…)` at "
            "`parser.cc:20` |",
            "",
        ])
        start = lines.index("#### Allocation sites of `BM_Mixed` that changed")
        self.assertEqual(lines[start + 4:start + 11], [
            "| appeared | 0 → 2 | 0 → 16 | `A::Five(…)` at `a.cc:5` |",
            "| grew | 2 → 3 | 64 → 96 | `A::One(…)` at `a.cc:1` |",
            "| grew | 1 → 1 | 100 → 200 | `A::Two(…)` at `a.cc:2` |",
            "| shrank | 4 → 1 | 40 → 10 | `A::Three(…)` at `a.cc:3` |",
            "| vanished | 1 → 0 | 8 → 0 | `A::Four(…)` at `a.cc:4` |",
            "| other | 0.5 → 1 | 4 → 12 | other (2 → 3 sites) |",
            "",
        ])
        self.assertEqual(sum(line.startswith("#### ") for line in lines), 3)

    def test_json(self):
        proc = compare(DIFF_BASELINE, DIFF_CONTENDER, "--format=json")
        self.assertEqual(proc.returncode, 1)
        by_name = {b["name"]: b for b in json.loads(proc.stdout)["benchmarks"]}

        def frame(function, short, line, path="src/parser.cc"):
            return {"function": function, "short": short, "file": path,
                    "line": line}

        self.assertEqual(by_name["BM_Moved"]["site_changes"], [{
            "status": "grew",
            "frames": [frame("Parser::Tokenize(std::string_view)",
                             "Parser::Tokenize(…)", 45),
                       frame("Parser::Parse(std::string_view)",
                             "Parser::Parse(…)", 20)],
            "baseline": {"allocs_per_iter": 2, "bytes_per_iter": 160},
            "contender": {"allocs_per_iter": 3, "bytes_per_iter": 240},
        }])
        self.assertEqual(by_name["BM_TwoInOne"]["site_changes"], [{
            "status": "appeared",
            "frames": [frame("Fill(std::vector<int>&)", "Fill(…)", 17,
                             "src/fill.cc")],
            "baseline": {"allocs_per_iter": 0, "bytes_per_iter": 0},
            "contender": {"allocs_per_iter": 1, "bytes_per_iter": 8},
        }])
        mixed = by_name["BM_Mixed"]
        self.assertEqual(
            [(s["status"], [f["function"] for f in s["frames"]],
              s["baseline"]["allocs_per_iter"],
              s["contender"]["allocs_per_iter"],
              s["baseline"]["bytes_per_iter"],
              s["contender"]["bytes_per_iter"])
             for s in mixed["site_changes"]],
            [("appeared", ["A::Five(int)"], 0, 2, 0, 16),
             ("grew", ["A::One(int)"], 2, 3, 64, 96),
             ("grew", ["A::Two(int)"], 1, 1, 100, 200),
             ("shrank", ["A::Three(int)"], 4, 1, 40, 10),
             ("vanished", ["A::Four(int)"], 1, 0, 8, 0)])
        self.assertEqual(mixed["other_sites_change"], {
            "status": "grew",
            "baseline": {"other_sites": 2, "allocs_per_iter": 0.5,
                         "bytes_per_iter": 4},
            "contender": {"other_sites": 3, "allocs_per_iter": 1,
                          "bytes_per_iter": 12},
        })
        self.assertIsNone(by_name["BM_OneSided"]["site_changes"])
        self.assertIsNone(by_name["BM_Better"]["site_changes"])  # improved

    def test_html_uses_the_same_matching(self):
        proc, page = compare_html(DIFF_BASELINE, DIFF_CONTENDER,
                                  "site_diff.html")
        self.assertEqual(proc.returncode, 1)
        moved = page[page.index('id="b-BM_Moved"'):
                     page.index('id="b-BM_TwoInOne"')]
        # Two rows, neither new nor gone: the moved sites, at their new
        # lines, with the figures of both runs.
        self.assertEqual(moved.count('<td class="frame">'), 2)
        self.assertNotIn('class="tag"', moved)
        self.assertIn('<span class="at">at parser.cc:22</span></div></td>'
                      "<td>1</td><td>1</td><td>80</td><td>80</td>", moved)
        two = page[page.index('id="b-BM_TwoInOne"'):
                   page.index('id="b-BM_Mixed"')]
        self.assertEqual(two.count('<td class="frame">'), 3)
        self.assertEqual(two.count('<span class="tag">new</span>'), 1)
        self.assertIn('<tr class="up"><td class="frame"><span class="tag">new'
                      '</span><div class="fl" title="Fill(std::vector&lt;int'
                      '&gt;&amp;)\nat src/fill.cc:17">', two)


def setUpModule():
    global TMP, BASELINE, CONTENDER
    TMP = tempfile.TemporaryDirectory()
    BASELINE = run_benchmark(BASELINE_BIN,
                             os.path.join(TMP.name, "baseline.json"))
    CONTENDER = run_benchmark(CONTENDER_BIN,
                              os.path.join(TMP.name, "contender.json"))


def tearDownModule():
    TMP.cleanup()


if __name__ == "__main__":
    (TOOL, BASELINE_BIN, CONTENDER_BIN, SITES_BASELINE, SITES_CONTENDER,
     STACKS_BASELINE, STACKS_CONTENDER, SOURCE, DIFF_BASELINE,
     DIFF_CONTENDER) = map(os.path.abspath, sys.argv[1:11])
    del sys.argv[1:11]
    unittest.main()
