// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// State owned by this file, and who may touch it:
//
//   the scope counts of g_hook_state (thread scopes and process scopes
//   alive): changed here only, by each scope's constructor and destructor.
//
// A scope reads the counters of thread_counters.h: the calling thread's slot
// (Threads::kCurrent) or every slot and the process-wide live bytes
// (Threads::kAll).

#include "alloc_counter/scope.h"

#include <algorithm>
#include <atomic>
#include <cstdint>

#include "alloc_counter/hook_state.h"
#include "alloc_counter/scope_internal.h"
#include "alloc_counter/thread_counters.h"

namespace alloc_counter {
namespace {

using internal::ScopeStart;
using internal::Totals;

constexpr std::memory_order kRelaxed = std::memory_order_relaxed;

ScopeStart StartAt(const Totals& t, int64_t live, int64_t saved_peak) {
  ScopeStart start;
  start.counts = t;
  start.live = live;
  start.saved_peak = saved_peak;
  return start;
}

AllocationCounts CountsSince(const Totals& now, const ScopeStart& start,
                             int64_t live, int64_t peak) {
  const Totals since = internal::CountsSince(now, start.counts);
  AllocationCounts counts;
  counts.allocs = since.allocs;
  counts.bytes = since.alloc_bytes;
  counts.frees = since.frees;
  counts.freed_bytes = since.freed_bytes;
  counts.net_bytes = live - start.live;
  counts.peak_bytes = std::max<int64_t>(0, peak - start.live);
  return counts;
}

ScopeStart BeginThreadScope() {
  internal::g_hook_state.fetch_add(internal::kOneThreadScope, kRelaxed);
  const int64_t live = internal::CurrentThreadLive();
  const ScopeStart start = StartAt(internal::CurrentThreadTotals(), live,
                                   internal::CurrentThreadPeak());
  internal::SetCurrentThreadPeak(live);
  return start;
}

void EndThreadScope(const ScopeStart& start) {
  if (start.saved_peak > internal::CurrentThreadPeak()) {
    internal::SetCurrentThreadPeak(start.saved_peak);
  }
  internal::g_hook_state.fetch_sub(internal::kOneThreadScope, kRelaxed);
  internal::ForgetSizesIfUnused();
}

// `peak_bytes` is exact for process scopes that nest; overlapping,
// non-nested process scopes share one peak.
ScopeStart BeginProcessScope() {
  internal::g_hook_state.fetch_add(internal::kOneProcessScope, kRelaxed);
  const int64_t live = internal::ProcessLive();
  return StartAt(internal::AllThreadsTotals(), live,
                 internal::ExchangeProcessPeak(live));
}

void EndProcessScope(const ScopeStart& start) {
  internal::RaiseProcessPeak(start.saved_peak);
  internal::g_hook_state.fetch_sub(internal::kOneProcessScope, kRelaxed);
  internal::ForgetSizesIfUnused();
}

}  // namespace

Scope::Scope(Threads threads)
    : threads_(threads),
      start_(threads == Threads::kCurrent ? BeginThreadScope()
                                          : BeginProcessScope()) {}

Scope::~Scope() {
  if (threads_ == Threads::kCurrent) {
    EndThreadScope(start_);
  } else {
    EndProcessScope(start_);
  }
}

AllocationCounts Scope::Counts() const {
  if (threads_ == Threads::kCurrent) {
    return CountsSince(internal::CurrentThreadTotals(), start_,
                       internal::CurrentThreadLive(),
                       internal::CurrentThreadPeak());
  }
  return CountsSince(internal::AllThreadsTotals(), start_,
                     internal::ProcessLive(), internal::ProcessPeak());
}

}  // namespace alloc_counter
