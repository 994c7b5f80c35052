// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: flags.h
// -----------------------------------------------------------------------------
//
// The command-line flags of alloc_counter. They share Google Benchmark's form
// (`--name=value`) with the prefix `--alloc_counter_`.
//
// Each flag, its accepted values and what it does are written once, in the
// table `kFlags` in flags.cc; ParseFlags(), its error messages and FlagsHelp()
// (what `--help` prints) all read that table, so a flag added there is parsed
// and listed by `--help` with no other change. Its default is the initialiser
// of its member of `Flags` below.
//
// Thread-compatible: parse once, from `main`, before benchmarks run.

#ifndef ALLOC_COUNTER_FLAGS_H_
#define ALLOC_COUNTER_FLAGS_H_

#include <string>

namespace alloc_counter {
namespace internal {

// The parsed flags. Each member's initialiser is the flag's default.
struct Flags {
  bool columns = true;           // --alloc_counter_columns=true
  bool count_paused = false;     // --alloc_counter_paused=exclude
  bool timed = false;            // --alloc_counter_mode=memory_run
  int sites = 0;                 // --alloc_counter_sites=0
  bool full_site_names = false;  // --alloc_counter_site_names=short
  std::string folded;            // --alloc_counter_folded=FILE, none
  std::string folded_bytes;      // --alloc_counter_folded_bytes=FILE, none
  bool histogram = false;        // --alloc_counter_histogram=false
};

// ParseFlags()
//
// Parses every `--alloc_counter_*` argument of `argv` into `*flags` and
// removes it from `argv` (updating `*argc`), leaving every other argument in
// order for Google Benchmark. Returns false, with `*error` naming the flag and
// the accepted values, on an unknown flag or a bad value; `argv` is then left
// unchanged.
bool ParseFlags(int* argc, char** argv, Flags* flags, std::string* error);

// FlagsHelp()
//
// The text `--help` prints after Google Benchmark's usage: a heading, then one
// line per flag with its accepted values, what it does and its default, for
// example
//
//   --alloc_counter_paused={exclude|include}  count allocations made while ...
//
// Ends with a newline.
std::string FlagsHelp();

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_FLAGS_H_
