// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// A benchmark whose loop body allocates with the C allocator only: one
// `strdup` of 11 characters per iteration. Linked with alloc_counter::main
// and alloc_counter::malloc, it shows allocs/iter=1 bytes/iter=12
// peak_bytes=12.

#include <stdlib.h>
#include <string.h>

#include "benchmark/benchmark.h"

namespace {

const char* volatile g_text = "eleven char";

void BM_OneStrdup12(benchmark::State& state) {
  for (auto _ : state) {
    char* copy = strdup(g_text);
    benchmark::DoNotOptimize(copy);
    free(copy);
  }
}
BENCHMARK(BM_OneStrdup12);

}  // namespace
