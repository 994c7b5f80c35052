# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""One run's figures for dashboards that track them over time (--export):

  bmf                      Bencher Metric Format, for `bencher run --adapter
                           json`: {benchmark: {measure slug: {"value": N}}};
  github-action-benchmark  the input of benchmark-action/github-action-
                           benchmark's tool customSmallerIsBetter: [{"name",
                           "unit", "value"}], one entry a benchmark and
                           measure.

Both hold allocs/iter, bytes/iter and peak bytes of each benchmark with
figures, from its iteration rows (a benchmark run with repetitions: their
average); aggregate rows and benchmarks that failed are left out.
"""

import json

# The figures exported: (Figures key, BMF measure slug, unit, name suffix).
MEASURES = (
    ("allocs", "allocs-per-iter", "allocs/iter", "allocs/iter"),
    ("bytes", "bytes-per-iter", "bytes/iter", "bytes/iter"),
    ("peak", "peak-bytes", "bytes", "peak bytes"),
)
FORMATS = ("bmf", "github-action-benchmark")


def _value(value):
    """A figure as a JSON number: whole numbers without ".0"."""
    return int(value) if value == int(value) else value


def _measures(fig):
    """[(slug, unit, name suffix, value)] of a benchmark's figures."""
    if fig.error is not None:
        return []
    return [(slug, unit, suffix, _value(fig.get(key)))
            for key, slug, unit, suffix in MEASURES
            if fig.get(key) is not None]


def render_export(export_format, benchmarks):
    """The JSON of `export_format` for `benchmarks`, [Figures]."""
    if export_format == "bmf":
        out = {}
        for fig in benchmarks:
            measures = {slug: {"value": value}
                        for slug, _, _, value in _measures(fig)}
            if measures:
                out[fig.name] = measures
    else:
        out = [{"name": f"{fig.name} - {suffix}", "unit": unit,
                "value": value}
               for fig in benchmarks
               for _, unit, suffix, value in _measures(fig)]
    return json.dumps(out, indent=2) + "\n"
