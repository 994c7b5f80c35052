// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The `benchmark::MemoryManager` that alloc_counter registers with Google
// Benchmark at static initialisation. Google Benchmark calls `Start()` before
// its memory run of each benchmark and `Stop()` after it; the window between
// them is narrowed to the loop body by loop_window.cc.
//
// Google Benchmark's API changed shape across versions:
//   - up to 1.7.x the runner calls `Stop(Result*)`, and `Stop(Result&)` is a
//     non-pure forwarder to it;
//   - from 1.8 only `Stop(Result&)` exists (pure virtual).
// There is no version macro, so the pointer form is overridden only where the
// type has it, detected by SFINAE.

#include <type_traits>
#include <utility>

#include "alloc_counter/counters.h"
#include "benchmark/benchmark.h"

namespace alloc_counter {
namespace internal {
namespace {

// Naming the deprecated pointer form is the point of this trait.
BENCHMARK_DISABLE_DEPRECATED_WARNING
template <typename MM, typename = void>
struct HasPointerStop : std::false_type {};
template <typename MM>
struct HasPointerStop<MM, std::void_t<decltype(std::declval<MM&>().Stop(
                              std::declval<typename MM::Result*>()))>>
    : std::true_type {};
BENCHMARK_RESTORE_DEPRECATED_WARNING

// Fills a `Result` when the memory run ends. The peak and net growth of live
// bytes always come from the memory run's loop. The counts come from it too,
// or, in timed mode, from the timed run that Google Benchmark reports, which
// ended just before the memory run began; the column reporter then divides
// them by that run's iterations.
void FillResult(const Totals& window,
                benchmark::MemoryManager::Result& result) {
  if (TimedModeEnabled()) {
    const TimedRun timed = LastTimedRun();
    result.num_allocs = timed.allocs;
    result.total_allocated_bytes = timed.alloc_bytes;
  } else {
    result.num_allocs = window.allocs;
    result.total_allocated_bytes = window.alloc_bytes;
  }
  result.max_bytes_used = window.peak_bytes;
  result.net_heap_growth = window.net_bytes;
}

// The part common to every version: `Start()` and `Stop(Result&)`.
class CountingMemoryManagerBase : public benchmark::MemoryManager {
 public:
  using benchmark::MemoryManager::Stop;
  void Start() override { BeginMeasurement(); }
  void Stop(Result& result) override { FillResult(EndMeasurement(), result); }
};

// Adds `Stop(Result*)` where the base class declares it (before 1.8). The
// template argument keeps the override out of sight of versions without it.
template <typename Base,
          bool kHasPointerStop = HasPointerStop<benchmark::MemoryManager>::value>
class CountingMemoryManager : public Base {};

template <typename Base>
class CountingMemoryManager<Base, true> : public Base {
 public:
  using Base::Stop;
  BENCHMARK_DISABLE_DEPRECATED_WARNING
  void Stop(typename Base::Result* result) override { this->Stop(*result); }
  BENCHMARK_RESTORE_DEPRECATED_WARNING
};

CountingMemoryManager<CountingMemoryManagerBase>& TheMemoryManager() {
  // Never destroyed: Google Benchmark may hold the pointer until exit.
  static auto* manager = new CountingMemoryManager<CountingMemoryManagerBase>;
  return *manager;
}

const bool kRegistered = [] {
  benchmark::RegisterMemoryManager(&TheMemoryManager());
  return true;
}();

}  // namespace
}  // namespace internal
}  // namespace alloc_counter
