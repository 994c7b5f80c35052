// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: symbolizer.h
// -----------------------------------------------------------------------------
//
// Names the code addresses of this process, for the allocation sites of
// `--alloc_counter_sites` (site_attribution.h). This is internal to
// alloc_counter.
//
// elfutils' libdw reads each module's ELF symbols, for function names, and
// its DWARF debug information where the binary has it (`-g`), for file, line
// and the functions inlined at an address. Each address is named once and
// kept.
//
// Thread-compatible: used by the thread that runs the benchmarks, after a
// memory run.

#ifndef ALLOC_COUNTER_SYMBOLIZER_H_
#define ALLOC_COUNTER_SYMBOLIZER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace alloc_counter {
namespace internal {

// One frame at an address: the function that holds it, or one inlined there.
struct NamedFrame {
  // The demangled name, or `module+0xoffset` where the module has no symbol
  // for the address.
  std::string function;
  // The function's mangled (linkage) name; empty where it has none (C
  // functions, `main`, a lambda's `operator()` inlined).
  std::string mangled;
  // The source file and line, where the binary has debug information; empty
  // and 0 otherwise. For a frame that an inlined function was called from,
  // the position of that call.
  std::string file;
  int line = 0;
  // The path of the module (executable or shared library) that holds the
  // address.
  std::string module;
};

// FramesAt()
//
// The frames at `pc`, the address of a call instruction, innermost first:
// the functions inlined there, then the function that holds it. Always at
// least one.
const std::vector<NamedFrame>& FramesAt(uintptr_t pc);

// BaseName()
//
// The last component of `path`.
absl::string_view BaseName(absl::string_view path);

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_SYMBOLIZER_H_
