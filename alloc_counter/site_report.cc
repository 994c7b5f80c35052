// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// State owned by this file, and who may touch it:
//
//   TheSymbolizer()  the libdw session of this process and the frames of
//                    every address named so far; created on first use and
//                    never destroyed; used by the thread that runs the
//                    benchmarks only.

#include "alloc_counter/site_report.h"

#include <cxxabi.h>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "alloc_counter/sites.h"

namespace alloc_counter {
namespace internal {
namespace {

// What a frame is, for cutting a stack to its site.
enum class Kind {
  kHook,       // alloc_counter's hook and operator new
  kStd,        // the C++ standard library
  kBenchmark,  // Google Benchmark
  kSystem,     // the C library, the dynamic loader, libgcc
  kProgram,    // the program's own code
};

// One frame as named: a function at an address, or one inlined into it.
struct NamedFrame {
  SiteFrame frame;
  Kind kind = Kind::kProgram;
};

std::string Demangle(const char* mangled) {
  int status = 0;
  char* demangled = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
  if (status != 0 || demangled == nullptr) return mangled;
  std::string name(demangled);
  std::free(demangled);
  return name;
}

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

absl::string_view BaseName(absl::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == absl::string_view::npos ? path : path.substr(slash + 1);
}

// True for a frame of alloc_counter's hook: by name, or, where the library
// was built with debug information (as under the sanitizers), by the file
// of the hook's functions, which covers those inlined into operator new.
bool IsHook(absl::string_view function, absl::string_view file) {
  for (absl::string_view prefix : {"alloc_counter::", "operator new",
                                   "(anonymous namespace)::AllocateCounted(",
                                   "(anonymous namespace)::AllocateSlow("}) {
    if (absl::StartsWith(function, prefix)) return true;
  }
  for (absl::string_view suffix :
       {"alloc_counter/new_delete.cc", "alloc_counter/thread_counters.cc",
        "alloc_counter/sites.cc"}) {
    if (absl::EndsWith(file, suffix)) return true;
  }
  return false;
}

Kind KindOf(absl::string_view mangled, absl::string_view function,
            absl::string_view file, absl::string_view module) {
  if (IsHook(function, file)) return Kind::kHook;
  const absl::string_view lib = BaseName(module);
  if (IsStdMangled(mangled) || absl::StrContains(file, "/include/c++/") ||
      absl::StartsWith(lib, "libstdc++")) {
    return Kind::kStd;
  }
  if (IsBenchmarkMangled(mangled) || absl::StartsWith(lib, "libbenchmark")) {
    return Kind::kBenchmark;
  }
  for (absl::string_view system :
       {"libc.so", "libc-", "ld-linux", "libpthread", "libgcc_s", "libm.so"}) {
    if (absl::StartsWith(lib, system)) return Kind::kSystem;
  }
  return Kind::kProgram;
}

// A source path as the compiler recorded it, without the prefix that Bazel's
// sandboxed compilations record (`/proc/self/cwd/`) or a leading `./`.
std::string CleanPath(const char* path) {
  absl::string_view p = path;
  absl::ConsumePrefix(&p, "/proc/self/cwd/");
  absl::ConsumePrefix(&p, "./");
  return std::string(p);
}

// The linkage (mangled) name of a function DIE or of its abstract origin or
// specification; null if it has none (C functions, `main`).
const char* LinkageName(Dwarf_Die* die) {
  Dwarf_Attribute attr;
  for (unsigned int name : {DW_AT_linkage_name, DW_AT_MIPS_linkage_name}) {
    if (dwarf_attr_integrate(die, name, &attr) != nullptr) {
      if (const char* s = dwarf_formstring(&attr)) return s;
    }
  }
  return nullptr;
}

const char* PlainName(Dwarf_Die* die) {
  Dwarf_Attribute attr;
  if (dwarf_attr_integrate(die, DW_AT_name, &attr) == nullptr) return nullptr;
  return dwarf_formstring(&attr);
}

// The name of a function DIE without a linkage name (a lambda's
// operator(), inlined), qualified by the namespaces, classes and functions
// around its definition: `BM_F::<lambda>::operator()`.
std::string QualifiedName(Dwarf_Die* die, const char* plain) {
  Dwarf_Die target = *die;
  for (int hops = 0; hops < 4; ++hops) {
    Dwarf_Attribute attr;
    Dwarf_Die next;
    if ((dwarf_attr(&target, DW_AT_abstract_origin, &attr) == nullptr &&
         dwarf_attr(&target, DW_AT_specification, &attr) == nullptr) ||
        dwarf_formref_die(&attr, &next) == nullptr) {
      break;
    }
    target = next;
  }
  std::string name = plain;
  Dwarf_Die* chain = nullptr;
  const int n = dwarf_getscopes_die(&target, &chain);
  for (int i = 1; i < n; ++i) {
    const int tag = dwarf_tag(&chain[i]);
    const char* outer = dwarf_diename(&chain[i]);
    if (tag == DW_TAG_subprogram) {
      // A function's linkage name is already qualified: the last step.
      if (const char* mangled = LinkageName(&chain[i])) {
        name = absl::StrCat(Demangle(mangled), "::", name);
        break;
      }
      name = absl::StrCat(outer != nullptr ? outer : "?", "::", name);
    } else if (tag == DW_TAG_namespace) {
      name = absl::StrCat(outer != nullptr ? outer : "(anonymous namespace)",
                          "::", name);
    } else if (tag == DW_TAG_class_type || tag == DW_TAG_structure_type) {
      // A closure type has no name.
      name = absl::StrCat(outer != nullptr ? outer : "<lambda>", "::", name);
    }
  }
  std::free(chain);
  return name;
}

// Names the addresses of this process with elfutils' libdw: ELF symbols for
// function names, DWARF (where the binary has it) for file, line and inlined
// functions.
class Symbolizer {
 public:
  Symbolizer() {
    callbacks_.find_elf = dwfl_linux_proc_find_elf;
    callbacks_.find_debuginfo = dwfl_standard_find_debuginfo;
    callbacks_.section_address = nullptr;
    callbacks_.debuginfo_path = &debuginfo_path_;
    dwfl_ = dwfl_begin(&callbacks_);
    ReportModules();
  }

