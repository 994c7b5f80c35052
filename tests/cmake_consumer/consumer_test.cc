// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// A user's GoogleTest test of allocation counts, with alloc_counter::testing.

#include <atomic>
#include <cstddef>
#include <new>

#include "alloc_counter/testing.h"
#include "gtest/gtest.h"

namespace {

void Allocate100() {
  void* p = ::operator new(100);
  std::atomic_signal_fence(std::memory_order_seq_cst);
  ::operator delete(p, 100);
}

TEST(Consumer, CountsOneAllocation) { EXPECT_ALLOCS(Allocate100(), 1); }

TEST(Consumer, CountsNoAllocation) {
  int x = 0;
  EXPECT_NO_ALLOCS(x += 1);
  EXPECT_EQ(x, 1);
}

}  // namespace
