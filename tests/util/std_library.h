// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: std_library.h
// -----------------------------------------------------------------------------
//
// What the C++ standard library itself allocates, for tests that pin exact
// counts: libstdc++'s figures, or libc++'s where that is the library in use
// (_LIBCPP_VERSION, defined by any of its headers). Constants only.

#ifndef TESTS_UTIL_STD_LIBRARY_H_
#define TESTS_UTIL_STD_LIBRARY_H_

#include <cstddef>
#include <cstdint>
#include <thread>

namespace test_util {

// kThreadStartAllocs, ThreadStartBytes()
//
// Starting a std::thread allocates on the creating thread, and the new thread
// frees all of it before it ends: libstdc++ allocates one block, the state (a
// vtable pointer and the function object), freed when the function returns;
// libc++ three, the function object in a tuple beside a pointer (freed when
// it returns) and the thread's __thread_struct with its implementation
// (8 and 48 bytes, freed at thread exit). `function_size` is the size of the
// function object.
#ifdef _LIBCPP_VERSION
inline constexpr int kThreadStartAllocs = 3;
constexpr int64_t ThreadStartBytes(std::size_t function_size) {
  return static_cast<int64_t>(8 + function_size + 8 + 48);
}
#else
inline constexpr int kThreadStartAllocs = 1;
constexpr int64_t ThreadStartBytes(std::size_t function_size) {
  return static_cast<int64_t>(8 + function_size);
}
#endif

// kExceptionHeader, ExceptionObjectBytes(), kFirstThrowAllocs
//
// `throw` takes the exception object from malloc, not operator new
// (__cxa_allocate_exception): a 128-byte header on x86-64 before the thrown
// object of `thrown_size` bytes, freed when its handler ends. libc++abi
// rounds the whole up to the header's alignment, 16, and on a thread's
// first throw also allocates that thread's exception globals (16 bytes,
// calloc), freed only when the thread exits. These count only where the C
// allocator is (//alloc_counter:malloc).
inline constexpr int64_t kExceptionHeader = 128;
#ifdef _LIBCPP_VERSION
constexpr int64_t ExceptionObjectBytes(std::size_t thrown_size) {
  return (kExceptionHeader + static_cast<int64_t>(thrown_size) + 15) / 16 * 16;
}
inline constexpr int kFirstThrowAllocs = 1;
#else
constexpr int64_t ExceptionObjectBytes(std::size_t thrown_size) {
  return kExceptionHeader + static_cast<int64_t>(thrown_size);
}
inline constexpr int kFirstThrowAllocs = 0;
#endif

}  // namespace test_util

#endif  // TESTS_UTIL_STD_LIBRARY_H_
