// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: hook_section.h
// -----------------------------------------------------------------------------
//
// alloc_counter's own code on the allocation path, found by address. This is
// internal to alloc_counter.
//
// Every function that can be on the stack between the program's call of an
// allocation function and the capture of that call's stack (the replaced
// operator new and delete, the replaced C allocator of
// //alloc_counter:malloc, the record path) is placed in one ELF section,
// `alloc_counter_hooks`, with ALLOC_COUNTER_HOOK_SECTION. The linker defines
// `__start_alloc_counter_hooks` and `__stop_alloc_counter_hooks` around a
// section whose name is a C identifier, so `InHookSection()` tells
// alloc_counter's frames from the program's by the address alone, whatever
// the functions are named or instantiated with, and a function added to the
// path needs only the attribute (gperftools marks its allocator the same way,
// with its `google_malloc` section).
//
// The bounds are weak: in a program without any such function they are null,
// and no address is in the section. alloc_counter's libraries are linked
// into the executable (alloc_counter/BUILD.bazel), so the section is the
// executable's.
//
// Thread-safe: a pure function of its argument.

#ifndef ALLOC_COUNTER_HOOK_SECTION_H_
#define ALLOC_COUNTER_HOOK_SECTION_H_

#include <cstdint>

// Places a function in the section of the allocation path.
#define ALLOC_COUNTER_HOOK_SECTION \
  __attribute__((section("alloc_counter_hooks")))

extern "C" {
extern const char __start_alloc_counter_hooks[] __attribute__((weak));
extern const char __stop_alloc_counter_hooks[] __attribute__((weak));
}

namespace alloc_counter {
namespace internal {

// InHookSection()
//
// Returns true if `pc` is an address of the allocation path's own code.
inline bool InHookSection(uintptr_t pc) {
  const auto start = reinterpret_cast<uintptr_t>(__start_alloc_counter_hooks);
  const auto stop = reinterpret_cast<uintptr_t>(__stop_alloc_counter_hooks);
  return pc >= start && pc < stop;
}

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_HOOK_SECTION_H_
