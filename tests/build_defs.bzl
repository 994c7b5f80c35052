"""Macros for alloc_counter's tests and test benchmarks.

Each fills in what every target of its kind here shares: ALLOC_COUNTER_COPTS,
Google Benchmark and alloc_counter's main for a benchmark, gtest_main for a
GoogleTest test, Python 3 and the paths of the binaries it runs for a Python
test. cmake/AllocCounterHelpers.cmake has their CMake twins.
"""

load("@rules_cc//cc:defs.bzl", "cc_binary", "cc_test")
load("@rules_python//python:defs.bzl", "py_test")
load("//alloc_counter:copts.bzl", "ALLOC_COUNTER_COPTS")

def _unique(labels):
    out = []
    for label in labels:
        if label not in out:
            out.append(label)
    return out

def alloc_counter_benchmark(name, srcs, deps = [], copts = [], main = "//alloc_counter:main", **kwargs):
    """A benchmark binary with alloc_counter's columns.

    Args:
      name: the binary.
      srcs: its sources.
      deps: what it needs besides alloc_counter and Google Benchmark.
      copts: options added to ALLOC_COUNTER_COPTS.
      main: //alloc_counter:main, or //alloc_counter for a program that has a
        main of its own.
      **kwargs: passed to cc_binary.
    """
    cc_binary(
        name = name,
        srcs = srcs,
        copts = ALLOC_COUNTER_COPTS + copts,
        deps = _unique(deps + [main, "@com_google_benchmark//:benchmark"]),
        **kwargs
    )

def alloc_counter_gtest(name, srcs, deps = [], copts = [], size = "small", **kwargs):
    """A GoogleTest test, linked with gtest_main.

    Args:
      name: the test.
      srcs: its sources.
      deps: what it tests and needs.
      copts: options added to ALLOC_COUNTER_COPTS.
      size: Bazel's test size.
      **kwargs: passed to cc_test.
    """
    cc_test(
        name = name,
        size = size,
        srcs = srcs,
        copts = ALLOC_COUNTER_COPTS + copts,
        deps = _unique(deps + ["@com_google_googletest//:gtest_main"]),
        **kwargs
    )

def alloc_counter_py_test(name, srcs, binaries = [], args = [], data = [], size = "small", **kwargs):
    """A Python test that runs binaries.

    Args:
      name: the test.
      srcs: its one source file.
      binaries: labels whose paths follow `args` on its command line, in
        this order.
      args: its first arguments.
      data: files it reads besides `binaries`.
      size: Bazel's test size.
      **kwargs: passed to py_test.
    """
    py_test(
        name = name,
        size = size,
        srcs = srcs,
        args = args + ["$(rootpath %s)" % b for b in binaries],
        data = _unique(data + binaries),
        python_version = "PY3",
        **kwargs
    )
