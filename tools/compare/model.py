# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""What alloc_counter_compare works with: the figures of a benchmark on one
side, the statuses of a compared benchmark, and the errors of bad input."""

import enum

EXIT_OK = 0
EXIT_REGRESSION = 1
EXIT_BAD_INPUT = 2

# The figures compared, in table order: (key, label, gated by --max-increase).
METRICS = (
    ("allocs", "allocs/iter", True),
    ("bytes", "bytes/iter", True),
    ("peak", "peak bytes", False),
)

TIME_UNITS_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


class Status(enum.Enum):
    """The status of a compared benchmark; its value is how it is printed."""
    REGRESSION = "REGRESSION"
    WITHIN_LIMIT = "increase within limit"
    IMPROVED = "improved"
    UNCHANGED = ""
    ONLY_BASELINE = "only in baseline"
    ONLY_CONTENDER = "only in contender"
    NO_FIGURES = "no figures"
    FAILED_BASELINE = "failed in baseline"
    FAILED_CONTENDER = "failed in contender"


class InputError(Exception):
    """A file that cannot be compared; exit status 2."""

    def __init__(self, path, message):
        super().__init__(f"{path}: {message}")

