// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: spin_lock.h
// -----------------------------------------------------------------------------
//
// A small lock for alloc_counter's internal state, internal to alloc_counter:
// an atomic flag that yields the processor while it waits. It is used instead
// of absl::Mutex for three reasons that a general-purpose mutex does not
// meet: it never allocates; it keeps no state about waiting threads, so a
// child of fork() can release it (block_sizes.cc); and ThreadSanitizer sees
// it (Debian's abseil is not built with TSan, so TSan cannot see an
// absl::Mutex being taken). Critical sections must be short.
//
// Thread-safe. Constant-initialised, so usable before main.

#ifndef ALLOC_COUNTER_SPIN_LOCK_H_
#define ALLOC_COUNTER_SPIN_LOCK_H_

#include <sched.h>

#include <atomic>

#include "absl/base/thread_annotations.h"

namespace alloc_counter {
namespace internal {

class ABSL_LOCKABLE SpinLock {
 public:
  constexpr SpinLock() = default;
  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() {
    while (locked_.exchange(true, std::memory_order_acquire)) {
      while (locked_.load(std::memory_order_relaxed)) sched_yield();
    }
  }
  void Unlock() ABSL_UNLOCK_FUNCTION() {
    locked_.store(false, std::memory_order_release);
  }

 private:
  std::atomic<bool> locked_{false};
};

class ABSL_SCOPED_LOCKABLE SpinLockHolder {
 public:
  explicit SpinLockHolder(SpinLock* lock) ABSL_EXCLUSIVE_LOCK_FUNCTION(lock)
      : lock_(lock) {
    lock_->Lock();
  }
  ~SpinLockHolder() ABSL_UNLOCK_FUNCTION() { lock_->Unlock(); }
  SpinLockHolder(const SpinLockHolder&) = delete;
  SpinLockHolder& operator=(const SpinLockHolder&) = delete;

 private:
  SpinLock* lock_;
};

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_SPIN_LOCK_H_
