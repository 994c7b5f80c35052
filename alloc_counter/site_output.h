// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: site_output.h
// -----------------------------------------------------------------------------
//
// How the column reporter prints a row's allocation sites, stacks and sizes
// (site_report.h): under the row in the console, and as folded stacks in a
// file (JSON: site_json.h). This is internal to alloc_counter.
//
// Thread-compatible: pure functions of their arguments (ConsoleWidth() reads
// the environment and the terminal).

#ifndef ALLOC_COUNTER_SITE_OUTPUT_H_
#define ALLOC_COUNTER_SITE_OUTPUT_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "alloc_counter/site_report.h"

namespace alloc_counter {
namespace internal {

// How the console shows names.
struct ConsoleSiteOptions {
  // The columns a line may take; names are shortened (site_names.h) to fit.
  size_t width = 120;
  // Full demangled names, not shortened (`--alloc_counter_site_names=full`).
  bool full_names = false;
  // Say, under the sites, that `file:line` needs debug information, if the
  // report has none.
  bool line_info_hint = false;
};

// PerIteration()
//
// A per-iteration figure, `total` over `iterations`: an integer as an
// integer, a fraction with up to `digits` significant digits; "0" if
// `iterations` is not positive.
std::string PerIteration(int64_t total, int64_t iterations, int digits);

// ConsoleWidth()
//
// The columns of the console's lines: `COLUMNS` when it holds a number,
// else the width of the terminal on standard output, else 120; at least 60.
size_t ConsoleWidth();

// ConsoleSiteBlock()
//
// The lines printed under a benchmark's console row: a header, one line per
// site with its allocations and bytes per iteration, its innermost frame and
// `file:line` (the file's base name), its callers on the lines below, a
// repeated frame with `×N`; then the size histogram. Each line is indented,
// fits `options.width` unless `options.full_names`, and ends with a newline;
// empty if `report` has nothing to show.
std::string ConsoleSiteBlock(const SiteReport& report,
                             const ConsoleSiteOptions& options);

// FoldedStacks()
//
// The report's stacks in the folded format of flamegraph.pl, inferno and
// speedscope: one line per distinct stack, `ROOT;outer;...;inner COUNT`,
// where ROOT is `root` (the benchmark's name), each frame is its short name
// (its full name if `full_names`; a `;` in it becomes `:`) and COUNT the
// stack's allocations over the memory run's loop, or its bytes if `bytes`.
// Stacks the table had no room for are one `ROOT;[other stacks]` line, so
// that the counts add up to the loop's. Empty if the report has no stacks.
std::string FoldedStacks(const SiteReport& report, absl::string_view root,
                         bool bytes, bool full_names);

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_SITE_OUTPUT_H_
