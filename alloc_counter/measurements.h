// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: measurements.h
// -----------------------------------------------------------------------------
//
// What each of Google Benchmark's memory runs measured, handed from the
// `MemoryManager` (which sees every memory run end) to the column reporter
// (which sees the rows). This is internal to alloc_counter.
//
// A `MemoryManager::Result` cannot carry everything the columns need: it has
// no place for the iterations the loop really ran (a `KeepRunningBatch(100)`
// loop runs 100 where Google Benchmark asked for 16, and from 1.9.2 Google
// Benchmark overwrites `memory_iterations` after `Stop()`), and rows reported
// with `--benchmark_report_aggregates_only` carry no result at all. So every
// memory run also leaves a `Measurement` here, in the order the runs ended;
// the reporter finds each row's measurement (column_reporter.cc).
//
// Thread-compatibility: Google Benchmark ends its memory runs and calls its
// reporters from the one thread that runs the benchmarks; these calls are
// made from that thread and are not thread-safe.

#ifndef ALLOC_COUNTER_MEASUREMENTS_H_
#define ALLOC_COUNTER_MEASUREMENTS_H_

#include <cstdint>
#include <memory>
#include <vector>

namespace alloc_counter {
namespace internal {

struct SiteReport;  // site_report.h

// The fields of a `benchmark::MemoryManager::Result` that every Google
// Benchmark version has, as `Stop()` wrote them.
struct ResultFields {
  int64_t num_allocs = 0;
  int64_t max_bytes_used = 0;
  int64_t total_allocated_bytes = 0;
  int64_t net_heap_growth = 0;

  friend bool operator==(const ResultFields& a, const ResultFields& b) {
    return a.num_allocs == b.num_allocs &&
           a.max_bytes_used == b.max_bytes_used &&
           a.total_allocated_bytes == b.total_allocated_bytes &&
           a.net_heap_growth == b.net_heap_growth;
  }
};

// One memory run, with the counts its row's columns come from.
struct Measurement {
  // Allocations and their requested bytes over `iterations` iterations: the
  // memory run's loop, or in timed mode the timed run reported before it
  // (all its threads' loops and iterations).
  int64_t allocs = 0;
  int64_t alloc_bytes = 0;
  int64_t iterations = 0;
  // Largest growth of live bytes in the memory run's loop.
  int64_t peak_bytes = 0;
  // Whether the memory run's loop was skipped (`SkipWithError()`, or from
  // Google Benchmark 1.8 `SkipWithMessage()`): such a repetition has no
  // columns and is left out of the aggregates.
  bool skipped = false;
  // What `Stop()` wrote into the run's `Result`.
  ResultFields result;
  // The memory run's allocation sites and sizes, if asked for
  // (`--alloc_counter_sites`, `--alloc_counter_histogram`); null otherwise.
  std::shared_ptr<const SiteReport> sites;
};

// Who takes the measurements of the memory runs that end from now on.
enum class Audience {
  // Nobody said: benchmarks run without alloc_counter having seen the call
  // that runs them (`benchmark::RunSpecifiedBenchmarks()` called inside a
  // shared library, where `--wrap` does not reach). The first measurement
  // then prints on stderr, once, why the output has no columns.
  kUnknown,
  // The column reporters of the current run (alloc_counter.cc).
  kColumns,
  // Nobody, by choice: `--alloc_counter_columns=false`.
  kNobody,
};

// SetAudience()
//
// Says who takes the measurements from now on; `kUnknown` at start-up.
void SetAudience(Audience audience);

// AddMeasurement()
//
// Appends the measurement of a memory run that has just ended, if the
// audience is `kColumns`; otherwise drops it.
void AddMeasurement(const Measurement& measurement);

// TakeMeasurements()
//
// Returns the measurements added since the last call, oldest first, and
// forgets them.
std::vector<Measurement> TakeMeasurements();

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_MEASUREMENTS_H_
