// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0

#include "alloc_counter/scope.h"

#include "alloc_counter/counters.h"

namespace alloc_counter {

Scope::Scope(Threads threads)
    : threads_(threads),
      start_(threads == Threads::kCurrent ? internal::BeginThreadScope()
                                          : internal::BeginProcessScope()) {}

Scope::~Scope() {
  if (threads_ == Threads::kCurrent) {
    internal::EndThreadScope(start_);
  } else {
    internal::EndProcessScope(start_);
  }
}

AllocationCounts Scope::Counts() const {
  const internal::Totals t = threads_ == Threads::kCurrent
                                 ? internal::ThreadScopeTotals(start_)
                                 : internal::ProcessScopeTotals(start_);
  AllocationCounts counts;
  counts.allocs = t.allocs;
  counts.bytes = t.alloc_bytes;
  counts.frees = t.frees;
  counts.freed_bytes = t.freed_bytes;
  counts.net_bytes = t.net_bytes;
  counts.peak_bytes = t.peak_bytes;
  return counts;
}

}  // namespace alloc_counter
