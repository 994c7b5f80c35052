// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: backend_guard.h
// -----------------------------------------------------------------------------
//
// The calling thread's "inside the C allocator on behalf of a counted hook"
// flag, shared by the replaced `operator new`/`delete` (new_delete.cc) and
// the replaced C allocator (c_alloc.cc, `//alloc_counter:malloc`). This is
// internal to alloc_counter.
//
// An allocation made while the flag is set is not the program's own: it is
// the `malloc` under a counted `operator new`, or what a profiler preloaded
// under `malloc` (heaptrack) allocates from inside it. Neither is counted, so
// that one `operator new` counts once.
//
// Thread-safety: the flag is the calling thread's own. Constant-initialised
// (initial-exec TLS), so usable before `main` and from inside `malloc`.

#ifndef ALLOC_COUNTER_BACKEND_GUARD_H_
#define ALLOC_COUNTER_BACKEND_GUARD_H_

#include <atomic>

#include "absl/base/attributes.h"

namespace alloc_counter {
namespace internal {

// True while the calling thread is inside the C allocator on behalf of a
// counted operator new or delete (or a counted C allocation call). An
// operator new or delete that the allocator itself calls from there (a
// profiler such as heaptrack, preloaded under malloc, does) is not the
// program's and is not counted.
ABSL_CONST_INIT inline thread_local bool tls_in_backend
    __attribute__((tls_model("initial-exec"))) = false;

// Sets tls_in_backend around a call into the C allocator. The compiler
// assumes malloc and free read no program memory and would drop the store
// before the call; the signal fences keep it.
inline bool EnterBackend() {
  const bool nested = tls_in_backend;
  tls_in_backend = true;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  return nested;
}
inline void LeaveBackend(bool nested) {
  std::atomic_signal_fence(std::memory_order_seq_cst);
  tls_in_backend = nested;
}

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_BACKEND_GUARD_H_
