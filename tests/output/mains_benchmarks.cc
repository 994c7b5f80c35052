// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The benchmarks of mains_test, linked into one binary per way of writing a
// benchmark program's main. Each comment gives the columns its code implies,
// (allocs/iter, bytes/iter, peak_bytes).

#include "benchmark/benchmark.h"
#include "tests/util/allocate.h"

namespace {

using test_util::Allocate;
using test_util::Free;
using test_util::OneBlock;

// Two allocations, of 40 and 60 bytes, both live at once: (2, 100, 100).
void BM_TwoAllocations(benchmark::State& state) {
  for (auto _ : state) {
    void* a = Allocate(40);
    void* b = Allocate(60);
    Free(b, 60);
    Free(a, 40);
  }
}
BENCHMARK(BM_TwoAllocations);

// 32 bytes timed, then 64 bytes while timing is paused:
// --alloc_counter_paused=exclude (the default) (1, 32, 64),
// --alloc_counter_paused=include (2, 96, 64).
// The peak of live bytes is the paused block's in both.
void BM_AllocatesWhilePaused(benchmark::State& state) {
  for (auto _ : state) {
    OneBlock(32);
    state.PauseTiming();
    OneBlock(64);
    state.ResumeTiming();
  }
}
BENCHMARK(BM_AllocatesWhilePaused);

// Thread i makes i + 1 allocations of 16 bytes per iteration. The memory run
// is thread 0's alone: (1, 16, 16). --alloc_counter_mode=timed counts every
// thread's loop over all their iterations, 1 + 2 + 3 + 4 allocations per 4
// iterations: (2.5, 40, 16), the peak still the memory run's.
void BM_ThreadIndexPlusOne(benchmark::State& state) {
  const int allocations = static_cast<int>(state.thread_index()) + 1;
  for (auto _ : state) {
    for (int i = 0; i < allocations; ++i) OneBlock(16);
  }
}
BENCHMARK(BM_ThreadIndexPlusOne)->Threads(4);

}  // namespace
