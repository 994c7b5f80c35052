// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: fixed_iterations.h
// -----------------------------------------------------------------------------
//
// A fixed iteration count for the benchmarks of the tests and of the overhead
// measurements, from the environment: with ALLOC_COUNTER_ITERATIONS=N, every
// benchmark that applies `FixedIterations` runs exactly N iterations, one run
// with no estimate, so that two runs that differ only in N (under heaptrack
// or callgrind) differ only in how often the loop body ran. Unset, Google
// Benchmark chooses as usual. A value that is not a positive integer ends
// the program with a message naming it.
//
// Call from benchmark registration (static initialisation), on any thread.

#ifndef TESTS_UTIL_FIXED_ITERATIONS_H_
#define TESTS_UTIL_FIXED_ITERATIONS_H_

#include <cstdio>
#include <cstdlib>
#include <type_traits>
#include <utility>

#include "benchmark/benchmark.h"

namespace test_util {

// IterationsFromEnvironment()
//
// N from ALLOC_COUNTER_ITERATIONS, or 0 where it is unset or empty.
inline benchmark::IterationCount IterationsFromEnvironment() {
  const char* value = std::getenv("ALLOC_COUNTER_ITERATIONS");
  if (value == nullptr || *value == '\0') return 0;
  char* end = nullptr;
  const long long n = std::strtoll(value, &end, 10);
  if (*end != '\0' || n <= 0) {
    std::fprintf(stderr,
                 "ALLOC_COUNTER_ITERATIONS=%s: expected a positive integer\n",
                 value);
    std::exit(2);
  }
  return static_cast<benchmark::IterationCount>(n);
}

// IterationsOr()
//
// N from ALLOC_COUNTER_ITERATIONS, or `fallback` where it is unset: for
// benchmarks that always run a fixed number of iterations.
inline benchmark::IterationCount IterationsOr(
    benchmark::IterationCount fallback) {
  const benchmark::IterationCount n = IterationsFromEnvironment();
  return n > 0 ? n : fallback;
}

// The class RegisterBenchmark() returns: benchmark::internal::Benchmark up to
// Google Benchmark 1.9.4, benchmark::Benchmark from 1.9.5.
using RegisteredBenchmark =
    std::remove_pointer_t<decltype(benchmark::RegisterBenchmark(
        std::declval<const char*>(),
        std::declval<void (*)(benchmark::State&)>()))>;

// FixedIterations()
//
// For `->Apply(test_util::FixedIterations)`: N iterations where
// ALLOC_COUNTER_ITERATIONS is set.
inline void FixedIterations(RegisteredBenchmark* b) {
  static const benchmark::IterationCount n = IterationsFromEnvironment();
  if (n > 0) b->Iterations(n);
}

}  // namespace test_util

#endif  // TESTS_UTIL_FIXED_ITERATIONS_H_
