#!/usr/bin/env python3
# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""alloc_counter_compare: compares the heap allocations of two Google
Benchmark runs (the package compare/, beside this file in the source tree
and under Bazel, in share/alloc_counter/ once installed with CMake).

    alloc_counter_compare BASELINE.json CONTENDER.json [options]
    alloc_counter_compare --export=FORMAT RUN.json
"""

import os
import sys


def _package_parent():
    """The directory that holds the package compare/."""
    here = os.path.dirname(os.path.abspath(__file__))
    for parent in (here, os.path.join(here, os.pardir, "share",
                                      "alloc_counter")):
        if os.path.isfile(os.path.join(parent, "compare", "cli.py")):
            return parent
    sys.exit(f"alloc_counter_compare: no package compare/ beside {here} "
             "or in ../share/alloc_counter")


sys.path.insert(0, _package_parent())
from compare import cli  # pylint: disable=wrong-import-position

sys.exit(cli.main())
