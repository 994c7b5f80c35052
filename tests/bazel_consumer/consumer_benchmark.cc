// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// A user's benchmark: a string of 100 characters per iteration, so
// allocs/iter=1, bytes/iter=101 and peak_bytes=101 (libstdc++). The vector
// built before the loop is not counted. Google Benchmark's benchmark_main
// brings main().

#include <string>
#include <vector>

#include "benchmark/benchmark.h"

namespace {

void BM_String100(benchmark::State& state) {
  std::vector<int> setup(1000);
  benchmark::DoNotOptimize(setup.data());
  for (auto _ : state) {
    std::string s(100, 'x');
    benchmark::DoNotOptimize(s.data());
  }
}
BENCHMARK(BM_String100);

}  // namespace
