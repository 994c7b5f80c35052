// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: counters.h
// -----------------------------------------------------------------------------
//
// The allocation counters that the replaced `operator new`/`operator delete`
// update, and the consumers that switch them on: the benchmark window (Google
// Benchmark's memory run, narrowed to the loop body), the timed loops (in
// `--alloc_counter_mode=timed`) and `alloc_counter::Scope`. This is internal
// to alloc_counter.
//
// Counts (allocations, bytes, frees) are per thread: each thread owns one
// slot, and only the owning thread writes it, with a relaxed load and a
// relaxed store per field (no read-modify-write, so no lock-prefixed
// instruction and no cache line shared between threads is written to count).
// Any thread may read every slot with relaxed loads. A slot outlives its
// thread: when a thread exits, its slot is released for reuse by a later
// thread with its counts kept, so nothing a thread counted is lost.
//
// Live bytes come in two kinds. Per-thread live bytes (for a thread's
// `Scope`) are kept in the slot, written by the owner only. Process-wide live
// bytes (for `peak_bytes` of the benchmark window and of a process `Scope`)
// are one atomic total, because a peak summed from per-thread peaks is wrong
// as soon as one thread frees what another allocated; they are kept only
// while such a consumer is active, and the benchmark window that uses them is
// Google Benchmark's memory run, which is not timed. The timed loops count
// without any shared write.
//
// Live bytes are in requested bytes on both sides: a sized delete passes the
// size, and the size of a block freed by an unsized delete is looked up in
// the table of blocks allocated while live bytes were kept
// (block_sizes.h). A block allocated before that is sized with
// `malloc_usable_size`.
//
// Thread-safety: `RecordAllocation()` and `RecordDeallocation()` are
// thread-safe and are called concurrently from every thread. The benchmark
// window calls are thread-compatible: Google Benchmark's memory run makes
// them from one thread. The timed-loop calls are thread-safe (every thread of
// a `Threads(N)` benchmark makes them). The scope calls are thread-safe.
//
// Nothing in this file allocates through `operator new`, so counting never
// recurses into the hooks.

#ifndef ALLOC_COUNTER_COUNTERS_H_
#define ALLOC_COUNTER_COUNTERS_H_

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "absl/base/attributes.h"

