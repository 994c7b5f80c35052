// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: benchmark_compat.h
// -----------------------------------------------------------------------------
//
// Every difference between the Google Benchmark versions alloc_counter
// supports (1.7.1 to 1.9.x), in one place. This is internal to alloc_counter.
// Google Benchmark has no version macro, so each shape is detected by type
// (SFINAE), and the code that uses these helpers is the same for every
// version:
//
//   MemoryManager  up to 1.7.x the runner calls `Stop(Result*)`, and
//                  `Stop(Result&)` forwards to it; from 1.8 only
//                  `Stop(Result&)` exists (pure virtual).
//   BenchmarkReporter
//                  from 1.8 a reporter is also told each benchmark's run
//                  configuration (`ReportRunsConfig()`).
//   State          a skipped loop is `error_occurred()` up to 1.7.x and
//                  `skipped()` from 1.8 (which adds `SkipWithMessage()`).
//   Undeclared     Google Benchmark's flags and its built-in statistics,
//                  defined in its library (in every version) but declared in
//                  no public header; `State::SkipWithError()` and
//                  `SkipWithMessage()` take a `const char*` up to 1.7.x and a
//                  `const std::string&` from 1.8: the build finds which a
//                  version declares (wrap_probe.cc), and state_wrappers.cc
//                  wraps only those.
//   Run            a failed row has `error_occurred` up to 1.7.x and
//                  `skipped` from 1.8; `memory_result` points into the
//                  runner's vector up to 1.9.1 (dangling for every row but
//                  the last of a batch: upstream issue 1941) and holds the
//                  result from 1.9.2, present when its `memory_iterations`
//                  is non-zero.
//
// Thread-compatible: these are pure functions of their arguments.

#ifndef ALLOC_COUNTER_BENCHMARK_COMPAT_H_
#define ALLOC_COUNTER_BENCHMARK_COMPAT_H_

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "benchmark/benchmark.h"

// --- Undeclared -------------------------------------------------------------

namespace benchmark {
// Flags: the file reporter is created from them, exactly as Google Benchmark
// creates its default one (alloc_counter.cc).
extern std::string FLAGS_benchmark_out;
extern std::string FLAGS_benchmark_out_format;
extern bool FLAGS_benchmark_counters_tabular;
extern bool FLAGS_benchmark_enable_random_interleaving;
// Built-in statistics: an aggregate of rows that carry no statistics of their
// own is computed with them (column_reporter.cc).
double StatisticsMean(const std::vector<double>& v);
double StatisticsMedian(const std::vector<double>& v);
double StatisticsStdDev(const std::vector<double>& v);
double StatisticsCV(const std::vector<double>& v);
}  // namespace benchmark

namespace alloc_counter {
namespace internal {

// --- MemoryManager ---------------------------------------------------------

// Naming the deprecated pointer form is the point of this trait.
BENCHMARK_DISABLE_DEPRECATED_WARNING
template <typename MM, typename = void>
struct HasPointerStop : std::false_type {};
template <typename MM>
struct HasPointerStop<MM, std::void_t<decltype(std::declval<MM&>().Stop(
                              std::declval<typename MM::Result*>()))>>
    : std::true_type {};
BENCHMARK_RESTORE_DEPRECATED_WARNING

// --- BenchmarkReporter -----------------------------------------------------

template <typename R, typename = void>
struct HasReportRunsConfig : std::false_type {};
template <typename R>
struct HasReportRunsConfig<R, std::void_t<decltype(&R::ReportRunsConfig)>>
    : std::true_type {};

// ForwardsRunsConfig<Base>
//
// `Base`, a reporter that wraps another (returned by its `inner()`), plus
// from Google Benchmark 1.8 an override of `ReportRunsConfig()` that passes
// the call on. The template argument keeps the override out of sight of
// versions without it.
template <typename Base,
          bool kHasRunsConfig =
              HasReportRunsConfig<benchmark::BenchmarkReporter>::value>
class ForwardsRunsConfig : public Base {
 public:
  using Base::Base;
};

template <typename Base>
class ForwardsRunsConfig<Base, true> : public Base {
 public:
  using Base::Base;
  void ReportRunsConfig(double min_time, bool has_explicit_iters,
                        benchmark::IterationCount iters) override {
    this->inner()->ReportRunsConfig(min_time, has_explicit_iters, iters);
  }
};

// --- State ---------------------------------------------------------------

// Whether the benchmark skipped its loop: `skipped()` from Google Benchmark
// 1.8 (an error or `SkipWithMessage()`), `error_occurred()` before.
template <typename S, typename = void>
struct HasSkipped : std::false_type {};
template <typename S>
struct HasSkipped<S, std::void_t<decltype(std::declval<const S&>().skipped())>>
    : std::true_type {};

template <typename S>
bool Skipped(const S& state) {
  if constexpr (HasSkipped<S>::value) {
    return state.skipped();
  } else {
    return state.error_occurred();
  }
}

// --- Run -----------------------------------------------------------------

// Up to 1.7.x a failed run has `error_occurred`; from 1.8 it has `skipped`.
template <typename R, typename = void>
struct HasErrorOccurred : std::false_type {};
template <typename R>
struct HasErrorOccurred<
    R, std::void_t<decltype(std::declval<R&>().error_occurred)>>
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
[[maybe_unused]] inline const benchmark::MemoryManager::Result* MemoryResultOf(
    const benchmark::MemoryManager::Result* result) {
  return result;
}
template <typename R>
const R* MemoryResultOf(const R& result) {
  return result.memory_iterations > 0 ? &result : nullptr;
}

// Leaves `run` without a memory result, so that no reporter prints native
// memory fields for it: null up to 1.9.1, zero `memory_iterations` from 1.9.2
// (the JSON reporter's test for a result).
template <typename RunT>
void ClearMemoryResult(RunT* run) {
  if constexpr (std::is_pointer_v<decltype(run->memory_result)>) {
    run->memory_result = nullptr;
  } else {
    run->memory_result.memory_iterations = 0;
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
  if constexpr (std::is_pointer_v<
                    decltype(std::declval<RunT&>().memory_result)>) {
    if (runs.size() < 2) return;
    const RunT& last = runs.back();
    for (RunT& run : runs) {
      if (&run == &last || run.memory_result == nullptr) continue;
      if (last.memory_result == nullptr || run.run_type != RunT::RT_Iteration ||
          run.repetition_index > last.repetition_index) {
        run.memory_result = nullptr;
        continue;
      }
      run.memory_result =
          last.memory_result - (last.repetition_index - run.repetition_index);
    }
  }
}

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_BENCHMARK_COMPAT_H_
