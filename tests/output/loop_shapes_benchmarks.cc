// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Every loop shape Google Benchmark lets a benchmark take, each allocating a
// known number of blocks of known sizes per iteration of its loop body, with
// allocations outside the body (set-up, tear-down, paused steps) that must not
// be charged to it. loop_shapes_test.py checks the columns of each row in both
// counting modes; tests/reliability/heaptrack_test.py checks the same rows
// against heaptrack's count of allocation calls.
//
// The expected values sit beside each benchmark, as (allocs/iter,
// bytes/iter, peak_bytes).

#include <cstddef>
#include <cstdint>
#include <vector>

#include "benchmark/benchmark.h"
#include "tests/util/allocate.h"
#include "tests/util/fixed_iterations.h"

namespace {

using benchmark::State;

using test_util::Allocate;
using test_util::FixedIterations;
using test_util::Free;
using test_util::OneBlock;

// With ALLOC_COUNTER_ITERATIONS=N (tests/util/fixed_iterations.h), every
// benchmark that applies FixedIterations runs exactly N iterations
// (heaptrack_test.py compares two values of N). N must be a multiple of
// every batch size below (800 is).

// (1, 64, 64)
void BM_RangeFor(State& state) {
  for (auto _ : state) OneBlock(64);
}
BENCHMARK(BM_RangeFor)->Apply(FixedIterations);

// (1, 64, 64)
void BM_KeepRunning(State& state) {
  while (state.KeepRunning()) OneBlock(64);
}
BENCHMARK(BM_KeepRunning)->Apply(FixedIterations);

// (1, 32, 32) for every batch size: below, equal to and above the 16
// iterations Google Benchmark asks of its memory run. A batch of 100 runs 100
// iterations where 16 were asked for.
void BM_KeepRunningBatch(State& state) {
  const int64_t batch = state.range(0);
  while (state.KeepRunningBatch(batch)) {
    for (int64_t i = 0; i < batch; ++i) OneBlock(32);
  }
}
BENCHMARK(BM_KeepRunningBatch)
    ->Arg(1)
    ->Arg(10)
    ->Arg(16)
    ->Arg(100)
    ->Apply(FixedIterations);

// (1, 48, 8896): a paused step prepares each batch of 100 constructions and
// cleans up after it. Only the constructions are charged; the peak holds the
// 100 constructed blocks (4800 bytes) and the 4096-byte scratch block.
void BM_BatchWithPausedPrepare(State& state) {
  constexpr int kBatch = 100;
  std::vector<void*> blocks;
  blocks.reserve(kBatch);
  while (state.KeepRunningBatch(kBatch)) {
    state.PauseTiming();
    void* scratch = Allocate(4096);
    state.ResumeTiming();
    for (int i = 0; i < kBatch; ++i) blocks.push_back(Allocate(48));
    state.PauseTiming();
    for (void* p : blocks) Free(p, 48);
    blocks.clear();
    Free(scratch, 4096);
    state.ResumeTiming();
  }
}
BENCHMARK(BM_BatchWithPausedPrepare)->Apply(FixedIterations);

// (2, 32, 16) over a fixed 50 iterations.
void BM_Iterations(State& state) {
  for (auto _ : state) {
    OneBlock(16);
    OneBlock(16);
  }
}
BENCHMARK(BM_Iterations)->Iterations(50)->Apply(FixedIterations);

// Repetition r (from 0) makes r + 1 allocations of 8 bytes per iteration:
// (1, 8, 8), (2, 16, 8), (3, 24, 8); mean and median (2, 16, 8), stddev
// (1, 8, 0), cv (0.5, 0.5, 0). With explicit iterations Google Benchmark
// calls the function twice per repetition (timed run, then memory run), so
// `calls` tells the repetition. Each registration has its own counter.
template <int kRegistration>
void BM_Repetitions(State& state) {
  static int calls = 0;
  const int allocations = calls++ / 2 + 1;
  for (auto _ : state) {
    for (int i = 0; i < allocations; ++i) OneBlock(8);
  }
}
BENCHMARK_TEMPLATE(BM_Repetitions, 0)
    ->Iterations(20)
    ->Repetitions(3)
    ->Apply(FixedIterations);
BENCHMARK_TEMPLATE(BM_Repetitions, 1)
    ->Iterations(20)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);
BENCHMARK_TEMPLATE(BM_Repetitions, 2)
    ->Iterations(20)
    ->Repetitions(3)
    ->DisplayAggregatesOnly(true);

// A fixture whose SetUp and TearDown allocate: neither is charged.
// (1, 24, 24) for both benchmarks. (BENCHMARK_F registers without a
// handle to apply FixedIterations to.)
class AllocatingFixture : public benchmark::Fixture {
 public:
  void SetUp(const State&) override { held_ = Allocate(1000); }
  void TearDown(const State&) override {
    Free(held_, 1000);
    OneBlock(2000);
  }

 private:
  void* held_ = nullptr;
};

BENCHMARK_F(AllocatingFixture, RangeFor)(State& state) {
  for (auto _ : state) OneBlock(24);
}

