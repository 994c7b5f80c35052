#!/usr/bin/env python3
# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Measures what alloc_counter's hooks cost and writes docs/performance.md.

Builds //benchmarks/overhead and //benchmarks, then, on this machine:

  1. runs the overhead microbenchmarks (benchmarks/overhead/
     overhead_benchmark.cc) in four configurations, alternated over several
     rounds so that they share the machine's noise:
       plain   Google Benchmark without alloc_counter,
       idle    alloc_counter linked, default mode (timed runs not counted),
       active  alloc_counter with --alloc_counter_mode=timed,
       naive   a global-std::atomic counter in operator new/delete;
     each run uses --benchmark_repetitions with random interleaving, and the
     table shows medians of CPU time per iteration;
  2. counts instructions (valgrind --tool=callgrind) per iteration of each
     single-threaded workload in the four configurations: two runs with
     fixed iteration counts (ALLOC_COUNTER_ITERATIONS) whose
     difference is exact;
  3. runs the plain build under heaptrack and valgrind --tool=dhat;
  4. times whole runs of the four demo benchmark binaries (the flags of
     tools/run_demo.sh) linked with //alloc_counter:main and with
     benchmark_main, alternated;
and replaces the generated part of docs/performance.md (between the
BEGIN/END GENERATED markers) with the tables, the machine, the date and the
command. The hand-written text around the markers is kept.

Usage:
  tools/perf_table.py                full run (7–8 minutes on 2 cores),
                                     writes docs/performance.md
  tools/perf_table.py --quick        one short pass of everything, as a
                                     smoke test of this script; prints the
                                     generated part instead of writing it
  --out FILE                         write the generated document to FILE
  --rounds N                         rounds of the timing phase (default 90)
  --bazel 'bazel --output_base=DIR'  how to call Bazel
  --keep DIR                         keep the raw JSON and tool output

valgrind and heaptrack come from Debian's packages of those names
(apt-get install valgrind heaptrack); without them their columns read n/a.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from perf_report import CONFIGS
from perf_report import DEMO_FLAGS
from perf_report import DEMOS
from perf_report import DOC
from perf_report import ROOT
from perf_report import SINGLE_THREADED
from perf_report import Stats
from perf_report import WORKLOADS
from perf_report import generate
from perf_report import load_average
from perf_report import median
from perf_report import write_doc

def log(*args):
    print("perf_table:", *args, file=sys.stderr, flush=True)


def run(cmd, **kwargs):
    return subprocess.run(cmd, check=True, **kwargs)


class Machine:
    """What the figures were measured on."""

    def __init__(self):
        self.model = "unknown CPU"
        self.mhz = float("nan")
        mhz = []
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                key, value = key.strip(), value.strip()
                if key == "model name":
                    self.model = value
                elif key == "cpu MHz":
                    mhz.append(float(value))
        if mhz:
            self.mhz = statistics.mean(mhz)
        self.cpus = os.cpu_count()
        self.kernel = platform.release()
        self.os = "Linux"
        try:
            with open("/etc/os-release") as f:
                for line in f:
                    if line.startswith("PRETTY_NAME="):
                        self.os = line.split("=", 1)[1].strip().strip('"')
        except OSError:
            pass
        self.compiler = first_line(["g++", "--version"])
        self.benchmark = package_version("libbenchmark-dev")
        self.glibc = package_version("libc6")
        self.valgrind = first_line(["valgrind", "--version"])
        self.heaptrack = first_line(["heaptrack", "--version"])

    @property
    def ghz(self):
        return self.mhz / 1000.0


def first_line(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True,
                             check=False).stdout
    except OSError:
        return None
    return out.splitlines()[0].strip() if out.strip() else None


def package_version(package):
    return first_line(["dpkg-query", "-W", "-f=${Version}", package])


