// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0

#include "alloc_counter/testing.h"

#include <cstdint>
#include <string>

#include "absl/strings/str_format.h"
#include "alloc_counter/scope.h"

namespace alloc_counter {
namespace testing_internal {

std::string Describe(const char* statement, int64_t expected,
                     const AllocationCounts& counts, Threads threads) {
  return absl::StrFormat(
      "Expected: %s makes %d allocation%s (counting %s)\n"
      "  Actual: %d allocation%s of %d bytes in total; %d free%s of %d "
      "bytes; peak %d live bytes",
      statement, expected, expected == 1 ? "" : "s",
      threads == Threads::kCurrent ? "the calling thread" : "all threads",
      counts.allocs, counts.allocs == 1 ? "" : "s", counts.bytes, counts.frees,
      counts.frees == 1 ? "" : "s", counts.freed_bytes, counts.peak_bytes);
}

}  // namespace testing_internal
}  // namespace alloc_counter
