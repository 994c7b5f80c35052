// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: flags.h
// -----------------------------------------------------------------------------
//
// The command-line flags of alloc_counter. They share Google Benchmark's form
// (`--name=value`) with the prefix `--alloc_counter_`:
//
//   --alloc_counter_columns=true|false   add the allocs/iter, bytes/iter and
//                                        peak_bytes columns (default true)
//   --alloc_counter_paused=exclude|include
//                                        whether allocations made while timing
//                                        is paused (state.PauseTiming()) count
//                                        (default exclude)
//   --alloc_counter_mode=memory_run|timed
//                                        count in Google Benchmark's memory
//                                        run (default) or in the timed run
//                                        itself, over all its threads
//
// Thread-compatible: parse once, from `main`, before benchmarks run.

#ifndef ALLOC_COUNTER_FLAGS_H_
#define ALLOC_COUNTER_FLAGS_H_

#include <string>

namespace alloc_counter {
namespace internal {

struct Flags {
  bool columns = true;
  bool count_paused = false;
  bool timed = false;
};

// ParseFlags()
//
// Parses every `--alloc_counter_*` argument of `argv` into `*flags` and
// removes it from `argv` (updating `*argc`), leaving every other argument in
// order for Google Benchmark. Returns false, with `*error` naming the flag and
// the accepted values, on an unknown flag or a bad value; `argv` is then left
// unchanged.
bool ParseFlags(int* argc, char** argv, Flags* flags, std::string* error);

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_FLAGS_H_
