// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: window.h
// -----------------------------------------------------------------------------
//
// The benchmark window: Google Benchmark's memory run, narrowed to the loop
// body. This is internal to alloc_counter.
//
// `MemoryManager::Start()` arms the window; the loop's start, pauses, resumes
// and end (reported by state_wrappers.cc) open, narrow and close it; `Stop()`
// disarms it and reads what the loop body did, over all threads: counts, the
// change of live bytes and their peak above the level at the loop's start.
// Nothing of the timed runs is here (timed_run.h).
//
// Thread-compatibility: Google Benchmark's memory run makes these calls from
// one thread (the loop's events come from its only benchmark thread);
// `WindowArmed()` may be read from any thread. The allocations counted may
// come from any thread.

#ifndef ALLOC_COUNTER_WINDOW_H_
#define ALLOC_COUNTER_WINDOW_H_

#include <cstdint>

#include "alloc_counter/thread_counters.h"

namespace alloc_counter {
namespace internal {

// BeginMeasurement()
//
// Arms the window: from the next `EnterLoop()` on, the loop body is counted.
void BeginMeasurement();

// EndMeasurement()
//
// Disarms the window and returns what the loop body did since
// `BeginMeasurement()`, over all threads: counts, the change of live bytes
// and their peak above the level at `EnterLoop()`.
Totals EndMeasurement();

// WindowArmed()
//
// Returns true between `BeginMeasurement()` and `EndMeasurement()`.
bool WindowArmed();

// EnterLoop(), ExitLoop(), PauseLoop(), ResumeLoop()
//
// Called when a benchmark's measured loop starts, ends, pauses its timing and
// resumes it. They change the window only while it is armed.
void EnterLoop();
void ExitLoop();
void PauseLoop();
void ResumeLoop();

// How a loop ended: the iterations it ran, as Google Benchmark's `State`
// reports them at the loop's end (a `KeepRunningBatch(n)` loop runs whole
// batches, more than Google Benchmark asked for), and whether the benchmark
// skipped it.
struct LoopEnd {
  int64_t iterations = 0;
  bool skipped = false;
};

// SetWindowLoopEnd(), WindowLoopEnd()
//
// Record, once the loop has ended, how it ended, and return what was recorded
// since the last `BeginMeasurement()` (zero iterations if nothing was).
void SetWindowLoopEnd(const LoopEnd& end);
LoopEnd WindowLoopEnd();

// SetCountPaused()
//
// Whether allocations made while timing is paused are counted (`true`) or
// left out (`false`, the default). Their bytes are live either way. Call
// before any benchmark runs.
void SetCountPaused(bool count_paused);

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_WINDOW_H_
