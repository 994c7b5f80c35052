// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0

#include "alloc_counter/column_reporter.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "alloc_counter/benchmark_compat.h"
#include "alloc_counter/measurements.h"
#include "alloc_counter/site_output.h"
#include "alloc_counter/site_report.h"
#include "benchmark/benchmark.h"

namespace benchmark {
// Google Benchmark's built-in statistics: exported by its library in every
// version from 1.7.1 to 1.9.x, declared only in an internal header.
double StatisticsMean(const std::vector<double>& v);
double StatisticsMedian(const std::vector<double>& v);
double StatisticsStdDev(const std::vector<double>& v);
double StatisticsCV(const std::vector<double>& v);
}  // namespace benchmark

namespace alloc_counter {
namespace {

using internal::ClearMemoryResult;
using internal::IsSkipped;
using internal::MemoryResultOf;
using internal::RepairMemoryResults;

using Run = benchmark::BenchmarkReporter::Run;
using Result = benchmark::MemoryManager::Result;

constexpr char kAllocsColumn[] = "allocs/iter";
constexpr char kBytesColumn[] = "bytes/iter";
constexpr char kPeakColumn[] = "peak_bytes";

// The fields of `result` that measurements.h records.
template <typename R>
internal::ResultFields FieldsOf(const R& result) {
  internal::ResultFields fields;
  fields.num_allocs = result.num_allocs;
  fields.max_bytes_used = result.max_bytes_used;
  fields.total_allocated_bytes = result.total_allocated_bytes;
  fields.net_heap_growth = result.net_heap_growth;
  return fields;
}

// The columns of a measurement, or nothing if its loop was skipped or did not
// end.
std::optional<ColumnValues> ValuesOf(
    const std::optional<internal::Measurement>& m) {
  if (!m.has_value() || m->skipped || m->iterations <= 0) return std::nullopt;
  const auto iterations = static_cast<double>(m->iterations);
  ColumnValues values;
  values.allocs_per_iter = static_cast<double>(m->allocs) / iterations;
  values.bytes_per_iter = static_cast<double>(m->alloc_bytes) / iterations;
  values.peak_bytes = static_cast<double>(m->peak_bytes);
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

// The statistic `name` of a benchmark whose statistics are `statistics` (from
// one of its repetition rows), or null if there is none of that name. Without
// a repetition row (aggregates only), Google Benchmark's four built-in
// statistics serve; a user's statistic then cannot be found. An aggregate
// row's own `statistics` is not read: Google Benchmark leaves it
// uninitialised (null from 1.9).
using StatisticFunction = double (*)(const std::vector<double>&);
StatisticFunction FindStatistic(const AggregateStatistics* statistics,
                                const std::string& name) {
  if (statistics != nullptr) {
    for (const auto& stat : *statistics) {
      if (stat.name_ == name) return stat.compute_;
    }
    return nullptr;
  }
  if (name == "mean") return &benchmark::StatisticsMean;
  if (name == "median") return &benchmark::StatisticsMedian;
  if (name == "stddev") return &benchmark::StatisticsStdDev;
  if (name == "cv") return &benchmark::StatisticsCV;
  return nullptr;
}

// Applies the aggregate's statistic to each column of the repetitions.
// Returns false if the statistic is unknown or undefined (cv of all-zero
// columns).
bool AggregateOf(const Run& aggregate, const AggregateStatistics* statistics,
                 const std::vector<ColumnValues>& reps, ColumnValues* out) {
  const StatisticFunction compute =
      FindStatistic(statistics, aggregate.aggregate_name);
  if (compute == nullptr) return false;
  std::vector<double> allocs, bytes, peak;
  for (const ColumnValues& v : reps) {
    allocs.push_back(v.allocs_per_iter);
    bytes.push_back(v.bytes_per_iter);
    peak.push_back(v.peak_bytes);
  }
  out->allocs_per_iter = compute(allocs);
  out->bytes_per_iter = compute(bytes);
  out->peak_bytes = compute(peak);
  return std::isfinite(out->allocs_per_iter) &&
         std::isfinite(out->bytes_per_iter) && std::isfinite(out->peak_bytes);
}

}  // namespace

ColumnHistory::ColumnHistory(bool interleaved) : interleaved_(interleaved) {}

void ColumnHistory::RecordStatistics(const std::string& run_name,
                                     const AggregateStatistics* statistics) {
  if (statistics != nullptr) statistics_[run_name] = statistics;
}

const AggregateStatistics* ColumnHistory::StatisticsOf(
    const std::string& run_name) const {
  const auto it = statistics_.find(run_name);
  return it == statistics_.end() ? nullptr : it->second;
}

const ColumnHistory::Repetitions& ColumnHistory::Find(
    const std::vector<Run>& rows) {
  std::vector<internal::Measurement> fresh = internal::TakeMeasurements();
  const Run& first = rows.front();
  const auto repetitions = static_cast<size_t>(
      std::max<int64_t>(1, static_cast<int64_t>(first.repetitions)));
  if (!interleaved_) {
    // A memory run ended since the last rows: these are a new benchmark's.
    if (!fresh.empty()) {
      current_.assign(repetitions, std::nullopt);
      const size_t skip =
          fresh.size() > repetitions ? fresh.size() - repetitions : 0;
      for (size_t i = skip; i < fresh.size(); ++i) {
        current_[i - skip] = fresh[i];
      }
    }
    return current_;
  }
  waiting_.insert(waiting_.end(), fresh.begin(), fresh.end());
  Repetitions& reps = claimed_[first.run_name.str()];
  if (!fresh.empty() || reps.size() != repetitions) {
    reps.assign(repetitions, std::nullopt);
  }
  for (const Run& row : rows) {
    if (row.run_type != Run::RT_Iteration) continue;
    const auto* result = MemoryResultOf(row.memory_result);
    const auto index = static_cast<size_t>(row.repetition_index);
    if (result == nullptr || index >= reps.size() || reps[index].has_value()) {
      continue;
    }
    const internal::ResultFields fields = FieldsOf(*result);
    for (auto it = waiting_.begin(); it != waiting_.end(); ++it) {
      if (it->result == fields) {
        reps[index] = *it;
        waiting_.erase(it);
        break;
      }
    }
  }
  return reps;
}

ColumnReporterBase::ColumnReporterBase(BenchmarkReporter* inner,
                                       std::shared_ptr<ColumnHistory> history)
    : inner_(inner), history_(std::move(history)) {
  SetOutputStream(&inner_->GetOutputStream());
  SetErrorStream(&inner_->GetErrorStream());
  BENCHMARK_DISABLE_DEPRECATED_WARNING
  is_csv_ = dynamic_cast<benchmark::CSVReporter*>(inner_) != nullptr;
  is_json_ = dynamic_cast<benchmark::JSONReporter*>(inner_) != nullptr;
  is_console_ = dynamic_cast<benchmark::ConsoleReporter*>(inner_) != nullptr;
  BENCHMARK_RESTORE_DEPRECATED_WARNING
}

bool ColumnReporterBase::ReportContext(const Context& context) {
  // Google Benchmark points this reporter at the output file (or stdout);
  // the wrapped reporter writes there too.
  inner_->SetOutputStream(&GetOutputStream());
  inner_->SetErrorStream(&GetErrorStream());
  // CSV prints counters with the stream's precision (6 significant digits by
  // default); 15 keeps byte counts and fractions such as 1.0625 exact.
  if (is_csv_) GetOutputStream().precision(15);
  return inner_->ReportContext(context);
}

void ColumnReporterBase::ReportRuns(const std::vector<Run>& runs) {
  if (runs.empty()) return;
  std::vector<Run> rows(runs);
  RepairMemoryResults(rows);
  const ColumnHistory::Repetitions& reps = history_->Find(rows);
  // The repetitions' columns, for the aggregates: Google Benchmark's
  // statistics leave skipped repetitions out, and so do these.
  std::vector<ColumnValues> rep_values;
  bool all_reps_known = !reps.empty();
  for (const auto& m : reps) {
    if (!m.has_value()) {
      all_reps_known = false;
    } else if (!m->skipped) {
      const std::optional<ColumnValues> values = ValuesOf(m);
      if (values.has_value()) {
        rep_values.push_back(*values);
      } else {
        all_reps_known = false;
      }
    }
  }
  // Each row's allocation sites, if it has any.
  std::vector<const internal::SiteReport*> row_sites(rows.size(), nullptr);
  for (Run& row : rows) {
    if (IsSkipped(row)) continue;
    if (row.run_type == Run::RT_Iteration) {
      const auto* result = MemoryResultOf(row.memory_result);
      const auto index = static_cast<size_t>(row.repetition_index);
      if (result == nullptr || index >= reps.size() ||
          !reps[index].has_value() ||
          !(reps[index]->result == FieldsOf(*result))) {
        continue;
      }
      const std::optional<ColumnValues> values = ValuesOf(reps[index]);
      if (!values.has_value()) {
        // The memory run was skipped or left its loop without ending it: its
        // figures describe no whole loop, so the row shows none.
        ClearMemoryResult(&row);
        continue;
      }
      // Google Benchmark's own field agrees with the column.
      row.allocs_per_iter = values->allocs_per_iter;
      history_->RecordStatistics(row.run_name.str(), row.statistics);
      AddColumns(*values, &row.counters);
      row_sites[static_cast<size_t>(&row - rows.data())] =
          reps[index]->sites.get();
    } else {
      ColumnValues values;
      if (all_reps_known &&
          AggregateOf(row, history_->StatisticsOf(row.run_name.str()),
                      rep_values, &values)) {
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
  ReportRowsWithSites(rows, row_sites);
}

void ColumnReporterBase::ReportRowsWithSites(
    const std::vector<Run>& rows,
    const std::vector<const internal::SiteReport*>& row_sites) {
  const bool any = std::any_of(row_sites.begin(), row_sites.end(),
                               [](const auto* r) { return r != nullptr; });
  if (!any || (!is_console_ && !is_json_)) {
    inner_->ReportRuns(rows);
    return;
  }
  // One row at a time, each followed by its sites: console and JSON
  // reporters print rows one by one, so this is what they would print for
  // the whole batch.
  std::ostream& out = GetOutputStream();
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::vector<Run> one = {rows[i]};
    if (is_console_) {
      inner_->ReportRuns(one);
      if (row_sites[i] != nullptr) {
        out << internal::ConsoleSiteBlock(*row_sites[i]) << std::flush;
      }
      continue;
    }
    // JSON: the row is written into a buffer, the sites are added as the
    // object's last members, and the whole goes to the real stream.
    std::ostringstream buffer;
    buffer.copyfmt(out);
    inner_->SetOutputStream(&buffer);
    inner_->ReportRuns(one);
    inner_->SetOutputStream(&out);
    std::string json = buffer.str();
    if (row_sites[i] != nullptr) {
      internal::AddJsonSiteFields(*row_sites[i], std::string(6, ' '), &json);
    }
    out << json;
  }
}

void ColumnReporterBase::Finalize() { inner_->Finalize(); }

}  // namespace alloc_counter
