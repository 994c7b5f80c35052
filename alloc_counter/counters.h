// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: counters.h
// -----------------------------------------------------------------------------
//
// The allocation counters that the replaced `operator new`/`operator delete`
// update, and the measurement window that decides when they update them.
// This is internal to alloc_counter: users read the counters through the
// columns of their benchmark output, never through this header.
//
// Counts (allocations, bytes, frees) are per thread: each thread owns one
// slot, and only the owning thread writes it, with a relaxed load and a
// relaxed store per field (no read-modify-write, so no lock-prefixed
// instruction and no cache line shared between threads is written to count).
// Any thread may read every slot with relaxed loads; `EndMeasurement()` sums
// them. A slot outlives its thread: when a thread exits its slot is released
// for reuse by a later thread, with its counts kept, so nothing a thread
// counted is lost when it exits.
//
// Live bytes, from which `peak_bytes` comes, are one process-wide atomic
// total: a peak summed from per-thread peaks is wrong as soon as one thread
// frees what another allocated. Inside the window that is one atomic add per
// allocation and per free; the window is Google Benchmark's memory run, which
// is not timed, and outside it nothing is written.
//
// Thread-safety: `RecordAllocation()` and `RecordDeallocation()` are
// thread-safe and are called concurrently from every thread. The window
// calls (`BeginMeasurement`, `EndMeasurement`, `EnterLoop`, `ExitLoop`,
// `PauseLoop`, `ResumeLoop`) are thread-compatible: they are called by the one
// thread that runs Google Benchmark's memory run, never concurrently with each
// other.
//
// Nothing in this file allocates through `operator new`: a slot is obtained
// with `calloc`, so counting can never recurse into the hooks.

#ifndef ALLOC_COUNTER_COUNTERS_H_
#define ALLOC_COUNTER_COUNTERS_H_

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "absl/base/attributes.h"
#include "absl/base/optimization.h"

namespace alloc_counter {
namespace internal {

// What the hooks do with an allocation or deallocation right now.
enum WindowMode : int {
  // Outside the measured window: the hooks only test this value.
  kIdle = 0,
  // Inside the loop body: count allocations, bytes and live bytes.
  kCounting = 1,
  // Inside the loop body while timing is paused (and paused allocations are
  // excluded): track live bytes for `peak_bytes` and `net_heap_growth`, but do
  // not count allocations or bytes.
  kLiveOnly = 2,
};

// The current `WindowMode`. Read by every hook with one relaxed load; written
// only by the window calls below.
ABSL_CONST_INIT extern std::atomic<int> g_window_mode;

// Returns the current `WindowMode`.
inline int CurrentWindowMode() {
  return g_window_mode.load(std::memory_order_relaxed);
}

// RecordAllocation()
//
// Records an allocation of `size` requested bytes made by the calling thread
// in window mode `mode` (not `kIdle`).
void RecordAllocation(int mode, size_t size);

// RecordDeallocation()
//
// Records the deallocation of `size` bytes by the calling thread in window
// mode `mode` (not `kIdle`).
void RecordDeallocation(int mode, size_t size);

// What was counted between `BeginMeasurement()` and `EndMeasurement()`, summed
// over all threads.
struct WindowTotals {
  // Allocations counted (successful `operator new` calls of any form).
  int64_t allocs = 0;
  // Bytes those allocations requested.
  int64_t alloc_bytes = 0;
  // Deallocations counted, and the bytes they released.
  int64_t frees = 0;
  int64_t freed_bytes = 0;
  // Change of live heap bytes over the window, paused regions included.
  int64_t net_bytes = 0;
  // Largest growth of live heap bytes above the level at the start of the
  // window, over all threads, paused regions included.
  int64_t peak_bytes = 0;
};

// BeginMeasurement()
//
// Arms the window: from the next `EnterLoop()` on, the loop body is counted.
void BeginMeasurement();

// EndMeasurement()
//
// Disarms the window and returns what was counted since `BeginMeasurement()`.
WindowTotals EndMeasurement();

// EnterLoop(), ExitLoop(), PauseLoop(), ResumeLoop()
//
// Called when a benchmark's measured loop starts, ends, pauses its timing and
// resumes it. They change the window mode only while the window is armed.
void EnterLoop();
void ExitLoop();
void PauseLoop();
void ResumeLoop();

// SetCountPaused()
//
// Whether allocations made while timing is paused are counted (`true`) or
// left out (`false`, the default). Call before any benchmark runs.
void SetCountPaused(bool count_paused);

// TotalsNow()
//
// Returns the process-wide totals counted since the start of the program
// (every field but `peak_bytes`, which is 0). Used by tests to check that
// nothing is lost when threads exit.
WindowTotals TotalsNow();

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_COUNTERS_H_
