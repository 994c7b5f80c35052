// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: site_names.h
// -----------------------------------------------------------------------------
//
// Short, readable forms of demangled C++ function names, for the allocation
// sites and stacks a person reads in a terminal or a flame graph. This is
// internal to alloc_counter.
//
// A demangled name on template-heavy code spells every template argument in
// full, several times per name:
//
//   bool ns::detail::parser<ns::basic_json<std::map, std::vector,
//   std::__cxx11::basic_string<char, std::char_traits<char>, ...> ...>
//   >::sax_parse_internal<...>(...) [clone .constprop.1]
//
// Its short form keeps the qualified name and elides the rest:
//
//   ns::detail::parser<…>::sax_parse_internal<…>(…)
//
// Thread-compatible: pure functions of their arguments.

#ifndef ALLOC_COUNTER_SITE_NAMES_H_
#define ALLOC_COUNTER_SITE_NAMES_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace alloc_counter {
namespace internal {

// ShortName()
//
// The short form of the demangled name `name`:
// - template argument lists become `<…>`;
// - parameter lists become `(…)` (`()` when empty), unless `keep_parameters`,
//   when they are kept with their template arguments elided;
// - the return type that GCC's demangler puts before a function template's
//   name is dropped, and so are `[clone .xxx]` suffixes, ABI tags such as
//   `[abi:cxx11]` and the `__cxx11::` inline namespace of libstdc++;
// - `(anonymous namespace)`, operator names (`operator<<`, `operator()`)
//   and qualifiers after the parameters (`const`) stay as they are.
// A name that is not a demangled C++ name (a C function, `module+0x1f`) is
// returned unchanged.
std::string ShortName(absl::string_view name, bool keep_parameters);

// UnqualifiedName()
//
// The function's own name in the demangled name `name`, without its
// qualifiers, template arguments and parameters: `allocate` for
// `std::allocator_traits<std::allocator<int> >::allocate(...)`.
std::string UnqualifiedName(absl::string_view name);

// WithoutCloneSuffixes()
//
// `name` without the ` [clone .constprop.0]` suffixes that GCC gives the
// copies of a function it specialises: at -O3 each level of a recursion
// can be a clone of its own, and all of them are the one function.
absl::string_view WithoutCloneSuffixes(absl::string_view name);

// DisplayWidth()
//
// The columns `text` takes in a terminal: its UTF-8 code points.
size_t DisplayWidth(absl::string_view text);

// FitName()
//
// `name` cut to at most `width` columns: unchanged if it fits; otherwise its
// outermost qualifiers are replaced by `…` at a `::` that leaves the rest
// fitting (`…serializer<…>::dump(…)`), or, where none does, its end is.
std::string FitName(absl::string_view name, size_t width);

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_SITE_NAMES_H_
