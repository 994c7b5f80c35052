// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: site_output.h
// -----------------------------------------------------------------------------
//
// How the column reporter prints a row's allocation sites, stacks and sizes
// (site_report.h): under the row in the console, as members of the row's
// object in JSON, as folded stacks in a file. This is internal to
// alloc_counter.
//
// Thread-compatible: pure functions of their arguments (ConsoleWidth() reads
// the environment and the terminal).

#ifndef ALLOC_COUNTER_SITE_OUTPUT_H_
#define ALLOC_COUNTER_SITE_OUTPUT_H_

#include <cstddef>
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

// AddJsonSiteFields()
//
// Adds the report's members to `json`, which holds one benchmark object as
// Google Benchmark's JSON reporter writes it (possibly after a ",\n"), as the
// object's last members, indented by `indent`: `"alloc_sites": [...]` (each
// site with `allocs_per_iter`, `bytes_per_iter` and `frames` of `{function,
// file, line}`, the "other" line last, with `other_sites` and no frames) and
// `"size_histogram": [...]` (each bucket with `min_bytes`, `max_bytes`,
// `allocs_per_iter` and `bytes_per_iter`). The members are written by a JSON
// writer (strings escaped, numbers exact); only the place they go in is
// found in the reporter's text. Each frame also has its `short` name, and
// `repeated` where it stands for several calls (its most). With stacks, adds
// `"alloc_stacks": {"iterations", "frames": [...], "stacks": [...]}`: the
// distinct frames (as in `alloc_sites`), then each stack as `frames`
// (indexes into them, outermost first), `allocs` and `bytes` (over the
// loop's `iterations`), `truncated` if cut, and one last stack with no frames
// and `overflow` for the stacks the table had no room for. Returns false,
// leaving `json` unchanged, if `json` does not end with an object.
bool AddJsonSiteFields(const SiteReport& report, const std::string& indent,
                       std::string* json);

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_SITE_OUTPUT_H_
