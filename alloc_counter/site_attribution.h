// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: site_attribution.h
// -----------------------------------------------------------------------------
//
// The allocation sites of one memory run: its raw stacks and sizes (sites.h)
// made into its report (site_report.h). This is internal to alloc_counter.
//
// Each stack's frames are named (symbolizer.h) and the stack is cut to its
// site. alloc_counter's own frames come first, found by address
// (hook_section.h); then, dropped too, the frames of the libraries the
// allocation went through: the C++ standard library (`std::allocator`,
// `std::vector<T>::_M_realloc_insert`, `std::basic_string` and their inlined
// helpers) and the C library (`strdup`, `qsort`). The site is the next frames
// that are the program's own (at most `kSiteFrames`), up to the first frame
// of the standard library, of Google Benchmark or of the C library; a stack
// with none shows its first frame past alloc_counter's. Consecutive frames
// of one function (recursion) are one frame that counts them. Stacks that
// end up with the same site are one site. The sites are ranked by
// allocations, then bytes; the top N are kept and the rest is one "other"
// line, so that the sites' counts always add up to the loop's.
//
// The report also holds each stack whole (`AllocationStack`): without
// alloc_counter's frames and the standard library's allocator functions, cut
// at the benchmark's function, stacks that end up the same merged. Every
// frame gets its short name (site_names.h).
//
// Thread-compatible: called from the thread that runs the benchmarks.

#ifndef ALLOC_COUNTER_SITE_ATTRIBUTION_H_
#define ALLOC_COUNTER_SITE_ATTRIBUTION_H_

#include <cstdint>
#include <memory>

#include "alloc_counter/site_report.h"
#include "alloc_counter/sites.h"

namespace alloc_counter {
namespace internal {

// BuildSiteReport()
//
// The report of a memory run whose loop ran `iterations` iterations and
// gathered `raw`, with its top `shown` sites (none if 0) and its stacks; null
// when `raw` holds neither stacks nor sizes.
std::shared_ptr<const SiteReport> BuildSiteReport(const RawSites& raw,
                                                  int64_t iterations,
                                                  int shown);

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_SITE_ATTRIBUTION_H_
