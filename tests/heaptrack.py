# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""heaptrack's count of allocation calls, for the tests that check
alloc_counter's figures against it (reliability/heaptrack_test.py and
reliability/c_alloc_test.py).

`allocation_calls()` runs a command under heaptrack and returns the line
"calls to allocation functions" of `heaptrack_print`; `benchmark_calls()`
runs one benchmark so, and returns alloc_counter's JSON row beside it.

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

import contextlib
import fcntl
import json
import os
import re
import shutil
import subprocess

# No step may hang a test: heaptrack waits for its data pipe.
TIMEOUT = 120

# Beside the launcher's pipes, so that every run that may share one also
# sees the lock.
LOCK_PATH = "/tmp/alloc_counter-heaptrack.lock"

CALLS = re.compile(r"^calls to allocation functions: (\d+)", re.MULTILINE)
PIPE_CLASH = "mkfifo: cannot create fifo"


class HeaptrackError(Exception):
    """heaptrack failed, or its data cannot be trusted."""


def missing_tools():
    """The heaptrack tools not on PATH; empty when both are there."""
    return [tool for tool in ("heaptrack", "heaptrack_print")
            if shutil.which(tool) is None]


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


@contextlib.contextmanager
def _only_run():
    fd = os.open(LOCK_PATH, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def allocation_calls(command, data, env=None):
    """Runs `command` under heaptrack, recording to `data` plus heaptrack's
    suffix (.zst or .gz); returns heaptrack's count of allocation calls."""
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
    printed = subprocess.run(
        ["heaptrack_print", "--file", recorded[0], "--print-peaks=0",
         "--print-allocators=0", "--print-temporary=0"],
        capture_output=True, text=True, check=True, timeout=TIMEOUT).stdout
    calls = CALLS.search(printed)
    if calls is None:
        raise HeaptrackError("heaptrack_print gave no count of allocation "
                             "calls:\n" + printed)
    return int(calls.group(1))


def benchmark_calls(binary, benchmark, data, env=None):
    """Runs the one benchmark of `binary` named `benchmark` (up to its first
    '/') under heaptrack, recording to `data`; returns (heaptrack's count of
    allocation calls, the benchmark's JSON row)."""
    out = data + ".json"
    calls = allocation_calls(
        [binary, f"--benchmark_filter=^{benchmark}/",
         f"--benchmark_out={out}", "--benchmark_out_format=json"], data, env)
    with open(out) as f:
        rows = json.load(f)["benchmarks"]
    if len(rows) != 1:
        raise HeaptrackError(f"{benchmark}: expected one row, got {rows}")
    return calls, rows[0]
