// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: measurement_matcher.h
// -----------------------------------------------------------------------------
//
// The join of the memory runs' measurements (measurements.h) with the rows
// Google Benchmark reports: which measurement is which repetition's. This
// is internal to alloc_counter.
//
// One matcher is shared by the display and the file reporter of a run: each
// sees a benchmark's rows (or only its aggregate rows) right after the memory
// run of its last repetition, and no memory run ends between them. The
// reporter hands the matcher the measurements that ended since the last
// batch (`Receive()`), then asks for the batch's (`Claim()`), which the
// second reporter of the batch gets the same.
//
// Without interleaving, the measurements received since the previous
// benchmark's rows are this benchmark's repetitions, in order (the last
// `repetitions` of them, should more be waiting). With
// `--benchmark_enable_random_interleaving`, repetitions of several benchmarks
// alternate: a repetition's row then claims the oldest waiting measurement
// whose result fields equal its memory result, and a benchmark whose
// repetition rows are not reported (aggregates only) has none.
//
// Thread-compatible, like the reporters: Google Benchmark calls them from
// one thread.

#ifndef ALLOC_COUNTER_MEASUREMENT_MATCHER_H_
#define ALLOC_COUNTER_MEASUREMENT_MATCHER_H_

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "alloc_counter/measurements.h"
#include "benchmark/benchmark.h"

namespace alloc_counter {
namespace internal {

// The statistics a benchmark's aggregates are computed with.
using AggregateStatistics = std::vector<benchmark::internal::Statistics>;

// The fields of a memory result that measurements.h records.
template <typename R>
ResultFields FieldsOf(const R& result) {
  ResultFields fields;
  fields.num_allocs = result.num_allocs;
  fields.max_bytes_used = result.max_bytes_used;
  fields.total_allocated_bytes = result.total_allocated_bytes;
  fields.net_heap_growth = result.net_heap_growth;
  return fields;
}

class MeasurementMatcher {
 public:
  // Measurements by repetition index; empty where none is known.
  using Repetitions = std::vector<std::optional<Measurement>>;

  explicit MeasurementMatcher(bool interleaved);

  // Receive()
  //
  // Takes the measurements of the memory runs that ended since the last
  // call, oldest first.
  void Receive(std::vector<Measurement> fresh);

  // Claim()
  //
  // Returns the measurements of the repetitions of the benchmark that `rows`
  // (one `ReportRuns()` batch, not empty) report, from those received so
  // far; a measurement claimed by one batch is not another's.
  const Repetitions& Claim(
      const std::vector<benchmark::BenchmarkReporter::Run>& rows);

  // RecordStatistics(), StatisticsOf()
  //
  // The statistics of `run_name`, as a repetition row carries them (null is
  // ignored); null if no row carried them.
  void RecordStatistics(const std::string& run_name,
                        const AggregateStatistics* statistics);
  const AggregateStatistics* StatisticsOf(const std::string& run_name) const;

 private:
  const bool interleaved_;
  // Received and not yet given to a batch, oldest first.
  std::deque<Measurement> waiting_;
  // Whether anything was received since the last Claim().
  bool fresh_ = false;
  // Without interleaving: the benchmark being reported.
  Repetitions current_;
  // With interleaving: the claimed ones, by run name.
  std::map<std::string, Repetitions> claimed_;
  // Statistics by run name, from the repetition rows.
  std::map<std::string, const AggregateStatistics*> statistics_;
};

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_MEASUREMENT_MATCHER_H_
