// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// A benchmark whose loop body allocates with the C allocator only: one
// `calloc` of three 4-byte elements per iteration. Linked with
// alloc_counter::main and alloc_counter::malloc, it shows allocs/iter=1
// bytes/iter=12 peak_bytes=12.

#include <stdlib.h>

#include "benchmark/benchmark.h"

namespace {

void BM_OneCalloc12(benchmark::State& state) {
  for (auto _ : state) {
    void* block = calloc(3, 4);
    benchmark::DoNotOptimize(block);
    free(block);
  }
}
BENCHMARK(BM_OneCalloc12);

}  // namespace
