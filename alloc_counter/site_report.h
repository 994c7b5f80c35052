// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: site_report.h
// -----------------------------------------------------------------------------
//
// The allocation sites and the size histogram of one memory run
// (`--alloc_counter_sites=N`, `--alloc_counter_histogram`): the data that
// flows from the capture in the hook (sites.h), through naming and
// attribution (symbolizer.h, site_attribution.h), to the reporters
// (site_output.h). This is internal to alloc_counter.
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

// One frame of a site. `file` is empty and `line` 0 where the binary has no
// debug information for it.
struct SiteFrame {
  std::string function;
  std::string file;
  int line = 0;
};

// One site: its frames (empty for the "other" line) and what it allocated
// over the memory run's loop.
struct AllocationSite {
  std::vector<SiteFrame> frames;
  int64_t allocs = 0;
  int64_t bytes = 0;
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
  bool has_histogram = false;
  // Buckets that hold at least one allocation, smallest first.
  std::vector<SizeBucket> histogram;
};

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_SITE_REPORT_H_
