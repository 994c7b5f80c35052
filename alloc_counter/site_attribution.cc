// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0

#include "alloc_counter/site_attribution.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "alloc_counter/hook_section.h"
#include "alloc_counter/site_names.h"
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

// A named frame and what it is.
struct Frame {
  const NamedFrame* named;
  Kind kind;
};

// Every frame of a stack, inlined ones included, innermost first.
std::vector<Frame> FramesOf(const std::vector<uintptr_t>& pcs) {
  std::vector<Frame> frames;
  for (uintptr_t pc : pcs) {
    for (const NamedFrame& f : FramesAt(pc)) {
      frames.push_back({&f, KindOf(pc, f)});
    }
  }
  return frames;
}

// alloc_counter's own frames and the standard library's allocation functions
// (std::allocator, allocator_traits, a container's _M_allocate; libc++'s
// __allocate_at_least and the __libcpp_allocate and __libcpp_operator_new
// under its std::allocator): the way to the allocator, never a frame of a
// stack.
bool IsAllocatorPlumbing(const Frame& f) {
  if (f.kind == Kind::kHook) return true;
  if (f.kind != Kind::kStd) return false;
  const std::string name = UnqualifiedName(f.named->function);
  // A function template's name ends with its elided arguments.
  absl::string_view base = name;
  absl::ConsumeSuffix(&base, "<\xE2\x80\xA6>");  // <…>
  for (absl::string_view plumbing :
       {"allocate", "_M_allocate", "__allocate_guarded", "operator new",
        "operator new[]", "__allocate_at_least", "__libcpp_allocate",
        "__libcpp_operator_new"}) {
    if (base == plumbing) return true;
  }
  return false;
}

SiteFrame FrameOf(const NamedFrame& f) {
  SiteFrame frame;
  frame.function = f.function;
  frame.file = f.file;
  frame.line = f.line;
  return frame;
}

// The site of a stack of `depth` addresses: see site_attribution.h.
// Consecutive frames of the same function (recursion; GCC's clones of one
// function are the same function) are one frame that counts them.
std::vector<SiteFrame> SiteOf(const std::vector<Frame>& frames, size_t depth) {
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
  size_t i = site;
  for (; i < frames.size(); ++i) {
    if (frames[i].kind != Kind::kProgram) break;
    const NamedFrame& f = *frames[i].named;
    if (!shown.empty() && WithoutCloneSuffixes(shown.back().function) ==
                              WithoutCloneSuffixes(f.function)) {
      ++shown.back().repeated_min;
      ++shown.back().repeated_max;
      continue;
    }
    if (shown.size() == kSiteFrames) break;
    shown.push_back(FrameOf(f));
  }
  if (i == frames.size() && depth == kMaxStackDepth && !shown.empty() &&
      shown.back().repeated_max > 1) {
    shown.back().repeated_cut = true;
  }
  // No frame of the program's own (an allocation by the standard library's
  // thread start, say): the first frame past alloc_counter's.
  if (shown.empty() && first < frames.size()) {
    shown.push_back(FrameOf(*frames[first].named));
  }
  return shown;
}

// The frames of a stack that are shown, outermost first (see
// AllocationStack): past the allocator plumbing, and up to the benchmark's
// function, the frame that the first Google Benchmark frame outside the
// program's frames called. A stack of a thread that the benchmark started
// has no such frame: it goes up to the thread's own function, past the C
// and C++ libraries' thread start. Sets `*truncated` if the stack was cut at
// `kMaxStackDepth` before it reached either.
std::vector<const NamedFrame*> StackOf(const std::vector<Frame>& frames,
                                       size_t depth, bool* truncated) {
  size_t begin = 0;
  while (begin < frames.size() && IsAllocatorPlumbing(frames[begin])) ++begin;
  size_t end = frames.size();
  bool reached_benchmark = false;
  bool seen_program = false;
  for (size_t i = begin; i < frames.size(); ++i) {
    if (frames[i].kind == Kind::kProgram) {
      seen_program = true;
    } else if (frames[i].kind == Kind::kBenchmark && seen_program) {
      end = i;
      reached_benchmark = true;
      break;
    }
  }
  *truncated = !reached_benchmark && depth == kMaxStackDepth;
  if (!reached_benchmark && !*truncated) {
    while (end > begin && (frames[end - 1].kind == Kind::kSystem ||
                           frames[end - 1].kind == Kind::kStd)) {
      --end;
    }
  }
  std::vector<const NamedFrame*> stack;
  for (size_t i = end; i-- > begin;) stack.push_back(frames[i].named);
  return stack;
}

std::string SiteKey(const std::vector<SiteFrame>& frames) {
  std::string key;
  for (const SiteFrame& f : frames) {
    absl::StrAppend(&key, WithoutCloneSuffixes(f.function), "\x1f", f.file,
                    "\x1f", f.line, "\x1e");
  }
  return key;
}

