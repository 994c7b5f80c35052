// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: column_reporter.h
// -----------------------------------------------------------------------------
//
// A `benchmark::BenchmarkReporter` that wraps another reporter (console, JSON,
// CSV or a user's own) and adds alloc_counter's columns to every benchmark
// row before passing the rows on:
//
//   allocs/iter  allocations the loop body made per iteration
//   bytes/iter   bytes those allocations requested, per iteration
//   peak_bytes   largest growth of live heap bytes above the level at the
//                start of the loop (not per iteration)
//
// The values come from the measurement that Google Benchmark's memory run of
// the row left (measurements.h): the loop's counts divided by the iterations
// the loop really ran or, in timed mode, the reported timed run's counts
// divided by its iterations (all threads'). Google Benchmark's native
// `allocs_per_iter` field is set to the same value. Rows without a
// measurement (errors, skipped benchmarks) get no columns.
// Aggregate rows (mean, median, stddev, cv, and user statistics) get the
// statistic of the repetitions' columns, computed by the benchmark's own
// statistics functions, whether the repetitions' rows were reported or not
// (`--benchmark_report_aggregates_only`, `--benchmark_display_aggregates_only`
// and their per-benchmark forms).
// With `--alloc_counter_sites` or `--alloc_counter_histogram`, a console
// reporter prints each row's allocation sites and sizes under it, and a JSON
// reporter gets them as the members `alloc_sites` and `size_histogram` of
// the row's object (site_report.h); CSV and other reporters are unchanged.
// Thread-compatible, like every Google Benchmark reporter: Google Benchmark
// calls it from one thread.

#ifndef ALLOC_COUNTER_COLUMN_REPORTER_H_
#define ALLOC_COUNTER_COLUMN_REPORTER_H_

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "alloc_counter/benchmark_compat.h"
#include "alloc_counter/measurements.h"
#include "benchmark/benchmark.h"

namespace alloc_counter {

// The column values of one benchmark row.
struct ColumnValues {
  double allocs_per_iter = 0;
  double bytes_per_iter = 0;
  double peak_bytes = 0;
};

// Finds the measurement (measurements.h) of each repetition of a benchmark.
// One history is shared by the display and the file reporter of a run: each
// sees a benchmark's rows (or only its aggregate rows) right after the memory
// run of its last repetition, and no memory run ends between them.
//
// Without interleaving, the memory runs that ended since the previous
// benchmark's rows are this benchmark's repetitions, in order (the last
// `repetitions` of them, should more be waiting). With
// `--benchmark_enable_random_interleaving`, repetitions of several benchmarks
// alternate: a repetition's row then takes the oldest waiting measurement
// whose result fields equal its memory result, and a benchmark whose
// repetition rows are not reported (aggregates only) has none.
// The statistics a benchmark's aggregates are computed with.
using AggregateStatistics = std::vector<benchmark::internal::Statistics>;

class ColumnHistory {
 public:
  // Measurements by repetition index; empty where none is known.
  using Repetitions = std::vector<std::optional<internal::Measurement>>;

  explicit ColumnHistory(bool interleaved = false);

  // Returns the measurements of the repetitions of the benchmark that `rows`
  // (one `ReportRuns()` batch, not empty) report.
  const Repetitions& Find(
      const std::vector<benchmark::BenchmarkReporter::Run>& rows);

  // Records the statistics of `run_name`, as a repetition row carries them
  // (null is ignored), and returns them, or null if no row carried them.
  void RecordStatistics(const std::string& run_name,
                        const AggregateStatistics* statistics);
  const AggregateStatistics* StatisticsOf(const std::string& run_name) const;

 private:
  const bool interleaved_;
  // Without interleaving: the benchmark being reported.
  Repetitions current_;
  // With interleaving: measurements no row has claimed yet, oldest first, and
  // the claimed ones by run name.
  std::deque<internal::Measurement> waiting_;
  std::map<std::string, Repetitions> claimed_;
  // Statistics by run name, from the repetition rows.
  std::map<std::string, const AggregateStatistics*> statistics_;
};

// The columns' reporter for every Google Benchmark version; `ColumnReporter`
// below adds what a version's reporters have beyond these calls.
class ColumnReporterBase : public benchmark::BenchmarkReporter {
 public:
  // Wraps `inner`, which is not owned and must outlive this reporter, and
  // starts with its output and error streams, so that what Google Benchmark
  // writes to this reporter's streams goes where `inner`'s would. `history`
  // may be shared with another ColumnReporter of the same run.
  ColumnReporterBase(benchmark::BenchmarkReporter* inner,
                     std::shared_ptr<ColumnHistory> history);

  bool ReportContext(const Context& context) override;
  void ReportRuns(const std::vector<Run>& runs) override;
  void Finalize() override;

 protected:
  benchmark::BenchmarkReporter* inner() const { return inner_; }

 private:
  // Passes `rows` to the wrapped reporter, each followed by its sites
  // (`row_sites`, null where a row has none).
  void ReportRowsWithSites(
      const std::vector<Run>& rows,
      const std::vector<const internal::SiteReport*>& row_sites);

  benchmark::BenchmarkReporter* const inner_;
  std::shared_ptr<ColumnHistory> history_;
  bool is_console_ = false;
  bool is_json_ = false;
  // CSV fixes its columns on its first batch of rows; these record whether
  // ours were among them.
  bool is_csv_ = false;
  bool csv_header_done_ = false;
  bool csv_has_columns_ = false;
};

// ColumnReporter
//
// Wraps a reporter (console, JSON, CSV or a user's own) and passes it every
// call, with the columns added to the rows. From Google Benchmark 1.8 that
// includes `ReportRunsConfig()`.
using ColumnReporter = internal::ForwardsRunsConfig<ColumnReporterBase>;

}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_COLUMN_REPORTER_H_