class Binaries:
    """Paths of the built binaries."""

    def __init__(self, bazel):
        targets = ["//benchmarks/overhead:all", "//benchmarks:all"]
        log("building", " ".join(targets))
        # --symlink_prefix=/: leave the workspace's bazel-* symlinks alone.
        run(bazel + ["build", "--symlink_prefix=/"] + targets, cwd=ROOT)
        bin_dir = subprocess.run(bazel + ["info", "bazel-bin"], cwd=ROOT,
                                 check=True, capture_output=True,
                                 text=True).stdout.strip()
        self.bin_dir = bin_dir
        overhead = os.path.join(bin_dir, "benchmarks", "overhead")
        self.overhead = {
            "plain": [os.path.join(overhead, "overhead_plain")],
            "idle": [os.path.join(overhead, "overhead_alloc_counter")],
            "active": [os.path.join(overhead, "overhead_alloc_counter"),
                       "--alloc_counter_mode=timed"],
            "naive": [os.path.join(overhead, "overhead_naive_atomic")],
        }
        self.demo = {
            "alloc_counter": [
                os.path.join(bin_dir, "benchmarks", d + "_benchmark")
                for d in DEMOS
            ],
            "plain": [
                os.path.join(overhead, d + "_benchmark_plain") for d in DEMOS
            ],
        }


def benchmark_rows(json_path):
    """{name: [row, ...]} of the iteration rows of a JSON result file."""
    with open(json_path) as f:
        data = json.load(f)
    rows = {}
    for b in data["benchmarks"]:
        if b.get("run_type", "iteration") != "iteration":
            continue
        if b.get("error_occurred"):
            raise RuntimeError("%s: %s" % (b["name"], b.get("error_message")))
        assert b["time_unit"] == "ns", b
        rows.setdefault(b["run_name"], []).append(b)
    return rows


