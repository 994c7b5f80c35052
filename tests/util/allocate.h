// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: allocate.h
// -----------------------------------------------------------------------------
//
// Allocations for tests and test benchmarks that the compiler must keep: each
// block escapes through a volatile store (never through Google Benchmark's
// DoNotOptimize(), whose asm the AddressSanitizer build avoids; see
// .bazelrc), so no allocation is elided or merged. Nothing here allocates but
// the calls it is asked for. Thread-safe: the escape slot is per thread.

#ifndef TESTS_UTIL_ALLOCATE_H_
#define TESTS_UTIL_ALLOCATE_H_

#include <cstddef>
#include <new>

namespace test_util {

// Every escaped pointer is stored here: a volatile store the compiler must
// keep. Per thread, so that threads do not race on it.
inline thread_local const void* volatile g_escape = nullptr;

// Escape()
//
// Makes `p` observable, so that what it points to cannot be elided.
inline void Escape(const void* p) { g_escape = p; }

// Allocate()
//
// One `::operator new(size)` the compiler cannot elide.
inline void* Allocate(std::size_t size) {
  void* p = ::operator new(size);
  Escape(p);
  return p;
}

// Free()
//
// The sized `::operator delete` of a block from Allocate().
inline void Free(void* p, std::size_t size) { ::operator delete(p, size); }

// OneBlock()
//
// One block of `size` bytes, allocated and freed.
inline void OneBlock(std::size_t size) { Free(Allocate(size), size); }

}  // namespace test_util

#endif  // TESTS_UTIL_ALLOCATE_H_
