// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: thread_counters.h
// -----------------------------------------------------------------------------
//
// The counters that the replaced `operator new`/`operator delete` update: the
// only state the allocation hot path writes. This is internal to
// alloc_counter; its consumers (window.h, timed_run.h, scope.cc) read it.
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
// Thread-safety: every function here is thread-safe. `RecordAllocation()`,
// `RecordDeallocation()` and `CountTimedAllocation()` are called concurrently
// from every thread; the `CurrentThread*` calls act on the calling thread's
// own slot.
//
// Nothing in this file allocates through `operator new`, so counting never
// recurses into the hooks.

#ifndef ALLOC_COUNTER_THREAD_COUNTERS_H_
#define ALLOC_COUNTER_THREAD_COUNTERS_H_

#include <cstddef>
#include <cstdint>

#include "alloc_counter/hook_state.h"

namespace alloc_counter {
namespace internal {

// --- The hooks' calls ------------------------------------------------------

// The calling thread's counts of what it allocated while only timed loops
// counted: plain fields in initial-exec TLS, addressed directly by the hooks
// (no call, no pointer to load), written only by their thread with relaxed
// atomic builtins. Once `registered`, the block is linked to the thread's
// slot, through which other threads read it with relaxed atomic loads; when
// the thread exits, its counts are merged into the slot, which keeps them.
// The fields are written only by `AddToOwnCount()` and the slot code.
// Constant-initialised (all zero).
struct TimedCounts {
  int64_t allocs;
  int64_t alloc_bytes;
  bool registered;
};
extern __thread TimedCounts tls_timed_counts
    __attribute__((tls_model("initial-exec")));

// AddToOwnCount()
//
// Adds `delta` to a field of the calling thread's `tls_timed_counts`. Only
// the owning thread writes these fields, and other threads read them with
// relaxed atomic loads, so an add need not be a read-modify-write that other
// threads could interleave with: on x86-64 it is one `add` to memory, whose
// aligned 8-byte store no reader sees torn (like the Linux kernel's
// this_cpu_add). Elsewhere, and under ThreadSanitizer (which must see every
// access to shared memory), it is a relaxed atomic load and store.
inline void AddToOwnCount(int64_t& field, int64_t delta) {
#if defined(__x86_64__) && !defined(__SANITIZE_THREAD__)
  asm("addq %1, %0" : "+m"(field) : "er"(delta));
#else
  __atomic_store_n(&field, __atomic_load_n(&field, __ATOMIC_RELAXED) + delta,
                   __ATOMIC_RELAXED);
#endif
}

// CountTimedAllocation()
//
// Counts an allocation of `size` requested bytes at `p` (not null) by the
// calling thread while only timed loops count: a per-thread count and byte
// total, no live bytes, no frees (the timed runs report neither). Returns
// `p`, so that a caller can return it in tail position.
//
// Instruction budget (x86-64, g++ -O2): the test of `registered` with its
// branch, then one add to memory per field: 4 of the 8 instructions that
// counting adds to operator new in timed mode (new_delete.cc; measured in
// docs/performance.md). The first count of a thread links its block to its
// slot, out of line.
void* CountTimedAllocationSlow(void* p, size_t size);
inline void* CountTimedAllocation(void* p, size_t size) {
  TimedCounts& counts = tls_timed_counts;
  if (__builtin_expect(!counts.registered, 0)) {
    return CountTimedAllocationSlow(p, size);
  }
  AddToOwnCount(counts.allocs, 1);
  AddToOwnCount(counts.alloc_bytes, static_cast<int64_t>(size));
  return p;
}

// The size argument of `RecordDeallocation()` for an unsized delete.
constexpr size_t kUnknownSize = static_cast<size_t>(-1);

// RecordAllocation()
//
// Records the allocation of `size` requested bytes at `p` by the calling
// thread. Call only when `HookState()` is not zero.
void RecordAllocation(void* p, size_t size);

// SetSiteRecorder()
//
// Sets the function `RecordAllocation()` calls, with the allocation's
// requested size, for each allocation the benchmark window counts while
// `kWindowSites` is set in the hook state: the capture of its stack and size
// (sites.h, which sets it). Null, the default, records nothing. Set it before
// setting the bit.
using SiteRecorder = void (*)(size_t size);
void SetSiteRecorder(SiteRecorder recorder);

// RecordDeallocation()
//
// Records the deallocation of the block at `p` (not null), of `size` bytes or
// `kUnknownSize`, by the calling thread, before the block is freed. Call only
// when `HookState()` is not zero and not `OnlyTimedLoops()`.
void RecordDeallocation(void* p, size_t size);

// --- Reading the counters --------------------------------------------------

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

// The counts of `now` minus those of `start` (`net_bytes` and `peak_bytes`
// left at 0).
Totals CountsSince(const Totals& now, const Totals& start);

// AllThreadsTotals()
//
// Returns the counts of every thread since the start of the program, threads
// that have exited included (`net_bytes` and `peak_bytes` left at 0).
Totals AllThreadsTotals();

// CurrentThreadTotals()
//
// Returns the calling thread's counts (`net_bytes` and `peak_bytes` left at
// 0).
Totals CurrentThreadTotals();

// CurrentThreadLive(), CurrentThreadPeak(), SetCurrentThreadPeak()
//
// The calling thread's live bytes, kept while thread scopes exist, and their
// maximum, which a thread scope resets at its start and restores at its end.
int64_t CurrentThreadLive();
int64_t CurrentThreadPeak();
void SetCurrentThreadPeak(int64_t peak);

// ProcessLive(), ProcessPeak(), ExchangeProcessPeak(), RaiseProcessPeak()
//
// Process-wide live bytes, kept while the benchmark window is in its loop or
// a process scope exists, and their maximum: read it, set it (returning the
// old value), or raise it to at least `value`.
int64_t ProcessLive();
int64_t ProcessPeak();
int64_t ExchangeProcessPeak(int64_t value);
void RaiseProcessPeak(int64_t value);

// ForgetSizesIfUnused()
//
// Forgets the recorded block sizes once no consumer keeps live bytes. Called
// by a consumer that stops keeping them.
void ForgetSizesIfUnused();

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_THREAD_COUNTERS_H_
