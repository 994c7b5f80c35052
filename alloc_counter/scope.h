// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: scope.h
// -----------------------------------------------------------------------------
//
// `alloc_counter::Scope` counts the heap allocations made from its
// construction on: allocations, bytes requested, frees, bytes freed, the net
// change and the peak of live bytes. It counts the constructing thread's own
// allocations (the default), or every thread's. It is what the test
// assertions of testing.h are built on, and it can be used directly (the
// benchmark columns come from the window of Google Benchmark's memory run,
// window.h, which shares its counters):
//
//   alloc_counter::Scope scope;
//   ParseRequest(input);
//   const alloc_counter::AllocationCounts c = scope.Counts();
//   // c.allocs, c.bytes, c.frees, c.freed_bytes, c.net_bytes, c.peak_bytes
//
// What is counted: successful calls of every form of global `operator new`
// and `operator delete` (not `malloc`, unless `//alloc_counter:malloc` is
// linked too). A failed allocation is not counted.
// Bytes are the sizes requested, on both sides: an unsized delete releases
// the bytes its `operator new` requested.
//
// The replaced `operator new`/`delete` come with the target that provides
// this header (`//alloc_counter:scope`, or `//alloc_counter`), so a program
// using it must not replace them itself.
//
// Thread-safety: a `Scope` object is thread-compatible (use one from one
// thread at a time). Constructing and destroying scopes is thread-safe, and
// any number may be alive at once. A `Scope(Threads::kCurrent)` must be
// destroyed by the thread that constructed it, and the scopes of one thread
// nest (the last constructed is destroyed first).
//
// Cost: while any scope is alive, every allocation of every thread takes the
// counting path (a per-thread update, plus a lock to record block sizes);
// with no scope alive, the hooks add one load and one predictable branch.
//
// WARNING: `Threads::kAll` counts allocations made by any thread, including
// threads the code under test does not own (a logger, a thread pool of the
// test framework); prefer the default where background threads may allocate.
// The peak of overlapping process scopes that do not nest is shared.

#ifndef ALLOC_COUNTER_SCOPE_H_
#define ALLOC_COUNTER_SCOPE_H_

#include <cstdint>

#include "alloc_counter/scope_internal.h"

namespace alloc_counter {

// Which threads a Scope counts.
enum class Threads {
  kCurrent,  // the thread that constructed the scope
  kAll,      // every thread of the process
};

// What a Scope counted since its construction.
struct AllocationCounts {
  int64_t allocs = 0;       // successful operator new calls
  int64_t bytes = 0;        // bytes they requested
  int64_t frees = 0;        // operator delete calls on non-null pointers
  int64_t freed_bytes = 0;  // bytes those deletes released
  int64_t net_bytes = 0;    // live bytes now minus live bytes at construction
  int64_t peak_bytes = 0;   // largest growth of live bytes since construction
};

class Scope {
 public:
  // Starts counting the allocations of `threads`.
  explicit Scope(Threads threads = Threads::kCurrent);
  ~Scope();

  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

  // Counts()
  //
  // Returns what was counted from construction until now. A kCurrent scope
  // must be read on its own thread.
  AllocationCounts Counts() const;

 private:
  Threads threads_;
  internal::ScopeStart start_;
};

}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_SCOPE_H_
