// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: site_report.h
// -----------------------------------------------------------------------------
//
// The allocation sites, the call stacks and the size histogram of one memory
// run (`--alloc_counter_sites=N`, `--alloc_counter_folded=FILE`,
// `--alloc_counter_histogram`): the data that
// flows from the capture in the hook (sites.h), through naming and
// attribution (symbolizer.h, site_attribution.h), to the reporters
// (site_output.h, site_json.h). This is internal to alloc_counter.
//
// Thread-compatible: plain data.

#ifndef ALLOC_COUNTER_SITE_REPORT_H_
#define ALLOC_COUNTER_SITE_REPORT_H_

#include <cstdint>
#include <string>
#include <vector>

namespace alloc_counter {
namespace internal {

// Frames shown per site, innermost first.
constexpr int kSiteFrames = 3;

// One frame of a site or a stack. `file` is empty and `line` 0 where the
// binary has no debug information for it.
struct SiteFrame {
  // The demangled name, in full.
  std::string function;
  // Its short form (site_names.h), with the parameters kept where another
  // frame of the same report has the same short name without them.
  std::string short_function;
  std::string file;
  int line = 0;
  // A site's frame stands for this many consecutive calls of the same
  // function (recursion), from `repeated_min` in some of the site's stacks
  // to `repeated_max` in others; 1 and 1 for a frame that is not repeated.
  int repeated_min = 1;
  int repeated_max = 1;
  // The stack was cut at `kMaxStackDepth` (sites.h) while this frame
  // repeated: it stands for more calls than `repeated_max`.
  bool repeated_cut = false;
};

// One site: its frames (empty for the "other" line) and what it allocated
// over the memory run's loop.
struct AllocationSite {
  std::vector<SiteFrame> frames;
  int64_t allocs = 0;
  int64_t bytes = 0;
};

// One distinct call stack of the memory run's loop and what it allocated.
struct AllocationStack {
  // Indexes into `SiteReport::stack_frames`, outermost first: the benchmark's
  // function, then its callees down to the frame that allocated. Allocator
  // plumbing (operator new, malloc, std::allocator) is never among them.
  std::vector<int> frames;
  // Over the memory run's whole loop, not per iteration.
  int64_t allocs = 0;
  int64_t bytes = 0;
  // The stack was deeper than `kMaxStackDepth` frames: its outermost frames
  // are missing.
  bool truncated = false;
};

// Allocations of sizes from `min_bytes` to `max_bytes`.
struct SizeBucket {
  uint64_t min_bytes = 0;
  uint64_t max_bytes = 0;
  int64_t allocs = 0;
  int64_t bytes = 0;
};

// What one memory run's loop allocated, by site and by size.
struct SiteReport {
  // The iterations of the memory run's loop, which every figure is divided
  // by (in timed mode too: the sites always come from the memory run).
  int64_t iterations = 0;
  bool has_sites = false;
  // The top sites, most allocations first.
  std::vector<AllocationSite> sites;
  // Everything else: sites beyond the top N (`other_sites` of them) and
  // stacks the table had no room for.
  int64_t other_sites = 0;
  int64_t other_allocs = 0;
  int64_t other_bytes = 0;
  // Whether the report's shown frames have `file:line` anywhere: false when
  // the program was built without debug information (-g).
  bool has_line_info = false;
  bool has_stacks = false;
  // The distinct frames of `stacks`, and the stacks, most allocations first.
  std::vector<SiteFrame> stack_frames;
  std::vector<AllocationStack> stacks;
  // Allocations whose stacks the table had no room for.
  int64_t overflow_allocs = 0;
  int64_t overflow_bytes = 0;
  bool has_histogram = false;
  // Buckets that hold at least one allocation, smallest first.
  std::vector<SizeBucket> histogram;
};

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_SITE_REPORT_H_
