// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// State owned by this file, and who may touch it:
//
//   TheSymbolizer()  the libdw session of this process and the frames of
//                    every address named so far; created on first use and
//                    never destroyed; used by the thread that runs the
//                    benchmarks only.

#include "alloc_counter/symbolizer.h"

#include <cxxabi.h>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace alloc_counter {
namespace internal {
namespace {

std::string Demangle(const char* mangled) {
  int status = 0;
  char* demangled = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
  if (status != 0 || demangled == nullptr) return mangled;
  std::string name(demangled);
  std::free(demangled);
  return name;
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

  // The compilation unit whose code holds `pc`, null if none does (code
  // built without -g); `bias` is the module's load bias. libdw's own lookup
  // (dwfl_module_addrdie) reads .debug_aranges, which GCC emits and clang
  // does not unless asked (-gdwarf-aranges): without it, each unit's own
  // address ranges (DW_AT_low_pc/high_pc or DW_AT_ranges) are searched.
  static Dwarf_Die* CompilationUnitAt(Dwfl_Module* module, uintptr_t pc,
                                      Dwarf_Addr* bias) {
    if (Dwarf_Die* cu = dwfl_module_addrdie(module, pc, bias)) return cu;
    Dwarf_Die* cu = nullptr;
    while ((cu = dwfl_module_nextcu(module, cu, bias)) != nullptr) {
      if (dwarf_haspc(cu, pc - *bias) > 0) return cu;
    }
    return nullptr;
  }

  // Finds the innermost DIE under `parent` whose code holds `address` (a
  // module address), through namespaces and classes: clang nests the
  // definitions of functions in them, where GCC writes them at the top of
  // the unit with DW_AT_specification, and dwarf_getscopes() (elfutils
  // 0.188) does not look inside them. False if none does.
  static bool InnermostScopeAt(Dwarf_Die* parent, Dwarf_Addr address,
                               Dwarf_Die* innermost) {
    Dwarf_Die child;
    if (dwarf_child(parent, &child) != 0) return false;
    do {
      switch (dwarf_tag(&child)) {
        case DW_TAG_namespace:
        case DW_TAG_class_type:
        case DW_TAG_structure_type:
        case DW_TAG_union_type:
          // No addresses of their own.
          if (InnermostScopeAt(&child, address, innermost)) return true;
          break;
        case DW_TAG_subprogram:
        case DW_TAG_inlined_subroutine:
        case DW_TAG_lexical_block:
        case DW_TAG_try_block:
        case DW_TAG_catch_block:
          if (dwarf_haspc(&child, address) > 0) {
            if (!InnermostScopeAt(&child, address, innermost)) {
              *innermost = child;
            }
            return true;
          }
          break;
        default:
          break;
      }
    } while (dwarf_siblingof(&child, &child) == 0);
    return false;
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

    // The function that holds `pc`, as the ELF symbol table names it: its
    // mangled name is complete where DWARF's may not be (a lambda's
    // operator() has no linkage name there).
    GElf_Off offset = 0;
    GElf_Sym symbol;
    const char* symbol_name = dwfl_module_addrinfo(module, pc, &offset, &symbol,
                                                   nullptr, nullptr, nullptr);

    // Inlined functions, innermost first, then the function itself: each
    // inlined instance gives the position of its call in the next.
    std::string file;
    int line = 0;
    Dwarf_Addr bias = 0;
    Dwarf_Die* cu = CompilationUnitAt(module, pc, &bias);
    if (cu != nullptr) {
      // The innermost source position, from the line table of that unit
      // only: a unit built without -g has no line table, and the nearest
      // row of another unit's would belong to another function.
      if (Dwarf_Line* row = dwarf_getsrc_die(cu, pc - bias)) {
        int lineno = 0;
        const char* src = dwarf_linesrc(row, nullptr, nullptr);
        if (src != nullptr && dwarf_lineno(row, &lineno) == 0) {
          file = CleanPath(src);
          line = lineno;
        }
      }
      // The DIEs that contain `pc`, innermost first. dwarf_getscopes()
      // continues from an inlined function into its abstract definition;
      // dwarf_getscopes_die() on the innermost DIE follows the nesting in
      // the function's body instead, through every inlined call.
      Dwarf_Die* scopes = nullptr;
      Dwarf_Die innermost;
      int n = dwarf_getscopes(cu, pc - bias, &scopes);
      if (n > 0) {
        innermost = scopes[0];
        std::free(scopes);
        scopes = nullptr;
        n = dwarf_getscopes_die(&innermost, &scopes);
      } else if (n == 0 && InnermostScopeAt(cu, pc - bias, &innermost)) {
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
        f.function = mangled != nullptr ? Demangle(mangled)
                     : plain != nullptr ? QualifiedName(scope, plain)
                                        : std::string("?");
        if (mangled != nullptr) f.mangled = mangled;
        f.file = file;
        f.line = line;
        f.module = module_path;
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

    // No debug information for this function: the ELF symbol alone. A line
    // table row found for `pc` belongs to another compilation unit (one
    // built with -g, linked beside this one built without it) and is not
    // used.
    if (symbol_name == nullptr) return {Unknown(pc - start, module_path)};
    NamedFrame f;
    f.function = Demangle(symbol_name);
    f.mangled = symbol_name;
    f.module = module_path;
    return {f};
  }

  // A frame without a name: the module and the offset in it.
  static NamedFrame Unknown(uintptr_t offset, const std::string& module) {
    NamedFrame f;
    f.function = absl::StrFormat(
        "%s+0x%x", module.empty() ? "?" : std::string(BaseName(module)),
        offset);
    f.module = module;
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

}  // namespace

absl::string_view BaseName(absl::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == absl::string_view::npos ? path : path.substr(slash + 1);
}

const std::vector<NamedFrame>& FramesAt(uintptr_t pc) {
  return TheSymbolizer().FramesAt(pc);
}

}  // namespace internal
}  // namespace alloc_counter