def run_benchmark(cmd, json_path, flags, env=None, prefix=()):
    """Runs a benchmark binary, its JSON to json_path; returns its rows."""
    full = list(prefix) + cmd + flags + [
        "--benchmark_out=" + json_path, "--benchmark_out_format=json",
        "--benchmark_format=console", "--benchmark_color=false"
    ]
    run(full, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return benchmark_rows(json_path)


def filter_regex(names):
    return "^(%s)$" % "|".join(re.escape(n) for n in names)


def timing_phase(binaries, args, work):
    """samples[config][workload] = [(round, cpu_ns), ...]; also allocs/iter."""
    samples = {c: {w: [] for w, _ in WORKLOADS} for c in CONFIGS}
    allocs = {}
    flags = [
        "--benchmark_filter=" + filter_regex([w for w, _ in WORKLOADS]),
        "--benchmark_repetitions=%d" % args.repetitions,
        "--benchmark_enable_random_interleaving=true",
        "--benchmark_min_time=%g" % args.min_time,
    ]
    for r in range(args.rounds):
        # Rotate the order every round, so that no configuration always
        # follows the same one.
        order = CONFIGS[r % len(CONFIGS):] + CONFIGS[:r % len(CONFIGS)]
        log("timing round %d/%d (%s), load %s" %
            (r + 1, args.rounds, " ".join(order), load_average()))
        for config in order:
            path = os.path.join(work, "time_%s_%d.json" % (config, r))
            rows = run_benchmark(binaries.overhead[config], path, flags)
            for w, _ in WORKLOADS:
                if w not in rows:
                    raise RuntimeError("%s printed no row %s" % (config, w))
                for row in rows[w]:
                    samples[config][w].append((r, row["cpu_time"]))
                    if config == "active":
                        allocs[w] = row["allocs/iter"]
    return samples, allocs


def callgrind_phase(binaries, args, work):
    """ir[config][workload] = instructions per iteration, or None."""
    if not shutil.which("valgrind"):
        log("valgrind not installed: no instruction counts")
        return None
    n1, n2 = args.callgrind_iterations
    workloads = SINGLE_THREADED if not args.quick else SINGLE_THREADED[1:2]
    ir = {c: {} for c in CONFIGS}
    for config in CONFIGS:
        for w in workloads:
            totals = []
            for n in (n1, n2):
                env = dict(os.environ,
                           ALLOC_COUNTER_ITERATIONS=str(n))
                out = os.path.join(work, "callgrind_%s_%s_%d.out" %
                                   (config, w.replace("/", "_"), n))
                flags = ["--benchmark_filter=^%s/iterations:%d$" %
                         (re.escape(w), n)]
                cmd = ["valgrind", "--tool=callgrind",
                       "--callgrind-out-file=" + out]
                res = subprocess.run(cmd + binaries.overhead[config] + flags,
                                     env=env, capture_output=True, text=True)
                m = re.search(r"Collected : (\d+)", res.stderr)
                if res.returncode != 0 or not m or w not in res.stdout:
                    raise RuntimeError("callgrind %s %s failed:\n%s%s" %
                                       (config, w, res.stdout, res.stderr))
                totals.append(int(m.group(1)))
            ir[config][w] = (totals[1] - totals[0]) / float(n2 - n1)
        log("callgrind %s done" % config)
    return ir


def tool_phase(binaries, args, work, tool):
    """{workload: cpu ns per iteration} of the plain build under a tool."""
    if tool == "heaptrack":
        if not shutil.which("heaptrack"):
            log("heaptrack not installed: no heaptrack column")
            return None
        prefix = ["heaptrack", "-o", os.path.join(work, "heaptrack")]
    else:
        if not shutil.which("valgrind"):
            return None
        prefix = ["valgrind", "--tool=dhat",
                  "--dhat-out-file=" + os.path.join(work, "dhat.out")]
    log("running the plain build under %s" % tool)
    flags = [
        "--benchmark_filter=" + filter_regex([w for w, _ in WORKLOADS]),
        "--benchmark_min_time=%g" % args.tool_min_time,
        "--benchmark_repetitions=%d" % args.tool_repetitions,
    ]
    rows = run_benchmark(binaries.overhead["plain"],
                         os.path.join(work, tool + ".json"), flags,
                         prefix=prefix)
    return {w: median([r["cpu_time"] for r in rows[w]]) for w, _ in WORKLOADS}


def demo_phase(binaries, args):
    """walls[variant] = [(round, seconds), ...] of whole demo runs."""
    walls = {"plain": [], "alloc_counter": []}
    for r in range(args.demo_rounds):
        order = ["plain", "alloc_counter"]
        if r % 2:
            order.reverse()
        for variant in order:
            start = time.perf_counter()
            for binary in binaries.demo[variant]:
                run([binary] + args.demo_flags, stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL)
            walls[variant].append((r, time.perf_counter() - start))
        log("demo round %d/%d: alloc_counter/plain %.3f" %
            (r + 1, args.demo_rounds,
             walls["alloc_counter"][-1][1] / walls["plain"][-1][1]))
    return walls


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="one short pass, as a smoke test")
    parser.add_argument("--out", help="where to write the document")
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--bazel", default=os.environ.get("BAZEL", "bazel"))
    parser.add_argument("--keep", help="directory for the raw results")
    args = parser.parse_args()
    command = " ".join(["tools/perf_table.py"] +
                       [shlex.quote(a) for a in sys.argv[1:]])

    if args.quick:
        args.rounds = args.rounds or 1
        args.repetitions, args.min_time = 1, 0.001
        args.callgrind_iterations = (100, 300)
        args.tool_min_time, args.tool_repetitions = 0.001, 1
        args.demo_rounds = 1
        args.demo_flags = ["--benchmark_min_time=0.001"]
    else:
        args.rounds = args.rounds or 90
        args.repetitions, args.min_time = 2, 0.03
        args.callgrind_iterations = (10000, 60000)
        args.tool_min_time, args.tool_repetitions = 0.05, 3
        args.demo_rounds = 10
        args.demo_flags = DEMO_FLAGS
    out = args.out or (None if args.quick else DOC)

    started = datetime.datetime.now(datetime.timezone.utc)
    args.load_start = load_average()
    bazel = shlex.split(args.bazel)
    binaries = Binaries(bazel)
    args.binaries = binaries
    machine = Machine()

    work = args.keep or tempfile.mkdtemp(prefix="perf_table.")
    os.makedirs(work, exist_ok=True)
    try:
        samples, allocs = timing_phase(binaries, args, work)
        stats = Stats(samples)
        walls = demo_phase(binaries, args)
        ir = callgrind_phase(binaries, args, work)
        heaptrack = tool_phase(binaries, args, work, "heaptrack")
        dhat = tool_phase(binaries, args, work, "dhat")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    generated = generate(machine, stats, allocs, ir, heaptrack, dhat, walls,
                         args, command, started)
    if out is None:
        sys.stdout.write(generated)
    else:
        write_doc(out, generated)
        log("wrote", os.path.relpath(out, ROOT) if out == DOC else out)
    log("took %.0f s" %
        (datetime.datetime.now(datetime.timezone.utc) - started)
        .total_seconds())


if __name__ == "__main__":
    main()
