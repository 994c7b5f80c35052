// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Benchmarks with exactly known allocation behaviour, linked with
// //alloc_counter:main. output_test.py runs this binary and checks the
// allocs/iter, bytes/iter and peak_bytes columns of its console, CSV and JSON
// output, and the native JSON memory fields, value by value.

#include <atomic>
#include <cstddef>
#include <new>
#include <thread>
#include <vector>

#include "benchmark/benchmark.h"
#include "tests/util/allocate.h"

namespace {

using test_util::Allocate;
using test_util::Free;

// k allocations of 100 bytes per iteration, each freed before the next.
void BM_AllocsPerIteration(benchmark::State& state) {
  const auto k = state.range(0);
  for (auto _ : state) {
    for (int64_t i = 0; i < k; ++i) Free(Allocate(100), 100);
  }
}
BENCHMARK(BM_AllocsPerIteration)->Arg(0)->Arg(1)->Arg(3)->Arg(7);

// One allocation of 1020 bytes: bytes/iter must read 1020 (1.02k from Google
// Benchmark 1.8 on), not 1k.
void BM_Bytes1020(benchmark::State& state) {
  for (auto _ : state) Free(Allocate(1020), 1020);
}
BENCHMARK(BM_Bytes1020);

// Holds 1000, 2000 and 4000 bytes at once, then frees them: peak 7000.
void BM_HoldThenFree(benchmark::State& state) {
  for (auto _ : state) {
    void* a = Allocate(1000);
    void* b = Allocate(2000);
    void* c = Allocate(4000);
    Free(c, 4000);
    Free(b, 2000);
    Free(a, 1000);
  }
}
BENCHMARK(BM_HoldThenFree);

// Allocates on every other iteration: 0.5 allocs/iter over 16 iterations.
void BM_EveryOtherIteration(benchmark::State& state) {
  int64_t i = 0;
  for (auto _ : state) {
    if (i++ % 2 == 0) Free(Allocate(64), 64);
  }
}
BENCHMARK(BM_EveryOtherIteration)->Iterations(16);

// Set-up before the loop allocates; only the loop's 2 allocations count.
void BM_SetupNotCharged(benchmark::State& state) {
  std::vector<std::vector<int>> setup(5, std::vector<int>(1000));
  benchmark::DoNotOptimize(setup.data());
  for (auto _ : state) {
    void* a = Allocate(16);
    void* b = Allocate(32);
    Free(b, 32);
    Free(a, 16);
  }
}
BENCHMARK(BM_SetupNotCharged);

// A helper thread started before the loop allocates twice per iteration
// (2 x 48 bytes) on request, while the benchmark thread allocates nothing.
void BM_HelperThreadAllocates(benchmark::State& state) {
  std::atomic<int64_t> requested{0};
  std::atomic<int64_t> done{0};
  std::atomic<bool> stop{false};
  std::thread helper([&] {
    int64_t served = 0;
    while (!stop.load()) {
      if (requested.load() == served) {
        std::this_thread::yield();
        continue;
      }
      Free(Allocate(48), 48);
      Free(Allocate(48), 48);
      done.store(++served);
    }
  });
  int64_t n = 0;
  for (auto _ : state) {
    requested.store(++n);
    while (done.load() != n) std::this_thread::yield();
  }
  stop.store(true);
  helper.join();
}
BENCHMARK(BM_HelperThreadAllocates)->UseRealTime();

// A thread started inside the loop: std::thread allocates its state (1
// allocation), and the thread allocates 2 more.
void BM_ThreadStartedInLoop(benchmark::State& state) {
  for (auto _ : state) {
    std::thread t([] {
      Free(Allocate(48), 48);
      Free(Allocate(48), 48);
    });
    t.join();
  }
}
BENCHMARK(BM_ThreadStartedInLoop)->UseRealTime();

// Allocates while timing is paused: not counted by default, but the bytes
// are live, so they show in peak_bytes.
void BM_AllocatesWhilePaused(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    void* p = Allocate(256);
    state.ResumeTiming();
    Free(Allocate(8), 8);
    state.PauseTiming();
    Free(p, 256);
    state.ResumeTiming();
  }
}
BENCHMARK(BM_AllocatesWhilePaused);

// Each repetition allocates one more time per iteration than the last:
// with explicit iterations, Google Benchmark calls this function twice per
// repetition (timed run, then memory run), so repetition r makes r + 1
// allocations of 10 bytes per iteration.
void BM_GrowsPerRepetition(benchmark::State& state) {
  static int calls = 0;
  const int k = calls++ / 2 + 1;
  for (auto _ : state) {
    for (int i = 0; i < k; ++i) Free(Allocate(10), 10);
  }
}
BENCHMARK(BM_GrowsPerRepetition)->Iterations(16)->Repetitions(3);

// The older `while (state.KeepRunning())` loop opens the same window.
void BM_KeepRunningLoop(benchmark::State& state) {
  while (state.KeepRunning()) Free(Allocate(72), 72);
}
BENCHMARK(BM_KeepRunningLoop);

// Fails: no columns.
void BM_Fails(benchmark::State& state) {
  for (auto _ : state) {
    Free(Allocate(8), 8);
    state.SkipWithError("failing on purpose");
    break;
  }
}
BENCHMARK(BM_Fails);

// Threads(2): the memory run is Google Benchmark's single-threaded run of
// thread 0, which allocates once per iteration.
void BM_TwoThreads(benchmark::State& state) {
  for (auto _ : state) Free(Allocate(24), 24);
}
BENCHMARK(BM_TwoThreads)->Threads(2);

// Threads(4): in timed mode every thread's loop is counted, and the
// iterations are all threads' iterations, so this shows 1 allocs/iter.
void BM_FourThreads(benchmark::State& state) {
  for (auto _ : state) Free(Allocate(24), 24);
}
BENCHMARK(BM_FourThreads)->Threads(4)->UseRealTime();

// One allocation in the first iteration of each run: 1/16 of an allocation
// per iteration in the 16-iteration memory run, 1/1000 in the timed run.
void BM_OneTimeAllocation(benchmark::State& state) {
  bool first = true;
  for (auto _ : state) {
    if (first) {
      Free(Allocate(4000), 4000);
      first = false;
    }
  }
}
BENCHMARK(BM_OneTimeAllocation)->Iterations(1000);

}  // namespace
