# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""The JSON report, for programs."""

import json
import math

from .model import METRICS
from .model import Status

def render_json(comparisons, baseline, contender, max_increase):
    def side(fig):
        if fig is None:
            return None
        return {"allocs_per_iter": fig.allocs, "bytes_per_iter": fig.bytes,
                "peak_bytes": fig.peak, "time_ns": fig.time_ns,
                "repetitions": fig.repetitions, "error": fig.error}

    def finite(value):
        return None if value is None or math.isinf(value) else value

    out = {
        "baseline": baseline["path"],
        "contender": contender["path"],
        "max_increase_percent": max_increase,
        "regressions": [c.name for c in comparisons
                        if c.status == Status.REGRESSION],
        "benchmarks": [{
            "name": c.name,
            "status": c.status.value or "unchanged",
            "regressed": [label for key, label, _ in METRICS
                          if key in c.regressed],
            "baseline": side(c.base),
            "contender": side(c.cont),
            "delta": {
                "allocs_per_iter": c.delta("allocs"),
                "bytes_per_iter": c.delta("bytes"),
                "peak_bytes": c.delta("peak"),
            },
            # null when the baseline is 0 (the change is then unbounded).
            "change_percent": {
                "allocs_per_iter": finite(c.changes.get("allocs")),
                "bytes_per_iter": finite(c.changes.get("bytes")),
                "peak_bytes": finite(c.changes.get("peak")),
                "time": c.time_change(),
            },
        } for c in comparisons],
    }
    return json.dumps(out, indent=2) + "\n"

