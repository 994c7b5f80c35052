// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The `benchmark::MemoryManager` that alloc_counter registers with Google
// Benchmark at static initialisation. Google Benchmark calls `Start()` before
// its memory run of each benchmark and `Stop()` after it; the window between
// them is narrowed to the loop body by state_wrappers.cc. Each memory run also
// leaves its measurement for the column reporter (measurements.h).
//
// Google Benchmark's MemoryManager changed shape in 1.8 (benchmark_compat.h):
// the pointer form of `Stop()` is overridden only where the type has it.
//
// This is the one place where the end of the memory run's window touches the
// timed runs: what the window counted is not part of the next timed run.

#include <type_traits>
#include <utility>

#include "alloc_counter/benchmark_compat.h"
#include "alloc_counter/measurements.h"
#include "alloc_counter/site_attribution.h"
#include "alloc_counter/sites.h"
#include "alloc_counter/thread_counters.h"
#include "alloc_counter/timed_run.h"
#include "alloc_counter/window.h"
#include "benchmark/benchmark.h"

namespace alloc_counter {
namespace internal {
namespace {

// What a memory run measured. The peak and net growth of live bytes always
// come from the memory run's loop. The counts come from it too, over the
// iterations the loop really ran, or, in timed mode, from the timed run that
// Google Benchmark reports, which ended just before the memory run began,
// over all its threads' iterations.
Measurement Measure(const Totals& window, const LoopEnd& loop) {
  Measurement m;
  if (TimedModeEnabled()) {
    const TimedRun timed = LastTimedRun();
    m.allocs = timed.allocs;
    m.alloc_bytes = timed.alloc_bytes;
    m.iterations = timed.iterations;
  } else {
    m.allocs = window.allocs;
    m.alloc_bytes = window.alloc_bytes;
    m.iterations = loop.iterations;
  }
  m.peak_bytes = window.peak_bytes;
  m.skipped = loop.skipped;
  m.result.num_allocs = m.allocs;
  m.result.total_allocated_bytes = m.alloc_bytes;
  m.result.max_bytes_used = window.peak_bytes;
  m.result.net_heap_growth = window.net_bytes;
  return m;
}

// Ends the memory run: fills its `Result` and leaves its measurement for the
// column reporter.
void EndMemoryRun(benchmark::MemoryManager::Result& result) {
  const Totals window = EndMeasurement();
  ResetTimedBase();
  Measurement m = Measure(window, WindowLoopEnd());
  // The sites gathered in the window, begun in Start(): ended here, named
  // and ranked.
  m.sites =
      BuildSiteReport(EndSites(), WindowLoopEnd().iterations, SitesWanted());
  result.num_allocs = m.result.num_allocs;
  result.total_allocated_bytes = m.result.total_allocated_bytes;
  result.max_bytes_used = m.result.max_bytes_used;
  result.net_heap_growth = m.result.net_heap_growth;
  AddMeasurement(m);
}

// The part common to every version: `Start()` and `Stop(Result&)`.
class CountingMemoryManagerBase : public benchmark::MemoryManager {
 public:
  using benchmark::MemoryManager::Stop;
  void Start() override {
    BeginSites();
    BeginMeasurement();
  }
  void Stop(Result& result) override { EndMemoryRun(result); }
};

// Adds `Stop(Result*)` where the base class declares it (before 1.8). The
// template argument keeps the override out of sight of versions without it.
template <typename Base, bool kHasPointerStop =
                             HasPointerStop<benchmark::MemoryManager>::value>
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
