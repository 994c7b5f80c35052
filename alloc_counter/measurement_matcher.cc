// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0

#include "alloc_counter/measurement_matcher.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "alloc_counter/benchmark_compat.h"
#include "alloc_counter/measurements.h"
#include "benchmark/benchmark.h"

namespace alloc_counter {
namespace internal {

using Run = benchmark::BenchmarkReporter::Run;

MeasurementMatcher::MeasurementMatcher(bool interleaved)
    : interleaved_(interleaved) {}

void MeasurementMatcher::Receive(std::vector<Measurement> fresh) {
  if (fresh.empty()) return;
  fresh_ = true;
  std::move(fresh.begin(), fresh.end(), std::back_inserter(waiting_));
}

const MeasurementMatcher::Repetitions& MeasurementMatcher::Claim(
    const std::vector<Run>& rows) {
  const Run& first = rows.front();
  const auto repetitions = static_cast<size_t>(
      std::max<int64_t>(1, static_cast<int64_t>(first.repetitions)));
  const bool fresh = fresh_;
  fresh_ = false;
  if (!interleaved_) {
    // A memory run ended since the last rows: these are a new benchmark's.
    if (fresh) {
      current_.assign(repetitions, std::nullopt);
      const size_t skip =
          waiting_.size() > repetitions ? waiting_.size() - repetitions : 0;
      for (size_t i = skip; i < waiting_.size(); ++i) {
        current_[i - skip] = std::move(waiting_[i]);
      }
      waiting_.clear();
    }
    return current_;
  }
  Repetitions& reps = claimed_[first.run_name.str()];
  if (fresh || reps.size() != repetitions) {
    reps.assign(repetitions, std::nullopt);
  }
  for (const Run& row : rows) {
    if (row.run_type != Run::RT_Iteration) continue;
    const auto* result = MemoryResultOf(row.memory_result);
    const auto index = static_cast<size_t>(row.repetition_index);
    if (result == nullptr || index >= reps.size() || reps[index].has_value()) {
      continue;
    }
    const ResultFields fields = FieldsOf(*result);
    for (auto it = waiting_.begin(); it != waiting_.end(); ++it) {
      if (it->result == fields) {
        reps[index] = std::move(*it);
        waiting_.erase(it);
        break;
      }
    }
  }
  return reps;
}

void MeasurementMatcher::RecordStatistics(
    const std::string& run_name, const AggregateStatistics* statistics) {
  if (statistics != nullptr) statistics_[run_name] = statistics;
}

const AggregateStatistics* MeasurementMatcher::StatisticsOf(
    const std::string& run_name) const {
  const auto it = statistics_.find(run_name);
  return it == statistics_.end() ? nullptr : it->second;
}

}  // namespace internal
}  // namespace alloc_counter
