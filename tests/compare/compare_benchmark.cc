// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Benchmarks with exactly known allocations, compiled twice and linked with
// //alloc_counter:main: as the baseline, and as the contender with
// EXTRA_ALLOCATION defined, where BM_Grows allocates once more per iteration
// (28 bytes) and one benchmark is replaced by another. compare_test.py and
// html_test.py run both binaries and compare their JSON output with
// alloc_counter_compare.
//
// Every benchmark fixes its iterations, so that the binaries need no
// --benchmark_min_time (whose form differs between Google Benchmark 1.7 and
// 1.8+) and run in milliseconds.

#include <cstddef>
#include <new>

#include "benchmark/benchmark.h"
#include "tests/util/allocate.h"

namespace {

using test_util::Allocate;
using test_util::Free;

// Baseline: one allocation of 100 bytes per iteration. Contender: one more,
// of 28 bytes, alive at the same time (allocs/iter 1 -> 2, bytes/iter and
// peak_bytes 100 -> 128). compare_test.py finds the line of the new
// allocation site by its comment.
void BM_Grows(benchmark::State& state) {
  for (auto _ : state) {
    void* p = Allocate(100);
#ifdef EXTRA_ALLOCATION
    void* q = Allocate(28);  // site:extra
    Free(q, 28);
#endif
    Free(p, 100);
  }
}
BENCHMARK(BM_Grows)->Iterations(100);

// The same in both builds: one allocation of 64 bytes per iteration.
void BM_Steady(benchmark::State& state) {
  for (auto _ : state) Free(Allocate(64), 64);
}
BENCHMARK(BM_Steady)->Iterations(100);

// The same in both builds: no allocation.
void BM_NoAllocation(benchmark::State& state) {
  int x = 0;
  for (auto _ : state) benchmark::DoNotOptimize(++x);
}
BENCHMARK(BM_NoAllocation)->Iterations(100);

// The same in both builds, with repetitions (rows per repetition and
// mean/median/stddev/cv aggregates): two allocations of 16 bytes.
void BM_Repeated(benchmark::State& state) {
  for (auto _ : state) {
    Free(Allocate(16), 16);
    Free(Allocate(16), 16);
  }
}
BENCHMARK(BM_Repeated)->Iterations(100)->Repetitions(3);

// A benchmark present in one build only: a row without a partner.
void BM_OnlyOneSide(benchmark::State& state) {
  for (auto _ : state) Free(Allocate(8), 8);
}
#ifdef EXTRA_ALLOCATION
BENCHMARK(BM_OnlyOneSide)->Name("BM_Added")->Iterations(100);
#else
BENCHMARK(BM_OnlyOneSide)->Name("BM_Removed")->Iterations(100);
#endif

}  // namespace
