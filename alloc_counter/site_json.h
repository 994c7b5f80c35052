// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: site_json.h
// -----------------------------------------------------------------------------
//
// How the column reporter writes a row's allocation sites, stacks and sizes
// (site_report.h) into Google Benchmark's JSON output: as members of the
// row's object, written by a JSON writer. This is internal to alloc_counter.
//
// Thread-compatible: a pure function of its arguments.

#ifndef ALLOC_COUNTER_SITE_JSON_H_
#define ALLOC_COUNTER_SITE_JSON_H_

#include <string>

#include "alloc_counter/site_report.h"

namespace alloc_counter {
namespace internal {

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

#endif  // ALLOC_COUNTER_SITE_JSON_H_
