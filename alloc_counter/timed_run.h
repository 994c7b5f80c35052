// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: timed_run.h
// -----------------------------------------------------------------------------
//
// The timed loops of `--alloc_counter_mode=timed`: every benchmark thread's
// loop of each timed run, and the totals of the run that ended last. This is
// internal to alloc_counter. Nothing of the memory run is here (window.h).
//
// Allocations by any thread are counted while at least one benchmark thread
// is in its loop and not paused. A run ends when all `threads` loops of it
// have finished.
//
// Thread-safety: every call is thread-safe; the loop calls are made by each
// benchmark thread of a `Threads(N)` run for its own loop.

#ifndef ALLOC_COUNTER_TIMED_RUN_H_
#define ALLOC_COUNTER_TIMED_RUN_H_

#include <cstdint>

namespace alloc_counter {
namespace internal {

// SetTimedMode(), TimedModeEnabled()
//
// Whether the timed runs' loops are counted (`--alloc_counter_mode=timed`;
// false by default). Set it before any benchmark runs.
void SetTimedMode(bool timed);
bool TimedModeEnabled();

// TimedLoopStarted(), TimedLoopPaused(), TimedLoopResumed()
//
// Called by each benchmark thread of a timed run when its loop starts, when
// it pauses timing and when it resumes.
void TimedLoopStarted();
void TimedLoopPaused();
void TimedLoopResumed();

// TimedLoopFinished()
//
// Called by each benchmark thread when its loop ends, with the iterations it
// ran and the number of threads of its run. When all `threads` loops of the
// run have ended, the run's totals become `LastTimedRun()`.
void TimedLoopFinished(int64_t iterations, int threads);

// A completed timed run: what all of its loops allocated, and their
// iterations summed over threads.
struct TimedRun {
  int64_t allocs = 0;
  int64_t alloc_bytes = 0;
  int64_t iterations = 0;
};

// LastTimedRun()
//
// Returns the totals of the timed run that ended last.
TimedRun LastTimedRun();

// ResetTimedBase()
//
// Starts the next timed run's counts from now: what was counted before (the
// memory run's window, say) is not part of it.
void ResetTimedBase();

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_TIMED_RUN_H_
