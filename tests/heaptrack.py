# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""heaptrack's count of allocation calls and of the bytes they requested, for
the tests that check alloc_counter's figures against it
(reliability/heaptrack_test.py and reliability/c_alloc_test.py).

`record()` runs a command under heaptrack and returns a Recording: the line
"calls to allocation functions" of `heaptrack_print`, and the bytes of the
size histogram it writes (`--print-histogram`: each requested size and how
many allocations asked for it, exact where its summary rounds to K and M).
`benchmark_recording()` runs one benchmark so, and returns alloc_counter's
JSON row beside it.

Only one heaptrack run at a time, machine-wide: the `heaptrack` launcher
passes its data through a named pipe, /tmp/heaptrack_fifo<the launcher's
PID>. Bazel's sandbox starts every test in a PID namespace of its own, where
PIDs count from 1 again, but /tmp is the machine's. Two tests that run
heaptrack at the same time then get the same PIDs, open the same pipe
("mkfifo: cannot create fifo '/tmp/heaptrack_fifo95': File exists") and read
part of each other's events: a count off by one call, or by hundreds. So
every run holds an exclusive lock on LOCK_PATH while it lasts, and a run
whose launcher still reports a clash fails instead of returning a count.
"""

import collections
import contextlib
import fcntl
import json
import os
import re
import shutil
import subprocess
import tempfile
import time

from tests import emulator

# No step may hang a test: heaptrack waits for its data pipe.
TIMEOUT = 120

# Beside the launcher's pipes, so that every run that may share one also
# sees the lock.
LOCK_PATH = "/tmp/alloc_counter-heaptrack.lock"

CALLS = re.compile(r"^calls to allocation functions: (\d+)", re.MULTILINE)
HISTOGRAM_LINE = re.compile(r"^(\d+)\t(\d+)$")

# What heaptrack saw of a run: its allocation calls, and the bytes they
# requested in all.
Recording = collections.namedtuple("Recording", "calls bytes")
PIPE_CLASH = "mkfifo: cannot create fifo"


class HeaptrackError(Exception):
    """heaptrack failed, or its data cannot be trusted."""


# Set to 1 to turn a missing heaptrack into a skip, in a local run
# (bazel test --test_env=ALLOC_COUNTER_SKIP_MISSING_TOOLS=1); CI never sets
# it, so there the test fails.
SKIP_MISSING = "ALLOC_COUNTER_SKIP_MISSING_TOOLS"


def missing_tools():
    """The heaptrack tools not on PATH; empty when both are there."""
    return [tool for tool in ("heaptrack", "heaptrack_print")
            if shutil.which(tool) is None]


def require(test):
    """Fails `test` (a unittest.TestCase) with an install hint when heaptrack
    is not installed; skips it instead when SKIP_MISSING is 1."""
    missing = missing_tools()
    if not missing:
        return
    message = (f"heaptrack is not installed ({', '.join(missing)} not on "
               "PATH): apt-get install heaptrack, or run "
               "tools/install_deps.sh")
    if os.environ.get(SKIP_MISSING) == "1":
        test.skipTest(f"{message} ({SKIP_MISSING}=1)")
    test.fail(f"{message}; or set {SKIP_MISSING}=1 to skip this check")


def prepare(test, binary):
    """The set-up of a test that runs `binary` under heaptrack: skips a cross
    build run under an emulator, fails where heaptrack is missing (see
    require()), skips a sanitizer build (see sanitizer_runtime()); returns a
    scratch directory for its recordings."""
    if emulator.emulator():
        test.skipTest(
            "a cross build runs under an emulator (tests/emulator.py), and "
            "heaptrack, a host program, cannot preload its library into the "
            "emulated program; the native build runs this check")
    require(test)
    runtime = sanitizer_runtime(binary)
    if runtime is not None:
        test.skipTest(
            f"a sanitizer build ({runtime}) cannot run under heaptrack; "
            "the plain build runs this check")
    return tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))


def with_iterations(iterations):
    """The environment that fixes every benchmark of the test binaries at
    `iterations` iterations (ALLOC_COUNTER_ITERATIONS,
    tests/util/fixed_iterations.h)."""
    return dict(os.environ, ALLOC_COUNTER_ITERATIONS=str(iterations))


def per_iteration(test, first, second, iterations):
    """What one iteration adds, from two Recordings of the same benchmark
    run `iterations` = (N1, N2) times: a Recording of the calls and bytes
    per iteration. Fails `test` where the difference is not a whole multiple
    of N2 - N1, which means something else changed between the runs."""
    n = iterations[1] - iterations[0]
    calls, calls_left = divmod(second.calls - first.calls, n)
    size, size_left = divmod(second.bytes - first.bytes, n)
    test.assertEqual((calls_left, size_left), (0, 0), (first, second))
    return Recording(calls, size)


def benchmark_per_iteration(test, binary, benchmark, directory, iterations):
    """Runs the one benchmark `benchmark` of `binary` under heaptrack twice,
    with fixed iterations N1 and then N2 (`iterations`), recording into
    `directory`. Returns (what one iteration adds by heaptrack's count, a
    Recording; heaptrack's two Recordings; alloc_counter's two JSON rows).
    Fails `test` where a run did not make its N iterations."""
    recordings, rows = [], []
    for n in iterations:
        recording, row = benchmark_recording(
            binary, benchmark, os.path.join(directory, f"{benchmark}.{n}"),
            with_iterations(n))
        test.assertEqual(row["iterations"], n)
        recordings.append(recording)
        rows.append(row)
    return per_iteration(test, *recordings, iterations), recordings, rows


def print_figures(header, figures):
    """Prints `figures` (tuples) as a table under `header`, a tuple of
    column names, the first column left-aligned: a test's evidence in its
    log, as docs/reliability.md quotes it."""
    table = [tuple(header)] + [tuple(f"{x:g}" if isinstance(x, float)
                                     else str(x) for x in row)
                               for row in figures]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    print()
    for row in table:
        print(" ".join([row[0].ljust(widths[0])] +
                       [cell.rjust(w) for cell, w in zip(row[1:], widths[1:],
                                                         strict=True)]))


def sanitizer_runtime(binary):
    """The ASan or TSan runtime `binary` loads, or None.

    heaptrack preloads its own malloc; ASan refuses to start unless its
    runtime comes first ("ASan runtime does not come first in initial library
    list"), and forcing it crashes: sanitizer builds skip heaptrack checks.
    """
    ldd = subprocess.run(["ldd", binary], capture_output=True, text=True,
                         check=False, timeout=TIMEOUT).stdout
    for runtime in ("libasan", "libtsan"):
        if runtime in ldd:
            return runtime
    return None


# The longest wait for another test's heaptrack run: a few of its runs, each
# bounded by TIMEOUT. A test that waits longer fails, naming the lock.
LOCK_WAIT = 3 * TIMEOUT


@contextlib.contextmanager
def _only_run():
    fd = os.open(LOCK_PATH, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise HeaptrackError(
                        f"waited {LOCK_WAIT} s for {LOCK_PATH}, which another "
                        "heaptrack run holds") from None
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)  # releases the lock


def record(command, data, env=None):
    """Runs `command` under heaptrack, recording to `data` plus heaptrack's
    suffix (.zst or .gz); returns what it recorded, a Recording."""
    with _only_run():
        proc = subprocess.run(["heaptrack", "-o", data, *command],
                              capture_output=True, text=True, env=env,
                              check=False, timeout=TIMEOUT)
    output = proc.stdout + proc.stderr
    if proc.returncode != 0:
        raise HeaptrackError(
            f"heaptrack {' '.join(command)} exited with {proc.returncode}:\n"
            + output)
    if PIPE_CLASH in output:
        raise HeaptrackError(
            "heaptrack shared its data pipe with another run, so its counts "
            "are not this run's alone:\n" + output)
    directory, prefix = os.path.split(data)
    recorded = [os.path.join(directory, f) for f in os.listdir(directory)
                if f.startswith(prefix + ".") and
                f.endswith((".zst", ".gz"))]
    if len(recorded) != 1:
        raise HeaptrackError(
            f"expected one heaptrack recording {data}.*, found {recorded}")
    histogram = data + ".histogram"
    printed = subprocess.run(
        ["heaptrack_print", "--file", recorded[0], "--print-peaks=0",
         "--print-allocators=0", "--print-temporary=0",
         f"--print-histogram={histogram}"],
        capture_output=True, text=True, check=True, timeout=TIMEOUT).stdout
    calls = CALLS.search(printed)
    if calls is None:
        raise HeaptrackError("heaptrack_print gave no count of allocation "
                             "calls:\n" + printed)
    total = 0
    with open(histogram) as f:
        for line in f:
            match = HISTOGRAM_LINE.match(line.rstrip("\n"))
            if match is None:
                raise HeaptrackError(f"{histogram}: unexpected line {line!r}")
            total += int(match.group(1)) * int(match.group(2))
    return Recording(int(calls.group(1)), total)


def benchmark_recording(binary, benchmark, data, env=None):
    """Runs the one benchmark of `binary` named `benchmark` (up to its first
    '/') under heaptrack, recording to `data`; returns (heaptrack's
    Recording, the benchmark's JSON row)."""
    out = data + ".json"
    recording = record(
        [binary, f"--benchmark_filter=^{benchmark}/",
         f"--benchmark_out={out}", "--benchmark_out_format=json"], data, env)
    with open(out) as f:
        rows = json.load(f)["benchmarks"]
    if len(rows) != 1:
        raise HeaptrackError(f"{benchmark}: expected one row, got {rows}")
    return recording, rows[0]
