// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Tests of ColumnReporter on the rows Google Benchmark really reports: a
// benchmark with repetitions is run with `benchmark::RunSpecifiedBenchmarks`
// (alloc_counter's MemoryManager registered), and its rows pass through a
// ColumnReporter into a reporter that keeps them.
//
// The rows are Google Benchmark's own rather than built by hand: building a
// `MemoryManager::Result` names `MemoryManager::TombstoneValue`, which
// Debian's shared libbenchmark 1.7.1 does not export.
//
// The test links alloc_counter's MemoryManager and loop wrappers, but not the
// `//alloc_counter` target, whose redirected RunSpecifiedBenchmarks() would
// wrap the reporter in a ColumnReporter of its own: it says itself that the
// measurements go to a column reporter.

#include "alloc_counter/column_reporter.h"

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "alloc_counter/measurements.h"
#include "benchmark/benchmark.h"
#include "gtest/gtest.h"

namespace alloc_counter {
namespace {

using BenchmarkRun = benchmark::BenchmarkReporter::Run;

// Keeps every row it is given.
class RecordingReporter : public benchmark::BenchmarkReporter {
 public:
  explicit RecordingReporter(std::vector<Run>* rows) : rows_(rows) {}
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>& runs) override {
    rows_->insert(rows_->end(), runs.begin(), runs.end());
  }

 private:
  std::vector<Run>* rows_;
};

// Passes Google Benchmark's rows on with `statistics` of every aggregate row
// set to null. Google Benchmark leaves that field uninitialised, so a
// reporter must not depend on what it holds; null makes that deterministic.
class NullAggregateStatistics : public benchmark::BenchmarkReporter {
 public:
  explicit NullAggregateStatistics(benchmark::BenchmarkReporter* next)
      : next_(next) {}
  bool ReportContext(const Context& context) override {
    return next_->ReportContext(context);
  }
  void ReportRuns(const std::vector<Run>& runs) override {
    std::vector<Run> rows(runs);
    for (Run& row : rows) {
      if (row.run_type == Run::RT_Aggregate) row.statistics = nullptr;
    }
    next_->ReportRuns(rows);
  }
  void Finalize() override { next_->Finalize(); }

 private:
  benchmark::BenchmarkReporter* next_;
};

// Repetition r allocates r + 1 blocks of 10 bytes per iteration. With fixed
// iterations Google Benchmark calls the function twice per repetition: the
// timed run, then the memory run.
void BM_GrowsPerRepetition(benchmark::State& state) {
  static int calls = 0;
  const int blocks = calls++ / 2 + 1;
  for (auto _ : state) {
    for (int i = 0; i < blocks; ++i) {
      void* p = ::operator new(10);
      benchmark::DoNotOptimize(p);
      ::operator delete (p, std::size_t{10});
    }
  }
}

double Max(const std::vector<double>& v) {
  double max = 0;
  for (double x : v) max = x > max ? x : max;
  return max;
}

double Column(const BenchmarkRun& row, const char* name) {
  const auto it = row.counters.find(name);
  return it == row.counters.end() ? -1 : it->second.value;
}

TEST(ColumnReporter, AggregateRowsTakeTheStatisticsOfTheirRepetitions) {
  benchmark::RegisterBenchmark("BM_GrowsPerRepetition", &BM_GrowsPerRepetition)
      ->Iterations(16)
      ->Repetitions(3)
      ->ComputeStatistics("max", &Max);
  std::vector<BenchmarkRun> rows;
  RecordingReporter recording(&rows);
  internal::ColumnReporter columns(
      &recording, std::make_shared<internal::MeasurementMatcher>(false));
  NullAggregateStatistics reporter(&columns);
  internal::SetAudience(internal::Audience::kColumns);
  benchmark::RunSpecifiedBenchmarks(&reporter);

  // 3 repetitions; mean, median, stddev, cv and max.
  ASSERT_EQ(rows.size(), 8u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(rows[i].run_type, BenchmarkRun::RT_Iteration);
    EXPECT_EQ(Column(rows[i], "allocs/iter"), static_cast<double>(i + 1));
    EXPECT_EQ(Column(rows[i], "bytes/iter"), 10.0 * static_cast<double>(i + 1));
    EXPECT_EQ(Column(rows[i], "peak_bytes"), 10);
  }
  std::vector<std::string> aggregates;
  for (size_t i = 3; i < rows.size(); ++i) {
    const BenchmarkRun& row = rows[i];
    aggregates.push_back(row.aggregate_name);
    if (row.aggregate_name == "mean" || row.aggregate_name == "median") {
      EXPECT_EQ(Column(row, "allocs/iter"), 2) << row.aggregate_name;
      EXPECT_EQ(Column(row, "bytes/iter"), 20) << row.aggregate_name;
      EXPECT_EQ(Column(row, "peak_bytes"), 10) << row.aggregate_name;
    } else if (row.aggregate_name == "stddev") {
      EXPECT_NEAR(Column(row, "allocs/iter"), 1, 1e-12);
      EXPECT_NEAR(Column(row, "bytes/iter"), 10, 1e-12);
      EXPECT_EQ(Column(row, "peak_bytes"), 0);
    } else if (row.aggregate_name == "cv") {
      EXPECT_NEAR(Column(row, "allocs/iter"), 0.5, 1e-12);
      EXPECT_NEAR(Column(row, "bytes/iter"), 0.5, 1e-12);
      EXPECT_EQ(Column(row, "peak_bytes"), 0);
    } else if (row.aggregate_name == "max") {
      EXPECT_EQ(Column(row, "allocs/iter"), 3);
      EXPECT_EQ(Column(row, "bytes/iter"), 30);
      EXPECT_EQ(Column(row, "peak_bytes"), 10);
    }
  }
  EXPECT_EQ(aggregates, (std::vector<std::string>{"mean", "median", "stddev",
                                                  "cv", "max"}));
}

}  // namespace
}  // namespace alloc_counter
