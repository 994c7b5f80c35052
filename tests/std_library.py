# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Which C++ standard library a test binary runs, as the tests see it.

Some expected figures are the standard library's own (what std::thread
allocates to start a thread): the tests ask the binary which library it
links, libstdc++ or LLVM's libc++ (tools/run_libcxx_tests.sh), and expect
that library's figures.
"""

import functools
import subprocess

LIBSTDCXX = "libstdc++"
LIBCXX = "libc++"


@functools.lru_cache(maxsize=None)
def of(binary):
    """LIBCXX if `binary` links libc++ (a NEEDED libc++.so), else LIBSTDCXX."""
    proc = subprocess.run(["readelf", "-d", binary], capture_output=True,
                          text=True, check=True)
    return LIBCXX if "[libc++.so" in proc.stdout else LIBSTDCXX
