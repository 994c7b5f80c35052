# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Running a test binary of a cross build: under the emulator that CMake
passes on from CMAKE_CROSSCOMPILING_EMULATOR (qemu-user and its arguments,
tools/toolchains/aarch64-linux-gnu.cmake) in ALLOC_COUNTER_TEST_EMULATOR, or
directly in a native build, where that variable is unset.
"""

import os
import shlex

# The variable CMake sets for the tests of a cross build.
ENV = "ALLOC_COUNTER_TEST_EMULATOR"


def emulator():
    """The emulator's command line as a list; empty in a native build."""
    return shlex.split(os.environ.get(ENV, ""))


def command(binary, *args):
    """The command line that runs `binary` with `args` on this machine."""
    return [*emulator(), binary, *args]
