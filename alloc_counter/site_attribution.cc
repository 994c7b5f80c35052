// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0

#include "alloc_counter/site_attribution.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "alloc_counter/hook_section.h"
#include "alloc_counter/site_report.h"
#include "alloc_counter/sites.h"
#include "alloc_counter/symbolizer.h"

namespace alloc_counter {
namespace internal {
namespace {

// What a frame is, for cutting a stack to its site.
enum class Kind {
  kHook,       // alloc_counter's own code on the allocation path
  kStd,        // the C++ standard library
  kBenchmark,  // Google Benchmark
  kSystem,     // the C library, the dynamic loader, libgcc
  kProgram,    // the program's own code
};

// True for a mangled name in namespace std (or a standard abbreviation such
// as std::allocator, `Sa`) or in libstdc++'s __gnu_cxx and __cxxabiv1.
bool IsStdMangled(absl::string_view m) {
  if (!absl::ConsumePrefix(&m, "_Z")) return false;
  // A local entity (a lambda in a function) belongs to its function.
  absl::ConsumePrefix(&m, "Z");
  if (absl::ConsumePrefix(&m, "N")) {
    while (!m.empty() &&
           absl::string_view("rVKRO").find(m[0]) != absl::string_view::npos) {
      m.remove_prefix(1);
    }
  }
  for (absl::string_view prefix : {"St", "Sa", "Sb", "Ss", "Si", "So", "Sd",
                                   "9__gnu_cxx", "10__cxxabiv1"}) {
    if (absl::StartsWith(m, prefix)) return true;
  }
  return false;
}

bool IsBenchmarkMangled(absl::string_view m) {
  return absl::StartsWith(m, "_ZN9benchmark") ||
         absl::StartsWith(m, "_ZNK9benchmark");
}

Kind KindOf(uintptr_t pc, const NamedFrame& f) {
  if (InHookSection(pc)) return Kind::kHook;
  const absl::string_view lib = BaseName(f.module);
  if (IsStdMangled(f.mangled) || absl::StrContains(f.file, "/include/c++/") ||
      absl::StartsWith(lib, "libstdc++")) {
    return Kind::kStd;
  }
  if (IsBenchmarkMangled(f.mangled) || absl::StartsWith(lib, "libbenchmark")) {
    return Kind::kBenchmark;
  }
  for (absl::string_view system :
       {"libc.so", "libc-", "ld-linux", "libpthread", "libgcc_s", "libm.so"}) {
    if (absl::StartsWith(lib, system)) return Kind::kSystem;
  }
  return Kind::kProgram;
}

SiteFrame FrameOf(const NamedFrame& f) {
  SiteFrame frame;
  frame.function = f.function;
  frame.file = f.file;
  frame.line = f.line;
  return frame;
}

// The site of a stack: see site_attribution.h.
std::vector<SiteFrame> SiteOf(const std::vector<uintptr_t>& pcs) {
  struct Frame {
    const NamedFrame* named;
    Kind kind;
  };
  std::vector<Frame> frames;
  for (uintptr_t pc : pcs) {
    for (const NamedFrame& f : FramesAt(pc)) {
      frames.push_back({&f, KindOf(pc, f)});
    }
  }
  // Past alloc_counter's frames (operator new, malloc), which come first...
  size_t first = 0;
  while (first < frames.size() && frames[first].kind == Kind::kHook) ++first;
  // ...and past the libraries' allocation plumbing.
  size_t site = first;
  while (site < frames.size() && (frames[site].kind == Kind::kStd ||
                                  frames[site].kind == Kind::kSystem)) {
    ++site;
  }
  std::vector<SiteFrame> shown;
  for (size_t i = site; i < frames.size() && shown.size() < kSiteFrames; ++i) {
    if (frames[i].kind != Kind::kProgram) break;
    shown.push_back(FrameOf(*frames[i].named));
  }
  // No frame of the program's own (an allocation by the standard library's
  // thread start, say): the first frame past alloc_counter's.
  if (shown.empty() && first < frames.size()) {
    shown.push_back(FrameOf(*frames[first].named));
  }
  return shown;
}

std::string SiteKey(const std::vector<SiteFrame>& frames) {
  std::string key;
  for (const SiteFrame& f : frames) {
    absl::StrAppend(&key, f.function, "\x1f", f.file, "\x1f", f.line, "\x1e");
  }
  return key;
}

}  // namespace

std::shared_ptr<const SiteReport> BuildSiteReport(const RawSites& raw,
                                                  int64_t iterations,
                                                  int shown) {
  if (!raw.sites && !raw.histogram) return nullptr;
  auto report = std::make_shared<SiteReport>();
  report->iterations = iterations;
  report->has_sites = raw.sites;
  report->has_histogram = raw.histogram;
  if (raw.histogram) {
    for (int k = 0; k < kSizeBuckets; ++k) {
      if (raw.size_allocs[k] == 0) continue;
      SizeBucket b;
      b.min_bytes = k == 0 ? 0 : uint64_t{1} << (k - 1);
      b.max_bytes =
          k == 0 ? 0 : (k == 64 ? ~uint64_t{0} : (uint64_t{1} << k) - 1);
      b.allocs = raw.size_allocs[k];
      b.bytes = raw.size_bytes[k];
      report->histogram.push_back(b);
    }
  }
  if (raw.sites) {
    // Stacks with the same site are one site.
    std::map<std::string, AllocationSite> by_site;
    for (const RawSite& stack : raw.stacks) {
      std::vector<SiteFrame> frames = SiteOf(stack.pcs);
      AllocationSite& site = by_site[SiteKey(frames)];
      if (site.frames.empty()) site.frames = std::move(frames);
      site.allocs += stack.allocs;
      site.bytes += stack.bytes;
    }
    std::vector<AllocationSite> sites;
    for (auto& entry : by_site) sites.push_back(std::move(entry.second));
    // Most allocations first, then most bytes; std::map's key order breaks
    // ties, so the order is the same from run to run.
    std::stable_sort(sites.begin(), sites.end(),
                     [](const AllocationSite& a, const AllocationSite& b) {
                       return std::tie(b.allocs, b.bytes) <
                              std::tie(a.allocs, a.bytes);
                     });
    const auto wanted = static_cast<size_t>(shown);
    for (size_t i = 0; i < sites.size(); ++i) {
      if (i < wanted) {
        report->sites.push_back(std::move(sites[i]));
      } else {
        ++report->other_sites;
        report->other_allocs += sites[i].allocs;
        report->other_bytes += sites[i].bytes;
      }
    }
    report->other_allocs += raw.overflow_allocs;
    report->other_bytes += raw.overflow_bytes;
  }
  return report;
}

}  // namespace internal
}  // namespace alloc_counter