  // The frames at `pc` (the address of a call instruction), innermost first:
  // the functions inlined there, then the function that holds it.
  const std::vector<NamedFrame>& FramesAt(uintptr_t pc) {
    auto it = cache_.find(pc);
    if (it == cache_.end()) it = cache_.emplace(pc, Name(pc)).first;
    return it->second;
  }

 private:
  void ReportModules() {
    if (dwfl_ == nullptr) return;
    dwfl_report_begin(dwfl_);
    dwfl_linux_proc_report(dwfl_, getpid());
    dwfl_report_end(dwfl_, nullptr, nullptr);
  }

  std::vector<NamedFrame> Name(uintptr_t pc) {
    std::vector<NamedFrame> frames;
    if (dwfl_ == nullptr) return {Unknown(pc, "")};
    Dwfl_Module* module = dwfl_addrmodule(dwfl_, pc);
    if (module == nullptr) {
      // A library loaded since the modules were last listed.
      ReportModules();
      module = dwfl_addrmodule(dwfl_, pc);
    }
    if (module == nullptr) return {Unknown(pc, "")};
    Dwarf_Addr start = 0;
    const char* module_name = dwfl_module_info(
        module, nullptr, &start, nullptr, nullptr, nullptr, nullptr, nullptr);
    const std::string module_path = module_name != nullptr ? module_name : "";

    // The innermost source position, from the line table.
    std::string file;
    int line = 0;
    if (Dwfl_Line* row = dwfl_module_getsrc(module, pc)) {
      int lineno = 0;
      const char* src =
          dwfl_lineinfo(row, nullptr, &lineno, nullptr, nullptr, nullptr);
      if (src != nullptr) {
        file = CleanPath(src);
        line = lineno;
      }
    }

    // The function that holds `pc`, as the ELF symbol table names it: its
    // mangled name is complete where DWARF's may not be (a lambda's
    // operator() has no linkage name there).
    GElf_Off offset = 0;
    GElf_Sym symbol;
    const char* symbol_name = dwfl_module_addrinfo(module, pc, &offset, &symbol,
                                                   nullptr, nullptr, nullptr);

    // Inlined functions, innermost first, then the function itself: each
    // inlined instance gives the position of its call in the next.
    Dwarf_Addr bias = 0;
    Dwarf_Die* cu = dwfl_module_addrdie(module, pc, &bias);
    if (cu == nullptr) {
      // Not covered by any compilation unit: the line table's nearest row
      // would belong to another function.
      file.clear();
      line = 0;
    } else {
      // The DIEs that contain `pc`, innermost first. dwarf_getscopes()
      // continues from an inlined function into its abstract definition;
      // dwarf_getscopes_die() on the innermost DIE follows the nesting in
      // the function's body instead, through every inlined call.
      Dwarf_Die* scopes = nullptr;
      int n = dwarf_getscopes(cu, pc - bias, &scopes);
      if (n > 0) {
        Dwarf_Die innermost = scopes[0];
        std::free(scopes);
        scopes = nullptr;
        n = dwarf_getscopes_die(&innermost, &scopes);
      }
      Dwarf_Files* files = nullptr;
      size_t file_count = 0;
      if (dwarf_getsrcfiles(cu, &files, &file_count) != 0) files = nullptr;
      for (int i = 0; i < n; ++i) {
        Dwarf_Die* scope = &scopes[i];
        const int tag = dwarf_tag(scope);
        if (tag != DW_TAG_subprogram && tag != DW_TAG_inlined_subroutine) {
          continue;
        }
        const char* mangled = LinkageName(scope);
        if (tag == DW_TAG_subprogram && symbol_name != nullptr) {
          mangled = symbol_name;
        }
        const char* plain = PlainName(scope);
        NamedFrame f;
        f.frame.function = mangled != nullptr ? Demangle(mangled)
                           : plain != nullptr ? QualifiedName(scope, plain)
                                              : std::string("?");
        f.frame.file = file;
        f.frame.line = line;
        f.kind = KindOf(mangled != nullptr ? mangled : "", f.frame.function,
                        file, module_path);
        frames.push_back(std::move(f));
        if (tag == DW_TAG_subprogram) break;
        Dwarf_Attribute attr;
        Dwarf_Word value = 0;
        file.clear();
        line = 0;
        if (files != nullptr &&
            dwarf_formudata(dwarf_attr(scope, DW_AT_call_file, &attr),
                            &value) == 0) {
          if (const char* src = dwarf_filesrc(files, value, nullptr, nullptr)) {
            file = CleanPath(src);
          }
        }
        if (dwarf_formudata(dwarf_attr(scope, DW_AT_call_line, &attr),
                            &value) == 0) {
          line = static_cast<int>(value);
        }
      }
      std::free(scopes);
    }
    if (!frames.empty()) return frames;

    // No debug information here: the ELF symbol, and the line table's
    // position if there is one.
    if (symbol_name == nullptr) return {Unknown(pc - start, module_path)};
    NamedFrame f;
    f.frame.function = Demangle(symbol_name);
    f.frame.file = file;
    f.frame.line = line;
    f.kind = KindOf(symbol_name, f.frame.function, file, module_path);
    return {f};
  }

