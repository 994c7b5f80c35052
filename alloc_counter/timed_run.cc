// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// State owned by this file, and who may touch it:
//
//   g_timed_mode     set once, before benchmarks run.
//   g_timed_finished, g_timed_iterations
//                    the loops of the current run that have ended and their
//                    iterations: atomics, updated by each benchmark thread.
//   g_timed_mu       a spin lock (spin_lock.h) over the two below.
//   g_timed_base     the counts at the start of the current run.
//   g_last_timed_run the totals of the run that ended last.
//   tls_timed_loop   what the calling thread's loop is doing.
//   the timed-loop count of g_hook_state (kTimedLoopsMask): changed here
//                    only.

#include "alloc_counter/timed_run.h"

#include <atomic>
#include <cstdint>

#include "absl/base/attributes.h"
#include "absl/base/thread_annotations.h"
#include "alloc_counter/hook_state.h"
#include "alloc_counter/spin_lock.h"
#include "alloc_counter/thread_counters.h"

namespace alloc_counter {
namespace internal {
namespace {

constexpr std::memory_order kRelaxed = std::memory_order_relaxed;

ABSL_CONST_INIT std::atomic<bool> g_timed_mode{false};
ABSL_CONST_INIT std::atomic<int64_t> g_timed_finished{0};
ABSL_CONST_INIT std::atomic<int64_t> g_timed_iterations{0};
ABSL_CONST_INIT SpinLock g_timed_mu;
ABSL_CONST_INIT Totals g_timed_base ABSL_GUARDED_BY(g_timed_mu);
ABSL_CONST_INIT TimedRun g_last_timed_run ABSL_GUARDED_BY(g_timed_mu);

// What the calling thread's timed loop is doing. The wrappers can be called
// twice for one event (Google Benchmark's own FinishKeepRunning() pauses
// timing), so each event acts only from the state it expects.
enum TimedLoopState : int { kNoLoop = 0, kLoopRunning = 1, kLoopPaused = 2 };
ABSL_CONST_INIT thread_local int tls_timed_loop
    __attribute__((tls_model("initial-exec"))) = kNoLoop;

}  // namespace

void ResetTimedBase() {
  const Totals now = AllThreadsTotals();
  SpinLockHolder lock(&g_timed_mu);
  g_timed_base = now;
}

bool TimedModeEnabled() { return g_timed_mode.load(kRelaxed); }

void SetTimedMode(bool timed) {
  g_timed_mode.store(timed, kRelaxed);
  ResetTimedBase();
}

void TimedLoopStarted() {
  if (tls_timed_loop != kNoLoop) return;
  tls_timed_loop = kLoopRunning;
  g_hook_state.fetch_add(kOneTimedLoop, kRelaxed);
}

void TimedLoopPaused() {
  if (tls_timed_loop != kLoopRunning) return;
  tls_timed_loop = kLoopPaused;
  g_hook_state.fetch_sub(kOneTimedLoop, kRelaxed);
}

void TimedLoopResumed() {
  if (tls_timed_loop != kLoopPaused) return;
  tls_timed_loop = kLoopRunning;
  g_hook_state.fetch_add(kOneTimedLoop, kRelaxed);
}

void TimedLoopFinished(int64_t iterations, int threads) {
  if (tls_timed_loop == kNoLoop) return;
  if (tls_timed_loop == kLoopRunning) {
    g_hook_state.fetch_sub(kOneTimedLoop, kRelaxed);
  }
  tls_timed_loop = kNoLoop;
  g_timed_iterations.fetch_add(iterations, kRelaxed);
  // The run ends when all its threads' loops have ended. (Counting loops
  // that have started would not do: one thread can run its whole loop
  // before another has entered its own.)
  if (g_timed_finished.fetch_add(1, std::memory_order_acq_rel) + 1 != threads) {
    return;
  }
  g_timed_finished.store(0, kRelaxed);
  // The last loop of the run has ended: the run's totals.
  const Totals now = AllThreadsTotals();
  SpinLockHolder lock(&g_timed_mu);
  g_last_timed_run.allocs = now.allocs - g_timed_base.allocs;
  g_last_timed_run.alloc_bytes = now.alloc_bytes - g_timed_base.alloc_bytes;
  g_last_timed_run.iterations = g_timed_iterations.exchange(0, kRelaxed);
  g_timed_base = now;
}

TimedRun LastTimedRun() {
  SpinLockHolder lock(&g_timed_mu);
  return g_last_timed_run;
}

}  // namespace internal
}  // namespace alloc_counter
