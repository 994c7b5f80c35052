// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// State owned by this file, and who may touch it:
//
//   Log()   the measurements not yet taken: appended by the MemoryManager's
//           Stop(), emptied by the column reporter, both on the thread that
//           runs the benchmarks.

#include "alloc_counter/measurements.h"

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

}  // namespace

void AddMeasurement(const Measurement& measurement) {
  Log().push_back(measurement);
}

std::vector<Measurement> TakeMeasurements() {
  std::vector<Measurement> taken;
  taken.swap(Log());
  return taken;
}

}  // namespace internal
}  // namespace alloc_counter
