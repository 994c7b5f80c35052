// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// A user's GoogleTest test of allocation counts, with alloc_counter::Scope
// and the assertions of alloc_counter/testing.h.

#include <string>
#include <vector>

#include "alloc_counter/scope.h"
#include "alloc_counter/testing.h"
#include "greeting.h"
#include "gtest/gtest.h"

namespace {

TEST(Consumer, ScopeCountsAReservedVector) {
  alloc_counter::Scope scope;
  std::vector<int> v;
  v.reserve(25);
  const alloc_counter::AllocationCounts counts = scope.Counts();
  EXPECT_EQ(counts.allocs, 1);
  EXPECT_EQ(counts.bytes, 100);
}

TEST(Consumer, ShortStringDoesNotAllocate) {
  std::string s;
  EXPECT_NO_ALLOCS(s = "short");
  EXPECT_EQ(s, "short");
}

TEST(Consumer, LongStringAllocatesOnce) {
  std::string s;
  EXPECT_ALLOCS(s.assign(100, 'x'), 1);
}

// The user's own library, a shared object of this test: "Hello, " + 23
// characters + "!" outgrows the 15-character buffer, and StrCat allocates
// once.
TEST(Consumer, GreetingAllocatesOnce) {
  std::string s;
  EXPECT_ALLOCS(s = Greeting("a name of 23 characters"), 1);
  EXPECT_EQ(s, "Hello, a name of 23 characters!");
}

}  // namespace
