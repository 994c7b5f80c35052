// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: site_report.h
// -----------------------------------------------------------------------------
//
// The allocation sites and the size histogram of one memory run, as the
// reporter prints them (`--alloc_counter_sites=N`,
// `--alloc_counter_histogram`). This is internal to alloc_counter.
//
// After the memory run, `TakeSiteReport()` takes the stacks that sites.h
// gathered and names their frames with elfutils' libdw: the function
// (demangled), and its file and line where the binary has debug information
// (`-g`), with the frames of functions inlined at that address expanded.
// Each stack is then cut to its site: the frames of alloc_counter's hook and
// `operator new`, then those of the standard library (`std::allocator`,
// `std::vector<T>::_M_realloc_insert`, `std::basic_string` and their inlined
// helpers) are dropped from the innermost end; the site is the next frames
// that are the program's own (at most `kSiteFrames`), up to the first frame
// of the standard library, of Google Benchmark or of the C library. Stacks
// that end up with the same site are one site. The sites are ranked by
// allocations, then bytes; the top N are kept and the rest is one "other"
// line, so that the sites' counts always add up to the loop's.
//
// Thread-compatible: called from the thread that runs the benchmarks.

#ifndef ALLOC_COUNTER_SITE_REPORT_H_
#define ALLOC_COUNTER_SITE_REPORT_H_

#include <cstdint>
#include <memory>
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

// TakeSiteReport()
//
// Ends the gathering of sites.h and returns the memory run's report, whose
// loop ran `iterations` iterations; null when neither option is on. Call
// after the window has ended.
std::shared_ptr<const SiteReport> TakeSiteReport(int64_t iterations);

// ConsoleSiteBlock()
//
// The lines printed under a benchmark's console row: a header, one line per
// site with its allocations and bytes per iteration, its innermost frame and
// `file:line` (the file's base name), its callers on the lines below; then
// the size histogram on one line. Each line is indented and ends with a
// newline; empty if `report` has nothing to show.
std::string ConsoleSiteBlock(const SiteReport& report);

// JsonSiteFields()
//
// The JSON members added to a benchmark's object: `"alloc_sites": [...]`
// (each site with `allocs_per_iter`, `bytes_per_iter` and `frames` of
// `{function, file, line}`, the "other" line last, with `other_sites` and no
// frames) and `"size_histogram": [...]` (each bucket with `min_bytes`,
// `max_bytes`, `allocs_per_iter` and `bytes_per_iter`), each on its own line
// starting with `indent`, joined by ",\n", with no trailing separator.
std::string JsonSiteFields(const SiteReport& report, const std::string& indent);

// AddJsonFields()
//
// Inserts `fields` (JSON members) as the last members of the last object in
// `json`, which holds one benchmark object as Google Benchmark's JSON
// reporter writes it (possibly after a ",\n"). Returns false, leaving `json`
// unchanged, if `json` does not end with an object.
bool AddJsonFields(const std::string& fields, std::string* json);

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_SITE_REPORT_H_
