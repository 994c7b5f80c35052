// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: hook_state.h
// -----------------------------------------------------------------------------
//
// The one word every allocation hook reads: which consumers want allocations
// recorded. This is internal to alloc_counter.
//
// Zero means nothing is counted, and the hooks do nothing but allocate. The
// bits say which consumers are on: the benchmark window (window.h), the timed
// loops running unpaused (timed_run.h) and the scopes (scope.h). Consumers
// change the word with atomic read-modify-writes; the hooks read it with one
// relaxed load.
//
// Thread-safe. Constant-initialised, so usable before `main`.

#ifndef ALLOC_COUNTER_HOOK_STATE_H_
#define ALLOC_COUNTER_HOOK_STATE_H_

#include <atomic>
#include <cstdint>

#include "absl/base/attributes.h"

namespace alloc_counter {
namespace internal {

// The hook state, defined in thread_counters.cc.
ABSL_CONST_INIT extern std::atomic<uint64_t> g_hook_state;

// Layout of g_hook_state.
//
// The benchmark window: armed (between MemoryManager::Start and Stop), inside
// the loop, and paused (between PauseTiming and ResumeTiming).
constexpr uint64_t kWindowArmed = uint64_t{1} << 0;
constexpr uint64_t kWindowInLoop = uint64_t{1} << 1;
constexpr uint64_t kWindowPaused = uint64_t{1} << 2;
// Allocation sites and sizes are gathered in the window (sites.h).
constexpr uint64_t kWindowSites = uint64_t{1} << 3;
// Three 16-bit counts: timed loops running unpaused, thread scopes alive and
// process scopes alive.
constexpr int kTimedLoopsShift = 8;
constexpr int kThreadScopesShift = 24;
constexpr int kProcessScopesShift = 40;
constexpr uint64_t kCountMask = 0xffff;
constexpr uint64_t kTimedLoopsMask = kCountMask << kTimedLoopsShift;
constexpr uint64_t kOneTimedLoop = uint64_t{1} << kTimedLoopsShift;
constexpr uint64_t kOneThreadScope = uint64_t{1} << kThreadScopesShift;
constexpr uint64_t kOneProcessScope = uint64_t{1} << kProcessScopesShift;

// Returns the hook state: zero when nothing is counted.
inline uint64_t HookState() {
  return g_hook_state.load(std::memory_order_relaxed);
}

// Returns true if, in hook state `state`, nothing but timed loops count (or
// nothing at all): the hooks then take the count-only path
// (`CountTimedAllocation()`, when `state` is not zero), which counts
// allocations and their bytes and nothing else. One test against a mask that
// fits an instruction's 32-bit immediate.
inline bool OnlyTimedLoops(uint64_t state) {
  return (state & ~kTimedLoopsMask) == 0;
}

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_HOOK_STATE_H_
