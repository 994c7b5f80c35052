// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: testing.h
// -----------------------------------------------------------------------------
//
// GoogleTest assertions on the number of heap allocations a statement makes,
// to lock an allocation-free hot path into a unit test:
//
//   TEST(Parser, ParsesWithoutAllocating) {
//     Parser parser;                      // may allocate
//     EXPECT_NO_ALLOCS(parser.Parse("x=1"));
//     EXPECT_ALLOCS(parser.Intern("key"), 1);
//   }
//
//   EXPECT_NO_ALLOCS(statement)       the statement makes no allocation
//   EXPECT_ALLOCS(statement, n)       it makes exactly n allocations
//   ASSERT_NO_ALLOCS, ASSERT_ALLOCS   the same, ending the test on failure
//
// A failure says how many allocations, and how many bytes, were seen.
//
// By default the assertions count the calling thread's allocations only, so
// that unrelated background threads cannot make a test flaky. The
// `_ALL_THREADS` forms (`EXPECT_NO_ALLOCS_ALL_THREADS(statement)`,
// `EXPECT_ALLOCS_ALL_THREADS(statement, n)` and their `ASSERT_` forms) count
// every thread of the process, for code that hands work to other threads.
//
// `AllocsPerRun(runs, fn)` is the averaging form, like Go's
// `testing.AllocsPerRun`: one warm-up call of `fn` (so one-time allocations
// such as lazily built caches are not counted), then the average number of
// allocations of `runs` further calls.
//
// The statement runs inside a lambda, so it may use the test's local
// variables but not declare ones used after the assertion. What is counted is
// documented in scope.h. Thread-safety: like any GoogleTest assertion.
//
// An optimising compiler may remove a `new`/`delete` pair whose pointer never
// escapes (C++14 allows it; g++ -O2 removes `delete new int(1)`): such a pair
// is never counted, because it never happens. To assert on an allocation the
// code must keep, let the pointer escape (`benchmark::DoNotOptimize(p)`, a
// `volatile` pointer) or call code the compiler cannot see into.

#ifndef ALLOC_COUNTER_TESTING_H_
#define ALLOC_COUNTER_TESTING_H_

#include <cstdint>
#include <string>
#include <utility>

#include "alloc_counter/scope.h"
#include "gtest/gtest.h"

namespace alloc_counter {

// AllocsPerRun()
//
// Calls `fn()` once, then `runs` more times, and returns the average number
// of allocations of those `runs` calls, counted on the calling thread or,
// with `Threads::kAll`, on every thread.
//
// Requires `runs` >= 1: otherwise the test fails, saying so, and the result
// is 0 (`fn` is not called).
template <typename Fn>
double AllocsPerRun(int runs, Fn&& fn, Threads threads = Threads::kCurrent) {
  if (runs < 1) {
    ADD_FAILURE() << "AllocsPerRun: runs must be at least 1, not " << runs;
    return 0;
  }
  fn();
  Scope scope(threads);
  for (int i = 0; i < runs; ++i) fn();
  return static_cast<double>(scope.Counts().allocs) / runs;
}

namespace testing_internal {

// Runs `statement` in a Scope over `threads` and returns what it counted.
template <typename Statement>
AllocationCounts CountAllocations(Threads threads, Statement&& statement) {
  Scope scope(threads);
  std::forward<Statement>(statement)();
  return scope.Counts();
}

// The failure message of an allocation assertion.
std::string Describe(const char* statement, int64_t expected,
                     const AllocationCounts& counts, Threads threads);

}  // namespace testing_internal
}  // namespace alloc_counter

#define ALLOC_COUNTER_CHECK_ALLOCS_(statement, expected, threads, fail)    \
  GTEST_AMBIGUOUS_ELSE_BLOCKER_                                            \
  if (const ::alloc_counter::AllocationCounts alloc_counter_counts_ =      \
          ::alloc_counter::testing_internal::CountAllocations(             \
              threads, [&]() { statement; });                              \
      alloc_counter_counts_.allocs == static_cast<int64_t>(expected)) {    \
  } else                                                                   \
    fail() << ::alloc_counter::testing_internal::Describe(                 \
        #statement, static_cast<int64_t>(expected), alloc_counter_counts_, \
        threads)

#define EXPECT_ALLOCS(statement, n)         \
  ALLOC_COUNTER_CHECK_ALLOCS_(statement, n, \
                              ::alloc_counter::Threads::kCurrent, ADD_FAILURE)
#define ASSERT_ALLOCS(statement, n)         \
  ALLOC_COUNTER_CHECK_ALLOCS_(statement, n, \
                              ::alloc_counter::Threads::kCurrent, GTEST_FAIL)
#define EXPECT_NO_ALLOCS(statement) EXPECT_ALLOCS(statement, 0)
#define ASSERT_NO_ALLOCS(statement) ASSERT_ALLOCS(statement, 0)

#define EXPECT_ALLOCS_ALL_THREADS(statement, n)                             \
  ALLOC_COUNTER_CHECK_ALLOCS_(statement, n, ::alloc_counter::Threads::kAll, \
                              ADD_FAILURE)
#define ASSERT_ALLOCS_ALL_THREADS(statement, n)                             \
  ALLOC_COUNTER_CHECK_ALLOCS_(statement, n, ::alloc_counter::Threads::kAll, \
                              GTEST_FAIL)
#define EXPECT_NO_ALLOCS_ALL_THREADS(statement) \
  EXPECT_ALLOCS_ALL_THREADS(statement, 0)
#define ASSERT_NO_ALLOCS_ALL_THREADS(statement) \
  ASSERT_ALLOCS_ALL_THREADS(statement, 0)

#endif  // ALLOC_COUNTER_TESTING_H_
