// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// What one stack capture of --alloc_counter_sites and --alloc_counter_folded
// costs: Backtrace(), which keeps each code address's unwind rule, against
// SlowBacktrace(), libgcc's _Unwind_Backtrace alone, at the bottom of a
// stack DEPTH frames deeper than the benchmark's own. docs/performance.md
// reports the ratio, measured side by side.

#include <cstdint>

#include "alloc_counter/unwind.h"
#include "benchmark/benchmark.h"

namespace {

using Unwinder = int (*)(uintptr_t*, int);

constexpr int kMaxFrames = 128;

// Recurses `depth` times, then captures the stack with `unwind` for the
// benchmark's whole loop.
__attribute__((noinline)) int Nest(int depth, Unwinder unwind,
                                   benchmark::State* state) {
  if (depth > 0) {
    int frames = Nest(depth - 1, unwind, state);
    benchmark::DoNotOptimize(frames);
    return frames;
  }
  int frames = 0;
  for (auto _ : *state) {
    uintptr_t pcs[kMaxFrames];
    frames = unwind(pcs, kMaxFrames);
    benchmark::DoNotOptimize(pcs);
  }
  return frames;
}

void BM_Backtrace(benchmark::State& state) {
  const int frames = Nest(static_cast<int>(state.range(0)),
                          &alloc_counter::internal::Backtrace, &state);
  state.counters["frames"] = frames;
}
BENCHMARK(BM_Backtrace)->Arg(0)->Arg(20)->Arg(60);

void BM_SlowBacktrace(benchmark::State& state) {
  const int frames = Nest(static_cast<int>(state.range(0)),
                          &alloc_counter::internal::SlowBacktrace, &state);
  state.counters["frames"] = frames;
}
BENCHMARK(BM_SlowBacktrace)->Arg(0)->Arg(20)->Arg(60);

}  // namespace
