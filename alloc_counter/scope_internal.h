// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: scope_internal.h
// -----------------------------------------------------------------------------
//
// What an `alloc_counter::Scope` (scope.h) keeps of its start. Internal to
// alloc_counter: only scope.h and scope.cc use it. It holds no state of the
// counters, only numbers read from them.

#ifndef ALLOC_COUNTER_SCOPE_INTERNAL_H_
#define ALLOC_COUNTER_SCOPE_INTERNAL_H_

#include <cstdint>

#include "alloc_counter/thread_counters.h"

namespace alloc_counter {
namespace internal {

// The point from which a scope measures.
struct ScopeStart {
  // Counts at the start: allocations and deallocations, and their bytes.
  Totals counts;
  // Live bytes at the start (the thread's or the process's), and the peak
  // that the scope replaced and restores at its end.
  int64_t live = 0;
  int64_t saved_peak = 0;
};

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_SCOPE_INTERNAL_H_
