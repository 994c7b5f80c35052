// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// State owned by this file, and who may touch it:
//
//   g_window         the window's baseline and results: the memory-run
//                    thread only.
//   g_count_paused   set once, before benchmarks run.
//   the window bits of g_hook_state (kWindowArmed, kWindowInLoop,
//                    kWindowPaused): set and cleared here only. kWindowPaused
//                    is set only while paused regions are left out.

#include "alloc_counter/window.h"

#include <algorithm>
#include <atomic>
#include <cstdint>

#include "absl/base/attributes.h"
#include "alloc_counter/hook_state.h"
#include "alloc_counter/thread_counters.h"

namespace alloc_counter {
namespace internal {
namespace {

constexpr std::memory_order kRelaxed = std::memory_order_relaxed;

ABSL_CONST_INIT std::atomic<bool> g_count_paused{false};

struct Window {
  Totals start;            // counts at BeginMeasurement()
  int64_t live_base = 0;   // process live bytes at EnterLoop()
  int64_t saved_peak = 0;  // process peak before EnterLoop()
  int64_t net_bytes = 0;   // results of the loop, set by ExitLoop()
  int64_t peak_bytes = 0;
  LoopEnd loop_end;  // set by SetWindowLoopEnd()
};
ABSL_CONST_INIT Window g_window;

}  // namespace

void SetCountPaused(bool count_paused) {
  g_count_paused.store(count_paused, kRelaxed);
}

void BeginMeasurement() {
  g_window = Window();
  g_window.start = AllThreadsTotals();
  g_hook_state.fetch_and(~(kWindowInLoop | kWindowPaused), kRelaxed);
  g_hook_state.fetch_or(kWindowArmed, kRelaxed);
}

Totals EndMeasurement() {
  if ((g_hook_state.load(kRelaxed) & kWindowInLoop) != 0) ExitLoop();
  g_hook_state.fetch_and(~(kWindowArmed | kWindowPaused), kRelaxed);
  Totals t = CountsSince(AllThreadsTotals(), g_window.start);
  t.net_bytes = g_window.net_bytes;
  t.peak_bytes = g_window.peak_bytes;
  ForgetSizesIfUnused();
  return t;
}

bool WindowArmed() { return (g_hook_state.load(kRelaxed) & kWindowArmed) != 0; }

void EnterLoop() {
  if (!WindowArmed()) return;
  g_window.saved_peak = ProcessPeak();
  g_window.live_base = ProcessLive();
  ExchangeProcessPeak(g_window.live_base);
  g_hook_state.fetch_and(~kWindowPaused, kRelaxed);
  g_hook_state.fetch_or(kWindowInLoop, kRelaxed);
}

void ExitLoop() {
  const uint64_t state = g_hook_state.load(kRelaxed);
  if ((state & kWindowArmed) == 0 || (state & kWindowInLoop) == 0) return;
  g_hook_state.fetch_and(~kWindowInLoop, kRelaxed);
  g_window.net_bytes = ProcessLive() - g_window.live_base;
  g_window.peak_bytes =
      std::max<int64_t>(0, ProcessPeak() - g_window.live_base);
  RaiseProcessPeak(g_window.saved_peak);
}

void SetWindowLoopEnd(const LoopEnd& end) {
  if (!WindowArmed()) return;
  g_window.loop_end = end;
}

LoopEnd WindowLoopEnd() { return g_window.loop_end; }

void PauseLoop() {
  if (!WindowArmed() || g_count_paused.load(kRelaxed)) return;
  g_hook_state.fetch_or(kWindowPaused, kRelaxed);
}

void ResumeLoop() {
  if (!WindowArmed()) return;
  g_hook_state.fetch_and(~kWindowPaused, kRelaxed);
}

}  // namespace internal
}  // namespace alloc_counter
