// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0

#include "alloc_counter/column_reporter.h"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "alloc_counter/benchmark_compat.h"
#include "alloc_counter/measurement_matcher.h"
#include "alloc_counter/measurements.h"
#include "alloc_counter/row_output.h"
#include "alloc_counter/site_output.h"
#include "alloc_counter/site_report.h"
#include "alloc_counter/stack_files.h"
#include "benchmark/benchmark.h"

namespace alloc_counter {
namespace internal {
namespace {

// The columns of a measurement, or nothing if its loop was skipped or did not
// end.
std::optional<ColumnValues> ValuesOf(const std::optional<Measurement>& m) {
  if (!m.has_value() || m->skipped || m->iterations <= 0) return std::nullopt;
  const auto iterations = static_cast<double>(m->iterations);
  ColumnValues values;
  values.allocs_per_iter = static_cast<double>(m->allocs) / iterations;
  values.bytes_per_iter = static_cast<double>(m->alloc_bytes) / iterations;
  values.peak_bytes = static_cast<double>(m->peak_bytes);
  return values;
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

ColumnReporterBase::ColumnReporterBase(
    BenchmarkReporter* inner, std::shared_ptr<MeasurementMatcher> matcher,
    const ConsoleSiteOptions& console, StackFiles* stack_files)
    : inner_(inner),
      matcher_(std::move(matcher)),
      output_(RowOutputFor(inner, console)),
      stack_files_(stack_files) {
  SetOutputStream(&inner_->GetOutputStream());
  SetErrorStream(&inner_->GetErrorStream());
}

bool ColumnReporterBase::ReportContext(const Context& context) {
  // Google Benchmark points this reporter at the output file (or stdout);
  // the wrapped reporter writes there too.
  inner_->SetOutputStream(&GetOutputStream());
  inner_->SetErrorStream(&GetErrorStream());
  output_->Prepare(GetOutputStream());
  return inner_->ReportContext(context);
}

void ColumnReporterBase::ReportRuns(const std::vector<Run>& runs) {
  if (runs.empty()) return;
  std::vector<Run> rows(runs);
  RepairMemoryResults(rows);
  matcher_->Receive(TakeMeasurements());
  const MeasurementMatcher::Repetitions& reps = matcher_->Claim(rows);
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
  std::vector<const SiteReport*> row_sites(rows.size(), nullptr);
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
      matcher_->RecordStatistics(row.run_name.str(), row.statistics);
      AddColumns(*values, &row.counters);
      row_sites[static_cast<size_t>(&row - rows.data())] =
          reps[index]->sites.get();
    } else {
      ColumnValues values;
      if (all_reps_known &&
          AggregateOf(row, matcher_->StatisticsOf(row.run_name.str()),
                      rep_values, &values)) {
        AddColumns(values, &row.counters);
      }
    }
  }
  if (stack_files_ != nullptr) {
    for (size_t i = 0; i < rows.size(); ++i) {
      if (row_sites[i] != nullptr) {
        stack_files_->Add(rows[i].benchmark_name(), *row_sites[i]);
      }
    }
  }
  output_->Write(inner_, GetOutputStream(), std::move(rows), row_sites);
}

void ColumnReporterBase::Finalize() { inner_->Finalize(); }

}  // namespace internal
}  // namespace alloc_counter
