// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0

#include "alloc_counter/stack_files.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "alloc_counter/site_output.h"
#include "alloc_counter/site_report.h"

namespace alloc_counter {
namespace internal {
namespace {

// Opens `path` for `flag`, or exits saying why it cannot.
void OpenOrExit(const char* flag, const std::string& path,
                std::ofstream* file) {
  if (path.empty()) return;
  errno = 0;
  file->open(path, std::ios::out | std::ios::trunc);
  if (!file->is_open()) {
    std::fprintf(
        stderr, "alloc_counter: cannot write --alloc_counter_%s=%s: %s\n", flag,
        path.c_str(), errno != 0 ? std::strerror(errno) : "open failed");
    std::exit(2);
  }
}

}  // namespace

std::unique_ptr<StackFiles> StackFiles::Open(const std::string& counts_path,
                                             const std::string& bytes_path,
                                             bool full_names) {
  if (counts_path.empty() && bytes_path.empty()) return nullptr;
  std::unique_ptr<StackFiles> files(new StackFiles());
  OpenOrExit("folded", counts_path, &files->counts_);
  OpenOrExit("folded_bytes", bytes_path, &files->bytes_);
  files->full_names_ = full_names;
  return files;
}

void StackFiles::Add(absl::string_view benchmark, const SiteReport& report) {
  if (counts_.is_open()) {
    counts_ << FoldedStacks(report, benchmark, /*bytes=*/false, full_names_)
            << std::flush;
  }
  if (bytes_.is_open()) {
    bytes_ << FoldedStacks(report, benchmark, /*bytes=*/true, full_names_)
           << std::flush;
  }
}

}  // namespace internal
}  // namespace alloc_counter
