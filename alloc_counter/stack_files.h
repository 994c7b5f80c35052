// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: stack_files.h
// -----------------------------------------------------------------------------
//
// The files of `--alloc_counter_folded=FILE` and
// `--alloc_counter_folded_bytes=FILE`: each benchmark row's allocation
// stacks, folded (site_output.h's FoldedStacks()), for flamegraph.pl, inferno
// or speedscope. Both are emptied when the benchmarks start and each row's
// stacks are added as it is reported. This is internal to alloc_counter.
//
// Thread-compatible, like the reporters that call it.

#ifndef ALLOC_COUNTER_STACK_FILES_H_
#define ALLOC_COUNTER_STACK_FILES_H_

#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "alloc_counter/site_report.h"

namespace alloc_counter {
namespace internal {

class StackFiles {
 public:
  // Open()
  //
  // Creates or empties the file at `counts_path` (allocation counts) and the
  // one at `bytes_path` (bytes); an empty path is no file. Returns null if
  // neither is asked for; exits the program with status 2, naming the flag,
  // the path and the reason, if one cannot be written.
  static std::unique_ptr<StackFiles> Open(const std::string& counts_path,
                                          const std::string& bytes_path,
                                          bool full_names);

  // Add()
  //
  // Adds the stacks of `report`, rooted at `benchmark`, to the files, and
  // flushes them.
  void Add(absl::string_view benchmark, const SiteReport& report);

 private:
  StackFiles() = default;

  std::ofstream counts_;
  std::ofstream bytes_;
  bool full_names_ = false;
};

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_STACK_FILES_H_