BENCHMARK_DEFINE_F(AllocatingFixture, Batch)(State& state) {
  while (state.KeepRunningBatch(32)) {
    for (int i = 0; i < 32; ++i) OneBlock(24);
  }
}
BENCHMARK_REGISTER_F(AllocatingFixture, Batch)->Apply(FixedIterations);

// Setup() and Teardown() functions, run around each run: not charged.
// (1, 24, 24)
void* g_setup_block = nullptr;
void AllocatingSetup(const State&) { g_setup_block = Allocate(3000); }
void AllocatingTeardown(const State&) {
  Free(g_setup_block, 3000);
  OneBlock(5000);
}
void BM_SetupTeardown(State& state) {
  for (auto _ : state) OneBlock(24);
}
BENCHMARK(BM_SetupTeardown)
    ->Setup(AllocatingSetup)
    ->Teardown(AllocatingTeardown)
    ->Apply(FixedIterations);

// (1, 40, 40), timed by the benchmark itself.
void BM_ManualTime(State& state) {
  for (auto _ : state) {
    OneBlock(40);
    state.SetIterationTime(1e-6);
  }
}
BENCHMARK(BM_ManualTime)->UseManualTime()->Apply(FixedIterations);

// range(0) blocks of range(1) bytes per iteration:
// (range(0), range(0) * range(1), range(1)).
void BM_Args(State& state) {
  for (auto _ : state) {
    for (int64_t i = 0; i < state.range(0); ++i) {
      OneBlock(static_cast<std::size_t>(state.range(1)));
    }
  }
}
BENCHMARK(BM_Args)->Args({1, 8})->Args({3, 16})->Apply(FixedIterations);

void BM_Ranges(State& state) { BM_Args(state); }
BENCHMARK(BM_Ranges)->Ranges({{1, 8}, {64, 64}})->Apply(FixedIterations);

void BM_ArgsProduct(State& state) { BM_Args(state); }
BENCHMARK(BM_ArgsProduct)->ArgsProduct({{2, 5}, {32}})->Apply(FixedIterations);

// One `new T` per iteration: (1, sizeof(T), sizeof(T)).
struct Block200 {
  char bytes[200];
};

template <typename T>
void BM_Template(State& state) {
  for (auto _ : state) {
    T* p = new T();
    benchmark::DoNotOptimize(p);
    delete p;
  }
}
BENCHMARK_TEMPLATE(BM_Template, int64_t)->Apply(FixedIterations);
BENCHMARK_TEMPLATE(BM_Template, Block200)->Apply(FixedIterations);

// Registered at run time with a lambda: (2, 64, 56).
const bool kLambdaRegistered = [] {
  benchmark::RegisterBenchmark("BM_Lambda", [](State& state) {
    for (auto _ : state) {
      OneBlock(56);
      OneBlock(8);
    }
  })->Apply(FixedIterations);
  return true;
}();

// Every thread allocates once per iteration: (1, 16, 16) with 1, 2 and 4
// threads. The memory run is thread 0's alone; in timed mode all threads'
// loops are counted over all their iterations.
void BM_ThreadRange(State& state) {
  for (auto _ : state) OneBlock(16);
}
BENCHMARK(BM_ThreadRange)->ThreadRange(1, 4)->Apply(FixedIterations);

// Batches on two threads: (1, 32, 32).
void BM_BatchThreads(State& state) {
  while (state.KeepRunningBatch(100)) {
    for (int i = 0; i < 100; ++i) OneBlock(32);
  }
}
BENCHMARK(BM_BatchThreads)->Threads(2)->Apply(FixedIterations);

// A warm-up run (Google Benchmark 1.8+, `MinWarmUpTime`) is never counted:
// were its loop added to the timed run's, a benchmark allocating once per
// iteration would show more than 1. (1, 16, 16) Its warm-up runs for a time,
// not a number of iterations, so heaptrack_test.py leaves it out.
template <typename B>
auto WithWarmUp(B* b, int) -> decltype(b->MinWarmUpTime(0.01)) {
  return b->MinWarmUpTime(0.01);
}
template <typename B>
B* WithWarmUp(B* b, long) {
  return b;
}

void BM_WarmUp(State& state) {
  for (auto _ : state) OneBlock(16);
}
const auto* const kWarmUp =
    WithWarmUp(benchmark::RegisterBenchmark("BM_WarmUp", BM_WarmUp), 0);

// SkipWithError() then `break` leaves the loop without FinishKeepRunning():
// the loop still ends there for alloc_counter, so what follows the loop is
// not counted, and the benchmark after it, run for exactly 100 iterations in
// timed mode, reads (1, 16, 16) like any other.
void BM_SkipWithErrorThenBreak(State& state) {
  for (auto _ : state) {
    OneBlock(16);
    state.SkipWithError("failing on purpose");
    break;
  }
  OneBlock(1000);  // After the loop.
}
BENCHMARK(BM_SkipWithErrorThenBreak);

void BM_AfterSkipWithError(State& state) {
  for (auto _ : state) OneBlock(16);
}
BENCHMARK(BM_AfterSkipWithError)->Iterations(100);

}  // namespace
