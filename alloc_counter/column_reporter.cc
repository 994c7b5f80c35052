// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0

#include "alloc_counter/column_reporter.h"

#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "benchmark/benchmark.h"

namespace alloc_counter {
namespace {

using Run = benchmark::BenchmarkReporter::Run;
using Result = benchmark::MemoryManager::Result;

constexpr char kAllocsColumn[] = "allocs/iter";
constexpr char kBytesColumn[] = "bytes/iter";
constexpr char kPeakColumn[] = "peak_bytes";

// Google Benchmark's `Run` changed shape across versions; these helpers read
// it in every shape, detected by SFINAE.

// Up to 1.7.x a failed run has `error_occurred`; from 1.8 it has `skipped`.
template <typename R, typename = void>
struct HasErrorOccurred : std::false_type {};
template <typename R>
struct HasErrorOccurred<R, std::void_t<decltype(std::declval<R&>().error_occurred)>>
    : std::true_type {};

template <typename R>
bool IsSkipped(const R& run) {
  if constexpr (HasErrorOccurred<R>::value) {
    return run.error_occurred;
  } else {
    return static_cast<bool>(run.skipped);
  }
}

// Up to 1.9.1 `memory_result` points to the result (or is null); from 1.9.2
// it holds the result, present when its `memory_iterations` is non-zero.
// (Unused from 1.9.2 on, hence [[maybe_unused]].)
[[maybe_unused]] inline const Result* MemoryResultOf(const Result* result) {
  return result;
}
template <typename R>
const R* MemoryResultOf(const R& result) {
  return result.memory_iterations > 0 ? &result : nullptr;
}

// The number of iterations of the memory run: recorded in the result from
// 1.9.2, otherwise recovered from the allocation count and Google Benchmark's
// own allocs_per_iter (num_allocs / memory_iterations).
template <typename R, typename = void>
struct HasMemoryIterations : std::false_type {};
template <typename R>
struct HasMemoryIterations<R, std::void_t<decltype(std::declval<R&>().memory_iterations)>>
    : std::true_type {};

template <typename R>
double MemoryIterations(const Run& run, const R& result) {
  if constexpr (HasMemoryIterations<R>::value) {
    return static_cast<double>(result.memory_iterations);
  } else {
    if (result.num_allocs == 0 || !(run.allocs_per_iter > 0)) return 0;
    return std::round(static_cast<double>(result.num_allocs) /
                      run.allocs_per_iter);
  }
}

// Google Benchmark before 1.9.2 keeps each repetition's memory result in a
// vector that it grows while earlier rows still point into it, so every row
// but the last of a batch points to freed memory. The vector holds one result
// per repetition, in order, and the last row's pointer is still valid: each
// row's result lies `last.repetition_index - row.repetition_index` elements
// before it. Rows whose result cannot be located lose it, rather than show
// what freed memory holds.
template <typename RunT>
void RepairMemoryResults(std::vector<RunT>& runs) {
  if constexpr (std::is_pointer_v<decltype(std::declval<RunT&>().memory_result)>) {
    if (runs.size() < 2) return;
    const RunT& last = runs.back();
    for (RunT& run : runs) {
      if (&run == &last || run.memory_result == nullptr) continue;
      if (last.memory_result == nullptr ||
          run.run_type != RunT::RT_Iteration ||
          run.repetition_index > last.repetition_index) {
        run.memory_result = nullptr;
        continue;
      }
      run.memory_result = last.memory_result - (last.repetition_index -
                                                run.repetition_index);
    }
  }
}

// The columns of `run`, whose counts were taken in the memory run or, with
// `timed`, in the timed run that `run` reports (all its threads'
// iterations).
template <typename R>
ColumnValues ValuesOf(const Run& run, const R& result, bool timed) {
  const double iterations = timed ? static_cast<double>(run.iterations)
                                  : MemoryIterations(run, result);
  ColumnValues values;
  if (iterations > 0) {
    values.allocs_per_iter = static_cast<double>(result.num_allocs) / iterations;
    values.bytes_per_iter =
        static_cast<double>(result.total_allocated_bytes) / iterations;
  }
  values.peak_bytes = static_cast<double>(result.max_bytes_used);
  return values;
}

void AddColumns(const ColumnValues& values, benchmark::UserCounters* counters) {
  (*counters)[kAllocsColumn] = benchmark::Counter(values.allocs_per_iter);
  (*counters)[kBytesColumn] = benchmark::Counter(values.bytes_per_iter);
  (*counters)[kPeakColumn] = benchmark::Counter(values.peak_bytes);
}

bool HasColumns(const Run& run) {
  return run.counters.count(kAllocsColumn) != 0;
}

void RemoveColumns(Run* run) {
  run->counters.erase(kAllocsColumn);
  run->counters.erase(kBytesColumn);
  run->counters.erase(kPeakColumn);
}

// Applies the aggregate's statistic, one of `statistics` (mean, median,
// stddev, cv or a user's), to each column of the repetitions. Returns false
// if the statistic is unknown or undefined (cv of all-zero columns).
// `aggregate.statistics` is not read: Google Benchmark's ComputeStats()
// leaves it uninitialised.
bool AggregateOf(const Run& aggregate, const AggregateStatistics* statistics,
                 const std::vector<ColumnValues>& reps, ColumnValues* out) {
  if (statistics == nullptr) return false;
  for (const auto& stat : *statistics) {
    if (stat.name_ != aggregate.aggregate_name) continue;
    std::vector<double> allocs, bytes, peak;
    for (const ColumnValues& v : reps) {
      allocs.push_back(v.allocs_per_iter);
      bytes.push_back(v.bytes_per_iter);
      peak.push_back(v.peak_bytes);
    }
    out->allocs_per_iter = stat.compute_(allocs);
    out->bytes_per_iter = stat.compute_(bytes);
    out->peak_bytes = stat.compute_(peak);
    return std::isfinite(out->allocs_per_iter) &&
           std::isfinite(out->bytes_per_iter) && std::isfinite(out->peak_bytes);
  }
  return false;
}

}  // namespace

void ColumnHistory::Record(const std::string& run_name,
                           int64_t repetition_index,
                           const ColumnValues& values) {
  auto& reps = values_[run_name];
  const auto index =
      static_cast<size_t>(repetition_index < 0 ? 0 : repetition_index);
  if (reps.size() <= index) reps.resize(index + 1);
  reps[index] = values;
}

void ColumnHistory::RecordStatistics(const std::string& run_name,
                                     const AggregateStatistics* statistics) {
  statistics_[run_name] = statistics;
}

const AggregateStatistics* ColumnHistory::FindStatistics(
    const std::string& run_name) const {
  const auto it = statistics_.find(run_name);
  return it == statistics_.end() ? nullptr : it->second;
}

bool ColumnHistory::Find(const std::string& run_name, int64_t repetitions,
                         std::vector<ColumnValues>* out) const {
  const auto it = values_.find(run_name);
  if (it == values_.end() ||
      static_cast<int64_t>(it->second.size()) != repetitions) {
    return false;
  }
  out->clear();
  for (const auto& value : it->second) {
    if (!value.has_value()) return false;
    out->push_back(*value);
  }
  return true;
}

ColumnReporter::ColumnReporter(std::unique_ptr<BenchmarkReporter> inner,
                               std::shared_ptr<ColumnHistory> history,
                               CountSource source)
    : inner_(std::move(inner)), history_(std::move(history)), source_(source) {
  BENCHMARK_DISABLE_DEPRECATED_WARNING
  is_csv_ = dynamic_cast<benchmark::CSVReporter*>(inner_.get()) != nullptr;
  BENCHMARK_RESTORE_DEPRECATED_WARNING
}

bool ColumnReporter::ReportContext(const Context& context) {
  // Google Benchmark points this reporter at the output file (or stdout);
  // the wrapped reporter writes there too.
  inner_->SetOutputStream(&GetOutputStream());
  inner_->SetErrorStream(&GetErrorStream());
  // CSV prints counters with the stream's precision (6 significant digits by
  // default); 15 keeps byte counts and fractions such as 1.0625 exact.
  if (is_csv_) GetOutputStream().precision(15);
  return inner_->ReportContext(context);
}

void ColumnReporter::ReportRuns(const std::vector<Run>& runs) {
  std::vector<Run> rows(runs);
  RepairMemoryResults(rows);
  for (Run& row : rows) {
    if (IsSkipped(row)) continue;
    if (row.run_type == Run::RT_Iteration) {
      const auto* result = MemoryResultOf(row.memory_result);
      if (result == nullptr) continue;
      const ColumnValues values =
          ValuesOf(row, *result, source_ == CountSource::kTimedRun);
      // Google Benchmark's own field agrees with the column.
      row.allocs_per_iter = values.allocs_per_iter;
      history_->Record(row.run_name.str(), row.repetition_index, values);
      history_->RecordStatistics(row.run_name.str(), row.statistics);
      AddColumns(values, &row.counters);
    } else {
      std::vector<ColumnValues> reps;
      ColumnValues values;
      if (history_->Find(row.run_name.str(), row.repetitions, &reps) &&
          AggregateOf(row, history_->FindStatistics(row.run_name.str()), reps,
                      &values)) {
        AddColumns(values, &row.counters);
      }
    }
  }
  if (is_csv_) {
    if (!csv_header_done_) {
      // CSV takes its columns from its first batch of rows. Error rows print
      // no counters, so they can carry our column names into the header.
      csv_header_done_ = true;
      bool any = false;
      for (const Run& row : rows) any = any || HasColumns(row);
      if (!any) {
        for (Run& row : rows) {
          if (IsSkipped(row)) {
            AddColumns(ColumnValues(), &row.counters);
            any = true;
          }
        }
      }
      csv_has_columns_ = any;
    } else if (!csv_has_columns_) {
      for (Run& row : rows) RemoveColumns(&row);
    }
  }
  inner_->ReportRuns(rows);
}

void ColumnReporter::Finalize() { inner_->Finalize(); }

}  // namespace alloc_counter
