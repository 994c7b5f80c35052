// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// A benchmark file with its own main: ALLOC_COUNTER_BENCHMARK_MAIN() in place
// of BENCHMARK_MAIN(), linked with //alloc_counter.

#include <new>

#include "alloc_counter/alloc_counter.h"
#include "benchmark/benchmark.h"

namespace {

void BM_TwoAllocations(benchmark::State& state) {
  for (auto _ : state) {
    void* a = ::operator new(40);
    void* b = ::operator new(60);
    benchmark::DoNotOptimize(a);
    benchmark::DoNotOptimize(b);
    ::operator delete(b, 60);
    ::operator delete(a, 40);
  }
}
BENCHMARK(BM_TwoAllocations);

}  // namespace

ALLOC_COUNTER_BENCHMARK_MAIN();
