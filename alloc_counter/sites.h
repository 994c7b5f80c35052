// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: sites.h
// -----------------------------------------------------------------------------
//
// Where the memory run's allocations come from: the call stack and the
// requested size of every allocation the benchmark window counts, gathered
// while `--alloc_counter_sites=N`, `--alloc_counter_folded=FILE` or
// `--alloc_counter_histogram` is on. This
// is internal to alloc_counter; site_attribution.h turns what is gathered here
// into named sites after the memory run.
//
// The hook side, `RecordSite()`, runs inside `operator new` (from
// `RecordAllocation()`, under its recursion guard, which reaches it as the
// site recorder `BeginSites()` gives it: thread_counters.h knows nothing of
// this file). It never allocates: it
// unwinds the stack (unwind.h: DWARF call-frame information, so it is right
// through code built without frame pointers, such as Debian's libraries)
// into a buffer on its own stack, then adds the
// allocation to a fixed-size table of distinct stacks (open addressing, under
// a spin lock) and to a size histogram (relaxed atomic adds). The table is
// mapped once, outside the hook, by the first `BeginSites()`; a stack that
// finds the table full is added to an overflow count, so that the counts
// stay exact.
//
// Thread-safety: `RecordSite()` is thread-safe (any thread that allocates
// inside the window calls it). `SetSiteOptions()`, `BeginSites()` and
// `EndSites()` are thread-compatible: the thread that runs the benchmarks
// calls them, outside the window's loop.

#ifndef ALLOC_COUNTER_SITES_H_
#define ALLOC_COUNTER_SITES_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace alloc_counter {
namespace internal {

// Deepest stack kept per allocation, in frames from the hook outwards. The
// hook's own frames and the standard library's are among them, and so are
// Google Benchmark's and `main`'s above the benchmark's function.
constexpr int kMaxStackDepth = 128;

// Size buckets of the histogram: bucket 0 holds `new(0)`, bucket k >= 1
// sizes from 2^(k-1) to 2^k - 1.
constexpr int kSizeBuckets = 65;

// SetSiteOptions()
//
// What the memory runs gather: stacks when `sites` (the number of sites the
// report shows) is above 0 or `stacks` (the whole stacks are written out) is
// true, sizes when `histogram` is true. All off by default, when the hooks
// are exactly as without this file. Call before any benchmark runs.
void SetSiteOptions(int sites, bool stacks, bool histogram);

// SitesWanted(), HistogramWanted()
//
// The options set by `SetSiteOptions()`.
int SitesWanted();
bool HistogramWanted();

// StacksGathered()
//
// Whether the memory runs gather stacks: for sites or for whole stacks.
bool StacksGathered();

// BeginSites()
//
// Forgets what the previous memory run gathered and, if an option is on,
// starts gathering: sets `kWindowSites` in the hook state (the window's
// counting allocations then call `RecordSite()`). Call when the memory run
// starts, before the window is armed.
void BeginSites();

// RecordSite()
//
// Records one allocation of `size` requested bytes by the calling thread:
// its stack and its size. Called by `RecordAllocation()` for each allocation
// the window counts while `kWindowSites` is set. Never allocates.
void RecordSite(size_t size);

// One distinct stack and what it allocated. `pcs` are the addresses of the
// call instructions, innermost first (the first is inside `RecordSite()`).
struct RawSite {
  std::vector<uintptr_t> pcs;
  int64_t allocs = 0;
  int64_t bytes = 0;
};

// What one memory run gathered.
struct RawSites {
  bool sites = false;      // stacks were gathered
  bool histogram = false;  // sizes were gathered
  std::vector<RawSite> stacks;
  // Allocations whose stack found the table full.
  int64_t overflow_allocs = 0;
  int64_t overflow_bytes = 0;
  // Allocations and bytes per size bucket.
  int64_t size_allocs[kSizeBuckets] = {};
  int64_t size_bytes[kSizeBuckets] = {};
};

// EndSites()
//
// Stops gathering (clears `kWindowSites`) and returns what was gathered since
// `BeginSites()`. Call after the window has ended.
RawSites EndSites();

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_SITES_H_
