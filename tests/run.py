# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Running a benchmark binary as a user does, for the Python tests of output/
and reliability/: one helper, so that every test runs binaries the same way
(text output captured, bounded in time) and says the same on failure.
"""

import os
import subprocess

from tests import benchmark_version
from tests import emulator

# No run may hang a test; the slowest (a sanitizer build over every
# benchmark) takes seconds.
TIMEOUT = 120


def run(binary, *args, fast=False, check=True, env=None):
    """Runs `binary` with `args` and returns the subprocess.CompletedProcess,
    its stdout and stderr as text.

    fast: first a short --benchmark_min_time, in the form `binary` reads
      (tests/benchmark_version.py), and --benchmark_color=false: the
      columns do not depend on how long a benchmark runs.
    check: a non-zero exit raises AssertionError, naming the command and
      showing its stderr.
    env: the environment, or None for this process's.
    """
    flags = []
    if fast:
        flags += [benchmark_version.min_time_flag(binary, 0.01),
                  "--benchmark_color=false"]
    command = emulator.command(binary, *flags, *args)
    proc = subprocess.run(command, capture_output=True, text=True,
                          check=False, env=env, timeout=TIMEOUT)
    if check and proc.returncode != 0:
        changed = [f"{k}={v}" for k, v in (env or {}).items()
                   if os.environ.get(k) != v]
        raise AssertionError(
            f"{' '.join(changed + command)} exited {proc.returncode}:\n"
            f"{proc.stderr}")
    return proc
