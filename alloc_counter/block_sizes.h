// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: block_sizes.h
// -----------------------------------------------------------------------------
//
// The requested sizes of the blocks allocated while live bytes are kept, so
// that an unsized `operator delete` releases exactly the bytes its
// `operator new` added. Internal to alloc_counter.
//
// Used only while a consumer keeps live bytes (the benchmark window, which is
// Google Benchmark's untimed memory run, and scopes); never by the timed
// loops. Memory comes from `malloc`, never `operator new`.
//
// Thread-safe: one lock guards the table, and fork() is safe at any time.

#ifndef ALLOC_COUNTER_BLOCK_SIZES_H_
#define ALLOC_COUNTER_BLOCK_SIZES_H_

#include <cstddef>

namespace alloc_counter {
namespace internal {

// What `ForgetBlockSize()` returns for a block whose size was not recorded.
constexpr size_t kNoBlockSize = static_cast<size_t>(-1);

// RememberBlockSize()
//
// Records that the block at `p` was allocated with `size` requested bytes.
void RememberBlockSize(void* p, size_t size);

// ForgetBlockSize()
//
// Returns the requested size recorded for the block at `p` and forgets it, or
// returns `kNoBlockSize` if none was recorded.
size_t ForgetBlockSize(void* p);

// ForgetAllBlockSizes()
//
// Forgets every recorded size: called when the last consumer of live bytes
// ends, since a block freed after that point may be reused unrecorded.
void ForgetAllBlockSizes();

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_BLOCK_SIZES_H_
