// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The naive way to count allocations, for comparison with alloc_counter: a
// replaced global operator new/delete that adds to process-wide
// std::atomic counters on every call, always. Each call is two
// lock-prefixed read-modify-writes on one cache line that every thread
// writes, so threads that allocate at the same time take that line from each
// other.
//
// It counts what alloc_counter's timed mode counts (allocations, requested
// bytes, frees, freed bytes), but an unsized delete adds no bytes. Only the
// forms the overhead benchmarks call are replaced: libstdc++'s remaining
// forms (nothrow, aligned) either call these or use their own malloc/free
// pair.

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace {

std::atomic<long long> g_allocs{0};
std::atomic<long long> g_alloc_bytes{0};
std::atomic<long long> g_frees{0};
std::atomic<long long> g_freed_bytes{0};

void* CountedNew(std::size_t size) {
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  g_allocs.fetch_add(1);
  g_alloc_bytes.fetch_add(static_cast<long long>(size));
  return p;
}

void CountedDelete(void* p, std::size_t size) noexcept {
  if (p == nullptr) return;
  g_frees.fetch_add(1);
  if (size != 0) g_freed_bytes.fetch_add(static_cast<long long>(size));
  std::free(p);
}

}  // namespace

void* operator new(std::size_t size) { return CountedNew(size); }
void* operator new[](std::size_t size) { return CountedNew(size); }
void operator delete(void* p) noexcept { CountedDelete(p, 0); }
void operator delete[](void* p) noexcept { CountedDelete(p, 0); }
void operator delete(void* p, std::size_t size) noexcept {
  CountedDelete(p, size);
}
void operator delete[](void* p, std::size_t size) noexcept {
  CountedDelete(p, size);
}