// Adds `stack`'s allocations to the site of its frames in `by_site`.
void AddToSite(std::vector<SiteFrame> frames, const RawSite& stack,
               std::map<std::string, AllocationSite>* by_site) {
  AllocationSite& site = (*by_site)[SiteKey(frames)];
  if (site.frames.empty()) {
    site.frames = std::move(frames);
  } else {
    for (size_t i = 0; i < frames.size(); ++i) {
      SiteFrame& f = site.frames[i];
      f.repeated_min = std::min(f.repeated_min, frames[i].repeated_min);
      f.repeated_max = std::max(f.repeated_max, frames[i].repeated_max);
      f.repeated_cut = f.repeated_cut || frames[i].repeated_cut;
    }
  }
  site.allocs += stack.allocs;
  site.bytes += stack.bytes;
}

// The stacks of `raw`, each cut as StackOf() does, stacks that end up the
// same merged, into `report`.
class StackTable {
 public:
  explicit StackTable(SiteReport* report) : report_(report) {}

  void Add(const std::vector<Frame>& frames, const RawSite& raw) {
    bool truncated = false;
    const std::vector<const NamedFrame*> named =
        StackOf(frames, raw.pcs.size(), &truncated);
    std::vector<int> indexes;
    indexes.reserve(named.size());
    for (const NamedFrame* f : named) indexes.push_back(IndexOf(*f));
    auto [it, inserted] = stack_index_.try_emplace(
        std::make_pair(indexes, truncated), report_->stacks.size());
    if (inserted) {
      AllocationStack stack;
      stack.frames = std::move(indexes);
      stack.truncated = truncated;
      report_->stacks.push_back(std::move(stack));
    }
    AllocationStack& stack = report_->stacks[it->second];
    stack.allocs += raw.allocs;
    stack.bytes += raw.bytes;
  }

 private:
  int IndexOf(const NamedFrame& f) {
    auto [it, inserted] = frame_index_.try_emplace(
        std::make_tuple(f.function, f.file, f.line),
        static_cast<int>(report_->stack_frames.size()));
    if (inserted) report_->stack_frames.push_back(FrameOf(f));
    return it->second;
  }

  SiteReport* report_;
  std::map<std::tuple<std::string, std::string, int>, int> frame_index_;
  std::map<std::pair<std::vector<int>, bool>, size_t> stack_index_;
};

// Sets every frame's short name: its ShortName(), with the parameters kept
// where they tell apart functions of the report that would otherwise read
// the same (overloads; not instances of one template, which read the same
// either way).
void SetShortNames(SiteReport* report) {
  std::vector<SiteFrame*> frames;
  for (AllocationSite& site : report->sites) {
    for (SiteFrame& f : site.frames) frames.push_back(&f);
  }
  for (SiteFrame& f : report->stack_frames) frames.push_back(&f);
  std::map<std::string, std::set<std::string>> with_parameters_by_short;
  for (SiteFrame* f : frames) {
    f->short_function = ShortName(f->function, false);
    with_parameters_by_short[f->short_function].insert(
        ShortName(f->function, true));
  }
  for (SiteFrame* f : frames) {
    if (with_parameters_by_short[f->short_function].size() > 1) {
      f->short_function = ShortName(f->function, true);
    }
  }
}

}  // namespace

std::shared_ptr<const SiteReport> BuildSiteReport(const RawSites& raw,
                                                  int64_t iterations,
                                                  int shown) {
  if (!raw.sites && !raw.histogram) return nullptr;
  auto report = std::make_shared<SiteReport>();
  report->iterations = iterations;
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
    report->has_sites = shown > 0;
    report->has_stacks = true;
    // Stacks with the same site are one site.
    std::map<std::string, AllocationSite> by_site;
    StackTable stacks(report.get());
    for (const RawSite& stack : raw.stacks) {
      const std::vector<Frame> frames = FramesOf(stack.pcs);
      AddToSite(SiteOf(frames, stack.pcs.size()), stack, &by_site);
      stacks.Add(frames, stack);
    }
    std::stable_sort(report->stacks.begin(), report->stacks.end(),
                     [](const AllocationStack& a, const AllocationStack& b) {
                       return std::tie(b.allocs, b.bytes) <
                              std::tie(a.allocs, a.bytes);
                     });
    report->overflow_allocs = raw.overflow_allocs;
    report->overflow_bytes = raw.overflow_bytes;
    std::vector<AllocationSite> sites;
    for (auto& entry : by_site) {
      for (const SiteFrame& f : entry.second.frames) {
        if (!f.file.empty()) report->has_line_info = true;
      }
      sites.push_back(std::move(entry.second));
    }
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
    SetShortNames(report.get());
  }
  return report;
}

}  // namespace internal
}  // namespace alloc_counter
