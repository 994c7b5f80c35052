"""Compiler options shared by alloc_counter's own code, tests and benchmarks."""

# Google Benchmark's strict warning set, as errors for our own code.
ALLOC_COUNTER_COPTS = [
    "-Wall",
    "-Wextra",
    "-Wshadow",
    "-Wconversion",
    "-Wold-style-cast",
    "-pedantic-errors",
    "-Werror",
]
