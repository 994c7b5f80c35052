// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: site_output.h
// -----------------------------------------------------------------------------
//
// How the column reporter prints a row's allocation sites and sizes
// (site_report.h): under the row in the console, as members of the row's
// object in JSON. This is internal to alloc_counter.
//
// Thread-compatible: pure functions of their arguments.

#ifndef ALLOC_COUNTER_SITE_OUTPUT_H_
#define ALLOC_COUNTER_SITE_OUTPUT_H_

#include <string>

#include "alloc_counter/site_report.h"

namespace alloc_counter {
namespace internal {

// ConsoleSiteBlock()
//
// The lines printed under a benchmark's console row: a header, one line per
// site with its allocations and bytes per iteration, its innermost frame and
// `file:line` (the file's base name), its callers on the lines below; then
// the size histogram on one line. Each line is indented and ends with a
// newline; empty if `report` has nothing to show.
std::string ConsoleSiteBlock(const SiteReport& report);

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
// found in the reporter's text. Returns false, leaving `json` unchanged, if
// `json` does not end with an object.
bool AddJsonSiteFields(const SiteReport& report, const std::string& indent,
                       std::string* json);

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_SITE_OUTPUT_H_
