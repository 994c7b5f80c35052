// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: forms.h
// -----------------------------------------------------------------------------
//
// The 8 replaceable `operator new` forms and the 12 replaceable `operator
// delete` forms of C++17, each behind one signature, so that a test can loop
// over all of them, and the sizes and alignments to try them with
// (`Cases()`). Thread-compatible: the tables are built once and never
// changed.

#ifndef TESTS_UTIL_FORMS_H_
#define TESTS_UTIL_FORMS_H_

#include <cstddef>
#include <cstdint>
#include <new>
#include <string>
#include <vector>

namespace test_util {

inline std::align_val_t Al(std::size_t alignment) {
  return static_cast<std::align_val_t>(alignment);
}

inline bool IsAligned(const void* p, std::size_t alignment) {
  return reinterpret_cast<std::uintptr_t>(p) % alignment == 0;
}

// An `operator new` form, with the sized `operator delete` that frees what it
// returns.
struct NewForm {
  const char* name;
  bool aligned;  // Takes std::align_val_t.
  bool array;    // operator new[].
  bool nothrow;  // Takes std::nothrow_t: returns null instead of throwing.
  void* (*allocate)(std::size_t size, std::size_t alignment);
  void (*deallocate)(void* p, std::size_t size, std::size_t alignment);
};

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
      {"new(size)", false, false, false,
       [](std::size_t n, std::size_t) { return ::operator new(n); },
       &DeleteSingle},
      {"new(size, nothrow)", false, false, true,
       [](std::size_t n, std::size_t) {
         return ::operator new(n, std::nothrow);
       },
       &DeleteSingle},
      {"new(size, align)", true, false, false,
       [](std::size_t n, std::size_t a) { return ::operator new(n, Al(a)); },
       &DeleteSingleAligned},
      {"new(size, align, nothrow)", true, false, true,
       [](std::size_t n, std::size_t a) {
         return ::operator new(n, Al(a), std::nothrow);
       },
       &DeleteSingleAligned},
      {"new[](size)", false, true, false,
       [](std::size_t n, std::size_t) { return ::operator new[](n); },
       &DeleteArray},
      {"new[](size, nothrow)", false, true, true,
       [](std::size_t n, std::size_t) {
         return ::operator new[](n, std::nothrow);
       },
       &DeleteArray},
      {"new[](size, align)", true, true, false,
       [](std::size_t n, std::size_t a) { return ::operator new[](n, Al(a)); },
       &DeleteArrayAligned},
      {"new[](size, align, nothrow)", true, true, true,
       [](std::size_t n, std::size_t a) {
         return ::operator new[](n, Al(a), std::nothrow);
       },
       &DeleteArrayAligned},
  };
  return *forms;
}

// An `operator delete` form.
struct DeleteForm {
  const char* name;
  bool aligned;  // Takes std::align_val_t: frees memory of an aligned new.
  bool array;    // operator delete[].
  bool sized;    // Takes the size.
  void (*deallocate)(void* p, std::size_t size, std::size_t alignment);
};

inline const std::vector<DeleteForm>& DeleteForms() {
  static const auto* forms = new std::vector<DeleteForm>{
      {"delete(p)", false, false, false,
       [](void* p, std::size_t, std::size_t) { ::operator delete(p); }},
      {"delete(p, size)", false, false, true, &DeleteSingle},
      {"delete(p, align)", true, false, false,
       [](void* p, std::size_t, std::size_t a) {
         ::operator delete(p, Al(a));
       }},
      {"delete(p, size, align)", true, false, true, &DeleteSingleAligned},
      {"delete(p, nothrow)", false, false, false,
       [](void* p, std::size_t, std::size_t) {
         ::operator delete(p, std::nothrow);
       }},
      {"delete(p, align, nothrow)", true, false, false,
       [](void* p, std::size_t, std::size_t a) {
         ::operator delete(p, Al(a), std::nothrow);
       }},
      {"delete[](p)", false, true, false,
       [](void* p, std::size_t, std::size_t) { ::operator delete[](p); }},
      {"delete[](p, size)", false, true, true, &DeleteArray},
      {"delete[](p, align)", true, true, false,
       [](void* p, std::size_t, std::size_t a) {
         ::operator delete[](p, Al(a));
       }},
      {"delete[](p, size, align)", true, true, true, &DeleteArrayAligned},
      {"delete[](p, nothrow)", false, true, false,
       [](void* p, std::size_t, std::size_t) {
         ::operator delete[](p, std::nothrow);
       }},
      {"delete[](p, align, nothrow)", true, true, false,
       [](void* p, std::size_t, std::size_t a) {
         ::operator delete[](p, Al(a), std::nothrow);
       }},
  };
  return *forms;
}

// Allocates `size` bytes with the plain or aligned, single or array new that
// matches `form`.
inline void* NewFor(const DeleteForm& form, std::size_t size,
                    std::size_t alignment) {
  if (form.aligned) {
    return form.array ? ::operator new[](size, Al(alignment))
                      : ::operator new(size, Al(alignment));
  }
  return form.array ? ::operator new[](size) : ::operator new(size);
}

// Sizes to try every form with: tiny, malloc size classes, a page, and one
// above glibc's mmap threshold (128 KiB).
constexpr std::size_t kSizes[] = {1, 8, 24, 100, 1000, 4096, 1 << 20};

// The alignments to try with a form: the default new alignment for the
// unaligned forms; for the aligned ones, the default and above up to a page.
inline std::vector<std::size_t> AlignmentsFor(bool aligned) {
  if (!aligned) return {__STDCPP_DEFAULT_NEW_ALIGNMENT__};
  return {16, 64, 256, 4096};
}
inline std::vector<std::size_t> AlignmentsFor(const NewForm& form) {
  return AlignmentsFor(form.aligned);
}

// FormCase
//
// One case of a test over the forms: a form, a size and an alignment.
template <typename Form>
struct FormCase {
  const Form& form;
  std::size_t size;
  std::size_t alignment;

  // The case, for SCOPED_TRACE: "new(size, align) size=100 alignment=64".
  std::string Name() const {
    return std::string(form.name) + " size=" + std::to_string(size) +
           " alignment=" + std::to_string(alignment);
  }
};

// Cases()
//
// Every form of `forms` (NewForms() or DeleteForms()), with each alignment
// AlignmentsFor() gives it and every size of `sizes`:
//
//   for (const FormCase<NewForm>& c : Cases(NewForms(), kSizes)) {
//     SCOPED_TRACE(c.Name());
//     void* p = c.form.allocate(c.size, c.alignment);
//     ...
//   }
template <typename Form, typename Sizes>
std::vector<FormCase<Form>> Cases(const std::vector<Form>& forms,
                                  const Sizes& sizes) {
  std::vector<FormCase<Form>> cases;
  for (const Form& form : forms) {
    for (const std::size_t alignment : AlignmentsFor(form.aligned)) {
      for (const std::size_t size : sizes) {
        cases.push_back({form, size, alignment});
      }
    }
  }
  return cases;
}

}  // namespace test_util

#endif  // TESTS_UTIL_FORMS_H_
