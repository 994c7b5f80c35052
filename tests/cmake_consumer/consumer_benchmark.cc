// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// A benchmark whose loop body allocates a known amount: one
// `::operator new(100)` per iteration, so allocs/iter=1 and bytes/iter=100,
// with peak_bytes=100. The set-up allocation before the loop must not be
// counted. The binary gets its main() from the target it links.

#include <new>
#include <vector>

#include "benchmark/benchmark.h"

namespace {

void BM_OneNew100(benchmark::State& state) {
  std::vector<int> setup(1000);  // before the loop: not counted
  benchmark::DoNotOptimize(setup.data());
  for (auto _ : state) {
    void* p = ::operator new(100);
    benchmark::DoNotOptimize(p);
    ::operator delete(p, 100);
  }
}
BENCHMARK(BM_OneNew100);

}  // namespace
