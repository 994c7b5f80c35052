// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Google Benchmark's own BENCHMARK_MAIN(), linked with //alloc_counter alone:
// no columns, but the native JSON memory fields are filled.

#include <new>

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

BENCHMARK_MAIN();
