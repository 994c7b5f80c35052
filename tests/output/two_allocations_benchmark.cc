// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// One benchmark making two allocations (40 and 60 bytes) per iteration,
// linked into the binaries of linking_test, each of which brings its own
// main.

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
