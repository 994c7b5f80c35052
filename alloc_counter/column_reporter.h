// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: column_reporter.h
// -----------------------------------------------------------------------------
//
// A `benchmark::BenchmarkReporter` that wraps another reporter (console, JSON,
// CSV or a user's own) and adds alloc_counter's columns to every benchmark
// row before passing the rows on. This is internal to alloc_counter.
//
//   allocs/iter  allocations the loop body made per iteration
//   bytes/iter   bytes those allocations requested, per iteration
//   peak_bytes   largest growth of live heap bytes above the level at the
//                start of the loop (not per iteration)
//
// The values come from the measurement that Google Benchmark's memory run of
// the row left (measurements.h), found by the run's matcher
// (measurement_matcher.h): the loop's counts divided by the iterations the
// loop really ran or, in timed mode, the reported timed run's counts divided
// by its iterations (all threads'). Google Benchmark's native
// `allocs_per_iter` field is set to the same value. Rows without a
// measurement (errors, skipped benchmarks) get no columns. Aggregate rows
// (mean, median, stddev, cv, and user statistics) get the statistic of the
// repetitions' columns, computed by the benchmark's own statistics functions,
// whether the repetitions' rows were reported or not
// (`--benchmark_report_aggregates_only`, `--benchmark_display_aggregates_only`
// and their per-benchmark forms). How the rows reach the wrapped reporter,
// with their sites and sizes where its format shows them, is row_output.h's.
//
// Thread-compatible, like every Google Benchmark reporter: Google Benchmark
// calls it from one thread.

#ifndef ALLOC_COUNTER_COLUMN_REPORTER_H_
#define ALLOC_COUNTER_COLUMN_REPORTER_H_

#include <memory>
#include <vector>

#include "alloc_counter/benchmark_compat.h"
#include "alloc_counter/measurement_matcher.h"
#include "alloc_counter/row_output.h"
#include "alloc_counter/site_output.h"
#include "alloc_counter/stack_files.h"
#include "benchmark/benchmark.h"

namespace alloc_counter {
namespace internal {

// The columns' reporter for every Google Benchmark version; `ColumnReporter`
// below adds what a version's reporters have beyond these calls.
class ColumnReporterBase : public benchmark::BenchmarkReporter {
 public:
  // Wraps `inner`, which is not owned and must outlive this reporter, and
  // starts with its output and error streams, so that what Google Benchmark
  // writes to this reporter's streams goes where `inner`'s would. `matcher`
  // may be shared with another ColumnReporter of the same run. A console
  // shows sites as `console` says. `stack_files`, if not null, gets each
  // row's stacks; not owned, it must outlive this reporter, and only one
  // reporter of a run may have it.
  ColumnReporterBase(benchmark::BenchmarkReporter* inner,
                     std::shared_ptr<MeasurementMatcher> matcher,
                     const ConsoleSiteOptions& console = ConsoleSiteOptions(),
                     StackFiles* stack_files = nullptr);

  bool ReportContext(const Context& context) override;
  void ReportRuns(const std::vector<Run>& runs) override;
  void Finalize() override;

 protected:
  benchmark::BenchmarkReporter* inner() const { return inner_; }

 private:
  benchmark::BenchmarkReporter* const inner_;
  std::shared_ptr<MeasurementMatcher> matcher_;
  // Chosen once, by `inner_`'s format.
  std::unique_ptr<RowOutput> output_;
  StackFiles* const stack_files_;
};

// ColumnReporter
//
// Wraps a reporter (console, JSON, CSV or a user's own) and passes it every
// call, with the columns added to the rows. From Google Benchmark 1.8 that
// includes `ReportRunsConfig()`.
using ColumnReporter = ForwardsRunsConfig<ColumnReporterBase>;

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_COLUMN_REPORTER_H_
