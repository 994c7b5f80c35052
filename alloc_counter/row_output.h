// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: row_output.h
// -----------------------------------------------------------------------------
//
// How the column reporter's rows reach the reporter it wraps, by format:
// the columns as counters of each row, and the row's allocation sites and
// sizes where the format shows them. This is internal to alloc_counter.
//
//   console  each row, then its sites and sizes under it (site_output.h)
//   JSON     each row, its sites and sizes as members of its object
//            (site_json.h)
//   CSV      15 significant digits, and the columns in the header that the
//            first batch of rows fixes
//   other    the rows with their columns, nothing else (a program's own
//            reporter)
//
// The format is found once, when the column reporter is made
// (`RowOutputFor()`), by the wrapped reporter's type: a subclass of a
// format's reporter gets that format.
//
// Thread-compatible, like the reporters.

#ifndef ALLOC_COUNTER_ROW_OUTPUT_H_
#define ALLOC_COUNTER_ROW_OUTPUT_H_

#include <memory>
#include <ostream>
#include <vector>

#include "alloc_counter/site_output.h"
#include "alloc_counter/site_report.h"
#include "benchmark/benchmark.h"

namespace alloc_counter {
namespace internal {

using Run = benchmark::BenchmarkReporter::Run;

// The column values of one benchmark row.
struct ColumnValues {
  double allocs_per_iter = 0;
  double bytes_per_iter = 0;
  double peak_bytes = 0;
};

// AddColumns()
//
// Adds the three columns, as counters named allocs/iter, bytes/iter and
// peak_bytes, to `counters`.
void AddColumns(const ColumnValues& values, benchmark::UserCounters* counters);

class RowOutput {
 public:
  virtual ~RowOutput() = default;

  // Prepare()
  //
  // Sets up `out`, the stream the wrapped reporter writes to, before its
  // context is reported.
  virtual void Prepare(std::ostream& out);

  // Write()
  //
  // Passes one batch of `rows`, with the columns added, to `inner`, which
  // writes to `out`; `row_sites` holds each row's sites and sizes, null where
  // it has none.
  virtual void Write(benchmark::BenchmarkReporter* inner, std::ostream& out,
                     std::vector<Run> rows,
                     const std::vector<const SiteReport*>& row_sites);
};

// RowOutputFor()
//
// The output of the format of `inner`; the console's shows sites as
// `console` says (its `line_info_hint` under the first block only).
std::unique_ptr<RowOutput> RowOutputFor(benchmark::BenchmarkReporter* inner,
                                        const ConsoleSiteOptions& console);

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_ROW_OUTPUT_H_
