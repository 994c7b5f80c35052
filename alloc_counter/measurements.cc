// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// State owned by this file, and who may touch it:
//
//   Log()       the measurements not yet taken: appended by the
//               MemoryManager's Stop(), emptied by the column reporter, both
//               on the thread that runs the benchmarks.
//   g_audience  who takes them: set around each run of the benchmarks, on
//               that same thread.
//   g_warned    whether the kUnknown message was printed.

#include "alloc_counter/measurements.h"

#include <cstdio>
#include <utility>
#include <vector>

namespace alloc_counter {
namespace internal {
namespace {

std::vector<Measurement>& Log() {
  // Never destroyed: a benchmark may end after static destruction began.
  static auto* log = new std::vector<Measurement>;
  return *log;
}

Audience g_audience = Audience::kUnknown;
bool g_warned = false;

constexpr char kNoColumnsMessage[] =
    "alloc_counter: no allocs/iter, bytes/iter or peak_bytes columns: "
    "benchmark::RunSpecifiedBenchmarks() was called where alloc_counter's "
    "link options cannot redirect it (from a shared library, such as a "
    "shared benchmark_main), so only Google Benchmark's JSON memory fields "
    "are filled. Link benchmark_main statically, or link alloc_counter's "
    "main target in its place.\n";

}  // namespace

void SetAudience(Audience audience) { g_audience = audience; }

void AddMeasurement(const Measurement& measurement) {
  switch (g_audience) {
    case Audience::kColumns:
      Log().push_back(measurement);
      return;
    case Audience::kUnknown:
      if (!g_warned) {
        g_warned = true;
        std::fputs(kNoColumnsMessage, stderr);
      }
      return;
    case Audience::kNobody:
      return;
  }
}

std::vector<Measurement> TakeMeasurements() {
  std::vector<Measurement> taken;
  taken.swap(Log());
  return taken;
}

}  // namespace internal
}  // namespace alloc_counter
