// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Shared state owned by this file: `g_mu` and the table it guards, created on
// first use in static storage. Any thread may call in; all access holds g_mu.
// fork() takes g_mu first (pthread_atfork) and releases it in parent and
// child, so that a child forked while another thread records a size inherits
// a consistent table and an unlocked g_mu. g_mu is a spin lock, not an
// absl::Mutex: a mutex that queues waiters (and abseil's deadlock detector)
// keeps state about threads that do not exist in the child.

#include "alloc_counter/block_sizes.h"

#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <new>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "alloc_counter/spin_lock.h"

namespace alloc_counter {
namespace internal {
namespace {

// An allocator on whole pages from mmap, so that the table never calls the
// hooks it serves, nor the C allocator under them (which alloc_counter's
// :malloc may also count, and whose failures a program or test may
// inject). The table asks for memory only when it grows.
template <typename T>
struct PageAllocator {
  using value_type = T;
  PageAllocator() = default;
  template <typename U>
  PageAllocator(const PageAllocator<U>&) {}  // NOLINT: rebinding
  static size_t Bytes(size_t n) {
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    return (n * sizeof(T) + page - 1) / page * page;
  }
  T* allocate(size_t n) {
    void* p = mmap(nullptr, Bytes(n), PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) std::abort();
    return static_cast<T*>(p);
  }
  void deallocate(T* p, size_t n) { munmap(p, Bytes(n)); }
  template <typename U>
  bool operator==(const PageAllocator<U>&) const {
    return true;
  }
  template <typename U>
  bool operator!=(const PageAllocator<U>&) const {
    return false;
  }
};

using SizeTable =
    absl::flat_hash_map<uintptr_t, size_t, absl::Hash<uintptr_t>,
                        std::equal_to<uintptr_t>,
                        PageAllocator<std::pair<const uintptr_t, size_t>>>;

ABSL_CONST_INIT SpinLock g_mu;

void LockForFork() ABSL_NO_THREAD_SAFETY_ANALYSIS { g_mu.Lock(); }
void UnlockAfterFork() ABSL_NO_THREAD_SAFETY_ANALYSIS { g_mu.Unlock(); }

SizeTable& Table() ABSL_EXCLUSIVE_LOCKS_REQUIRED(g_mu) {
  // Never destroyed: deletes may run after static destructors.
  alignas(SizeTable) static unsigned char storage[sizeof(SizeTable)];
  static SizeTable* table = new (storage) SizeTable();
  return *table;
}

// The fork handlers run in the forking thread, in parent and child alike.
const bool kForkHandlersRegistered =
    pthread_atfork(&LockForFork, &UnlockAfterFork, &UnlockAfterFork) == 0;

uintptr_t Key(void* p) { return reinterpret_cast<uintptr_t>(p); }

}  // namespace

void RememberBlockSize(void* p, size_t size) {
  SpinLockHolder lock(&g_mu);
  Table()[Key(p)] = size;
}

size_t ForgetBlockSize(void* p) {
  SpinLockHolder lock(&g_mu);
  SizeTable& table = Table();
  const auto it = table.find(Key(p));
  if (it == table.end()) return kNoBlockSize;
  const size_t size = it->second;
  table.erase(it);
  return size;
}

void ForgetAllBlockSizes() {
  SpinLockHolder lock(&g_mu);
  Table().clear();
}

}  // namespace internal
}  // namespace alloc_counter
