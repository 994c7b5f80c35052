// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: forms.h
// -----------------------------------------------------------------------------
//
// The 8 replaceable `operator new` forms of C++17, each with the sized
// `operator delete` that frees what it returns, behind one signature so that
// a test can loop over all of them.

#ifndef TESTS_RELIABILITY_FORMS_H_
#define TESTS_RELIABILITY_FORMS_H_

#include <cstddef>
#include <new>
#include <vector>

namespace reliability {

struct NewForm {
  const char* name;
  bool aligned;  // Takes std::align_val_t.
  bool nothrow;  // Takes std::nothrow_t: returns null instead of throwing.
  void* (*allocate)(std::size_t size, std::size_t alignment);
  void (*deallocate)(void* p, std::size_t size, std::size_t alignment);
};

inline std::align_val_t Al(std::size_t alignment) {
  return static_cast<std::align_val_t>(alignment);
}

inline void DeleteSingle(void* p, std::size_t n, std::size_t) {
  ::operator delete(p, n);
}
inline void DeleteArray(void* p, std::size_t n, std::size_t) {
  ::operator delete[](p, n);
}
inline void DeleteSingleAligned(void* p, std::size_t n, std::size_t a) {
  ::operator delete(p, n, Al(a));
}
inline void DeleteArrayAligned(void* p, std::size_t n, std::size_t a) {
  ::operator delete[](p, n, Al(a));
}

inline const std::vector<NewForm>& NewForms() {
  static const auto* forms = new std::vector<NewForm>{
      {"new(size)", false, false,
       [](std::size_t n, std::size_t) { return ::operator new(n); },
       &DeleteSingle},
      {"new[](size)", false, false,
       [](std::size_t n, std::size_t) { return ::operator new[](n); },
       &DeleteArray},
      {"new(size, align)", true, false,
       [](std::size_t n, std::size_t a) { return ::operator new(n, Al(a)); },
       &DeleteSingleAligned},
      {"new[](size, align)", true, false,
       [](std::size_t n, std::size_t a) { return ::operator new[](n, Al(a)); },
       &DeleteArrayAligned},
      {"new(size, nothrow)", false, true,
       [](std::size_t n, std::size_t) {
         return ::operator new(n, std::nothrow);
       },
       &DeleteSingle},
      {"new[](size, nothrow)", false, true,
       [](std::size_t n, std::size_t) {
         return ::operator new[](n, std::nothrow);
       },
       &DeleteArray},
      {"new(size, align, nothrow)", true, true,
       [](std::size_t n, std::size_t a) {
         return ::operator new(n, Al(a), std::nothrow);
       },
       &DeleteSingleAligned},
      {"new[](size, align, nothrow)", true, true,
       [](std::size_t n, std::size_t a) {
         return ::operator new[](n, Al(a), std::nothrow);
       },
       &DeleteArrayAligned},
  };
  return *forms;
}

// The alignments to try with a form: the default new alignment for the
// unaligned forms; for the aligned ones, the default and above up to a page.
inline std::vector<std::size_t> AlignmentsFor(const NewForm& form) {
  if (!form.aligned) return {__STDCPP_DEFAULT_NEW_ALIGNMENT__};
  return {16, 64, 256, 4096};
}

}  // namespace reliability

#endif  // TESTS_RELIABILITY_FORMS_H_