namespace alloc_counter {
namespace internal {

// Non-zero while any consumer wants allocations recorded. Read by every hook
// with one relaxed load; its bits say which consumers are active.
ABSL_CONST_INIT extern std::atomic<uint64_t> g_hook_state;

// The bits of g_hook_state that count the timed loops running (the other
// bits are the benchmark window's and the scopes').
constexpr uint64_t kTimedLoopsMask = uint64_t{0xffff} << 8;

// Returns the hook state: zero when nothing is counted.
inline uint64_t HookState() {
  return g_hook_state.load(std::memory_order_relaxed);
}

// Returns true if, in hook state `state` (not zero), only timed loops count:
// the hooks then take the count-only path (`CountTimedAllocation()`), which
// counts allocations and their bytes and nothing else.
inline bool OnlyTimedLoops(uint64_t state) {
  return (state & ~kTimedLoopsMask) == 0;
}

// CountTimedAllocation()
//
// Counts an allocation of `size` requested bytes by the calling thread while
// only timed loops count: a per-thread count and byte total, no live bytes,
// no frees (the timed runs report neither).
void CountTimedAllocation(size_t size);

// The size argument of `RecordDeallocation()` for an unsized delete.
constexpr size_t kUnknownSize = static_cast<size_t>(-1);

// RecordAllocation()
//
// Records the allocation of `size` requested bytes at `p` by the calling
// thread. Call only when `HookState()` is not zero.
void RecordAllocation(void* p, size_t size);

// RecordDeallocation()
//
// Records the deallocation of the block at `p` (not null), of `size` bytes or
// `kUnknownSize`, by the calling thread, before the block is freed. Call only
// when `HookState()` is not zero and not `OnlyTimedLoops()`.
void RecordDeallocation(void* p, size_t size);

// Counts of allocations and deallocations, and live bytes.
struct Totals {
  // Allocations counted (successful `operator new` calls of any form).
  int64_t allocs = 0;
  // Bytes those allocations requested.
  int64_t alloc_bytes = 0;
  // Deallocations counted, and the bytes they released.
  int64_t frees = 0;
  int64_t freed_bytes = 0;
  // Change of live bytes, paused regions included.
  int64_t net_bytes = 0;
  // Largest growth of live bytes above the level at the start.
  int64_t peak_bytes = 0;
};

// --- The benchmark window (Google Benchmark's memory run) ------------------

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

// How a loop ended: the iterations it ran, as Google Benchmark's `State`
// reports them at the loop's end (a `KeepRunningBatch(n)` loop runs whole
// batches, more than Google Benchmark asked for), and whether the benchmark
// skipped it.
struct LoopEnd {
  int64_t iterations = 0;
  bool skipped = false;
};

// EnterLoop(), ExitLoop(), PauseLoop(), ResumeLoop()
//
// Called when a benchmark's measured loop starts, ends, pauses its timing and
// resumes it. They change the window only while it is armed.
void EnterLoop();
void ExitLoop();
void PauseLoop();
void ResumeLoop();

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

// --- The timed loops (--alloc_counter_mode=timed) --------------------------

// TimedLoopStarted(), TimedLoopPaused(), TimedLoopResumed()
//
// Called by each benchmark thread of a timed run when its loop starts, when
// it pauses timing and when it resumes. Allocations by any thread are counted
// while at least one loop runs unpaused. Thread-safe.
void TimedLoopStarted();
void TimedLoopPaused();
void TimedLoopResumed();

// TimedLoopFinished()
//
// Called by each benchmark thread when its loop ends, with the iterations it
// ran and the number of threads of its run. When all `threads` loops of the
// run have ended, the run's totals become `LastTimedRun()`. Thread-safe.
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

// --- Loop events, as Google Benchmark's State reports them ----------------

// SetTimedMode()
//
// Whether the timed runs' loops are counted (`--alloc_counter_mode=timed`).
// Call before any benchmark runs.
void SetTimedMode(bool timed);

// TimedModeEnabled()
//
// Returns what `SetTimedMode()` set (false by default).
bool TimedModeEnabled();

// OnLoopStart(), OnLoopPause(), OnLoopResume(), OnLoopExit(), OnLoopEnd()
//
// Route a loop event to the benchmark window while it is armed (the memory
// run), otherwise to the timed loops when timed mode is on, otherwise
// nowhere. A loop's end comes in two steps: `OnLoopExit()` as its body ends,
// before Google Benchmark's own code runs, and `OnLoopEnd()` once
// Google Benchmark has settled the iterations, with how the loop ended and
// the number of threads of its run. Called by the loop-window wrappers from
// every benchmark thread.
void OnLoopStart();
void OnLoopPause();
void OnLoopResume();
void OnLoopExit();
void OnLoopEnd(const LoopEnd& end, int threads);

// --- Scopes ----------------------------------------------------------------

// A point from which a scope measures.
struct ScopeStart {
  Totals totals;     // counts at the start (peak_bytes unused)
  int64_t live = 0;  // live bytes at the start
  int64_t saved_peak = 0;
};

// BeginThreadScope(), ThreadScopeTotals(), EndThreadScope()
//
// Start, read and end a scope over the calling thread's own allocations.
// Scopes of one thread nest (last begun, first ended).
ScopeStart BeginThreadScope();
Totals ThreadScopeTotals(const ScopeStart& start);
void EndThreadScope(const ScopeStart& start);

// BeginProcessScope(), ProcessScopeTotals(), EndProcessScope()
//
// The same over every thread's allocations. `peak_bytes` is exact for scopes
// that nest; overlapping, non-nested process scopes share one peak.
ScopeStart BeginProcessScope();
Totals ProcessScopeTotals(const ScopeStart& start);
void EndProcessScope(const ScopeStart& start);

// TotalsNow()
//
// Returns the process-wide counts since the start of the program (every
// field but `peak_bytes` and `net_bytes`, which are 0). Used by tests to
// check that nothing is lost when threads exit.
Totals TotalsNow();

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_COUNTERS_H_
