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
// The values come from the `MemoryManager::Result` of Google Benchmark's
// memory run: counted in that run's loop and divided by its iterations, or,
// in timed mode, counted in the reported timed run and divided by the row's
// own iterations. Rows without a result (errors, skipped benchmarks) get no
// columns.
// Aggregate rows (mean, median, stddev, cv, and user statistics) get the
// statistic of the repetitions' columns, computed by the benchmark's own
// statistics functions, when those repetitions were reported first (the
// default); otherwise they get none.
//
// Thread-compatible, like every Google Benchmark reporter: Google Benchmark
// calls it from one thread.

#ifndef ALLOC_COUNTER_COLUMN_REPORTER_H_
#define ALLOC_COUNTER_COLUMN_REPORTER_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"

namespace alloc_counter {

// The column values of one benchmark row.
struct ColumnValues {
  double allocs_per_iter = 0;
  double bytes_per_iter = 0;
  double peak_bytes = 0;
};

// The statistics (mean, median, stddev, cv and a user's) Google Benchmark
// computes the aggregates of a benchmark with.
using AggregateStatistics = std::vector<benchmark::internal::Statistics>;

// Column values of the repetitions of each benchmark, by run name, and the
// statistics of their aggregates. One history may be shared by a display and
// a file reporter.
class ColumnHistory {
 public:
  void Record(const std::string& run_name, int64_t repetition_index,
              const ColumnValues& values);
  // Copies the values of all `repetitions` repetitions of `run_name` into
  // `*out`; returns false if any of them is missing.
  bool Find(const std::string& run_name, int64_t repetitions,
            std::vector<ColumnValues>* out) const;

  // Records the statistics of `run_name`'s aggregates, from a repetition's
  // row: Google Benchmark reports the aggregates in a later batch, and
  // leaves `statistics` of an aggregate row uninitialised. `statistics` is
  // Google Benchmark's own and stays valid while the benchmarks run.
  void RecordStatistics(const std::string& run_name,
                        const AggregateStatistics* statistics);
  // The statistics recorded for `run_name`, or null.
  const AggregateStatistics* FindStatistics(const std::string& run_name) const;

 private:
  std::map<std::string, std::vector<std::optional<ColumnValues>>> values_;
  std::map<std::string, const AggregateStatistics*> statistics_;
};

class ColumnReporter : public benchmark::BenchmarkReporter {
 public:
  // Where the counts of a memory result were taken.
  enum class CountSource { kMemoryRun, kTimedRun };

  // Wraps `inner`. `history` may be shared with another ColumnReporter of the
  // same run.
  ColumnReporter(std::unique_ptr<benchmark::BenchmarkReporter> inner,
                 std::shared_ptr<ColumnHistory> history,
                 CountSource source = CountSource::kMemoryRun);

  bool ReportContext(const Context& context) override;
  void ReportRuns(const std::vector<Run>& runs) override;
  void Finalize() override;

 private:
  std::unique_ptr<benchmark::BenchmarkReporter> inner_;
  std::shared_ptr<ColumnHistory> history_;
  CountSource source_;
  // CSV fixes its columns on its first batch of rows; these record whether
  // ours were among them.
  bool is_csv_ = false;
  bool csv_header_done_ = false;
  bool csv_has_columns_ = false;
};

}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_COLUMN_REPORTER_H_