  // A frame without a name: the module and the offset in it.
  static NamedFrame Unknown(uintptr_t offset, const std::string& module) {
    NamedFrame f;
    f.frame.function = absl::StrFormat(
        "%s+0x%x", module.empty() ? "?" : std::string(BaseName(module)),
        offset);
    f.kind = KindOf("", f.frame.function, "", module);
    return f;
  }

  Dwfl_Callbacks callbacks_;
  char* debuginfo_path_ = nullptr;
  Dwfl* dwfl_ = nullptr;
  absl::flat_hash_map<uintptr_t, std::vector<NamedFrame>> cache_;
};

Symbolizer& TheSymbolizer() {
  // Never destroyed: reports may be printed during static destruction.
  static auto* symbolizer = new Symbolizer;
  return *symbolizer;
}

// The site of a stack: see site_report.h.
std::vector<SiteFrame> SiteOf(const std::vector<uintptr_t>& pcs) {
  std::vector<const NamedFrame*> frames;
  for (uintptr_t pc : pcs) {
    for (const NamedFrame& f : TheSymbolizer().FramesAt(pc)) {
      frames.push_back(&f);
    }
  }
  // Past the hook's frames (operator new included), which come first...
  size_t first = 0;
  while (first < frames.size() && frames[first]->kind == Kind::kHook) {
    ++first;
  }
  // ...and past the standard library's allocation plumbing.
  size_t site = first;
  while (site < frames.size() && frames[site]->kind == Kind::kStd) ++site;
  std::vector<SiteFrame> shown;
  for (size_t i = site; i < frames.size() && shown.size() < kSiteFrames; ++i) {
    if (frames[i]->kind != Kind::kProgram) break;
    shown.push_back(frames[i]->frame);
  }
  // No frame of the program's own (an allocation by the standard library's
  // thread start, say): the first frame past the hook.
  if (shown.empty() && first < frames.size()) {
    shown.push_back(frames[first]->frame);
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

// A per-iteration figure: an integer as an integer, a fraction with up to
// `digits` significant digits.
std::string PerIteration(int64_t total, int64_t iterations, int digits) {
  if (iterations <= 0) return "0";
  if (total % iterations == 0) return absl::StrCat(total / iterations);
  return absl::StrFormat(
      "%.*g", digits,
      static_cast<double>(total) / static_cast<double>(iterations));
}

std::string JsonString(absl::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppendFormat(&out, "\\u%04x", static_cast<int>(c));
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

std::string Where(const SiteFrame& f) {
  if (f.file.empty()) return f.function;
  return absl::StrCat(f.function, " at ", BaseName(f.file), ":", f.line);
}

std::string BucketLabel(const SizeBucket& b) {
  if (b.min_bytes == b.max_bytes) return absl::StrCat(b.min_bytes, " B");
  return absl::StrCat(b.min_bytes, "-", b.max_bytes, " B");
}

}  // namespace

std::shared_ptr<const SiteReport> TakeSiteReport(int64_t iterations) {
  const RawSites raw = EndSites();
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
    const auto wanted = static_cast<size_t>(SitesWanted());
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

std::string ConsoleSiteBlock(const SiteReport& r) {
  std::string out;
  const int64_t n = r.iterations;
  if (r.has_sites) {
    if (r.sites.empty() && r.other_allocs == 0) {
      out += "  allocation sites: none\n";
    } else {
      absl::StrAppendFormat(&out, "  %11s %11s  %s\n", "allocs/iter",
                            "bytes/iter", "allocation site");
      for (const AllocationSite& s : r.sites) {
        absl::StrAppendFormat(
            &out, "  %11s %11s  %s\n", PerIteration(s.allocs, n, 6),
            PerIteration(s.bytes, n, 6),
            s.frames.empty() ? std::string("(no frames)") : Where(s.frames[0]));
        for (size_t i = 1; i < s.frames.size(); ++i) {
          absl::StrAppendFormat(&out, "  %11s %11s    called from %s\n", "", "",
                                Where(s.frames[i]));
        }
      }
      if (r.other_allocs != 0 || r.other_sites != 0) {
        absl::StrAppendFormat(&out, "  %11s %11s  other (%d %s)\n",
                              PerIteration(r.other_allocs, n, 6),
                              PerIteration(r.other_bytes, n, 6), r.other_sites,
                              r.other_sites == 1 ? "site" : "sites");
      }
    }
  }
  if (r.has_histogram) {
    out += "  sizes (allocs/iter):";
    if (r.histogram.empty()) out += " none";
    const char* separator = " ";
    for (const SizeBucket& b : r.histogram) {
      absl::StrAppend(&out, separator, BucketLabel(b), ": ",
                      PerIteration(b.allocs, n, 6));
      separator = ", ";
    }
    out += "\n";
  }
  return out;
}

std::string JsonSiteFields(const SiteReport& r, const std::string& indent) {
  const int64_t n = r.iterations;
  std::vector<std::string> fields;
  if (r.has_sites) {
    std::vector<std::string> entries;
    const std::string in1 = indent + "  ";
    const std::string in2 = indent + "    ";
    for (const AllocationSite& s : r.sites) {
      std::vector<std::string> frames;
      for (const SiteFrame& f : s.frames) {
        std::string frame =
            absl::StrCat(in2, "  {\"function\": ", JsonString(f.function));
        if (!f.file.empty()) {
          absl::StrAppend(&frame, ", \"file\": ", JsonString(f.file),
                          ", \"line\": ", f.line);
        }
        frame += "}";
        frames.push_back(std::move(frame));
      }
      entries.push_back(absl::StrCat(
          in1, "{\n", in2,
          "\"allocs_per_iter\": ", PerIteration(s.allocs, n, 17), ",\n", in2,
          "\"bytes_per_iter\": ", PerIteration(s.bytes, n, 17), ",\n", in2,
          "\"frames\": [",
          frames.empty()
              ? std::string()
              : absl::StrCat("\n", absl::StrJoin(frames, ",\n"), "\n", in2),
          "]\n", in1, "}"));
    }
    if (r.other_allocs != 0 || r.other_sites != 0) {
      entries.push_back(absl::StrCat(
          in1, "{\n", in2, "\"other_sites\": ", r.other_sites, ",\n", in2,
          "\"allocs_per_iter\": ", PerIteration(r.other_allocs, n, 17), ",\n",
          in2, "\"bytes_per_iter\": ", PerIteration(r.other_bytes, n, 17),
          ",\n", in2, "\"frames\": []\n", in1, "}"));
    }
    fields.push_back(absl::StrCat(
        indent, "\"alloc_sites\": [",
        entries.empty()
            ? std::string()
            : absl::StrCat("\n", absl::StrJoin(entries, ",\n"), "\n", indent),
        "]"));
  }
  if (r.has_histogram) {
    std::vector<std::string> buckets;
    for (const SizeBucket& b : r.histogram) {
      buckets.push_back(absl::StrCat(
          indent, "  {\"min_bytes\": ", b.min_bytes, ", \"max_bytes\": ",
          b.max_bytes, ", \"allocs_per_iter\": ", PerIteration(b.allocs, n, 17),
          ", \"bytes_per_iter\": ", PerIteration(b.bytes, n, 17), "}"));
    }
    fields.push_back(absl::StrCat(
        indent, "\"size_histogram\": [",
        buckets.empty()
            ? std::string()
            : absl::StrCat("\n", absl::StrJoin(buckets, ",\n"), "\n", indent),
        "]"));
  }
  return absl::StrJoin(fields, ",\n");
}

bool AddJsonFields(const std::string& fields, std::string* json) {
  if (fields.empty()) return true;
  const size_t close = json->rfind('}');
  if (close == std::string::npos) return false;
  for (size_t i = close + 1; i < json->size(); ++i) {
    if ((*json)[i] != ' ' && (*json)[i] != '\n') return false;
  }
  const size_t last = json->find_last_not_of(" \n", close - 1);
  if (last == std::string::npos) return false;
  const bool empty_object = (*json)[last] == '{';
  json->insert(last + 1, absl::StrCat(empty_object ? "\n" : ",\n", fields));
  return true;
}

}  // namespace internal
}  // namespace alloc_counter
