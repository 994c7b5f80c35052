// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Allocations before main and after main returns, through alloc_counter's
// hooks, with each allocator underneath (built once per allocator,
// BUILD.bazel). A plain main(), as abseil writes tests of behaviour before
// main: GoogleTest would allocate around the checks. Every check failure
// prints a line to stderr and exits with status 1, also after main.
//
// The program allocates
//   - from a .preinit_array function, which the dynamic linker runs before
//     any shared library's initialisers: before jemalloc, tcmalloc or
//     mimalloc has run its own (they must initialise on that first call);
//   - from a global object's constructor;
//   - from the same object's destructor and from an atexit handler, after
//     main returns;
// and checks that those allocations are outside any window (counted
// nowhere), that a window opened at each of those times counts exactly, and
// that the blocks come from the allocator (allocator.h).

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "alloc_counter/thread_counters.h"
#include "tests/reliability/allocator.h"
#include "tests/util/measure.h"

namespace reliability {
namespace {

using test_util::Allocate;
using test_util::Free;
using test_util::MeasureLoop;

// Reports a failed check and exits with status 1: works before and after
// main (write(2), _exit), allocates nothing.
void Check(bool ok, const char* what) {
  if (ok) return;
  const char* prefix = "static_lifetime_test FAILED: ";
  (void)!write(2, prefix, std::strlen(prefix));
  (void)!write(2, what, std::strlen(what));
  (void)!write(2, "\n", 1);
  _exit(1);
}

void CheckOwned(const void* p, const char* what) {
  if (test_util::kSanitized) return;
  if (const std::optional<bool> owns = AllocatorOwns(p)) Check(*owns, what);
}

// Counts what the process counted so far: TotalsNow() moves only inside
// windows.
int64_t AllocsCountedSoFar() { return test_util::TotalsNow().allocs; }

// Opens a window around 3 allocations of 100 bytes and checks it.
void CheckAWindowCountsExactly(const char* when) {
  const auto t = MeasureLoop([] {
    void* a = Allocate(100);
    void* b = Allocate(100);
    Free(a, 100);
    void* c = Allocate(100);
    Free(c, 100);
    Free(b, 100);
  });
  Check(t.allocs == 3 && t.alloc_bytes == 300 && t.frees == 3 &&
            t.freed_bytes == 300 && t.net_bytes == 0 && t.peak_bytes == 200,
        when);
}

// --- Before any shared library's initialisers ---------------------------

void* g_preinit_block = nullptr;
int64_t g_counted_at_preinit = -1;

void BeforeSharedLibraries(int, char**, char**) {
  g_preinit_block = Allocate(1000);
  g_counted_at_preinit = AllocsCountedSoFar();
}

__attribute__((section(".preinit_array"),
               used)) void (*const kPreinit)(int, char**,
                                             char**) = &BeforeSharedLibraries;

// --- Static initialisation and destruction ------------------------------

int64_t g_counted_at_end_of_main = -1;

struct AllocatesBeforeAndAfterMain {
  AllocatesBeforeAndAfterMain()
      : names(new std::vector<std::string>{std::string(100, 'a'),
                                           std::string(200, 'b')}) {
    CheckOwned(names, "global constructor's block is the allocator's");
    Check(AllocsCountedSoFar() == 0,
          "allocations before main are counted nowhere");
    CheckAWindowCountsExactly("a window opened in a global constructor");
  }

  ~AllocatesBeforeAndAfterMain() {
    // After main: the atexit handler, registered later, has run first.
    Check(AllocsCountedSoFar() == g_counted_at_end_of_main + 3,
          "after main, only the atexit handler's window counted");
    auto* more = new std::vector<std::string>(*names);
    CheckOwned(more, "static destructor's block is the allocator's");
    delete more;
    delete names;
    ::operator delete(g_preinit_block, 1000);
    Check(AllocsCountedSoFar() == g_counted_at_end_of_main + 3,
          "allocations in a static destructor are counted nowhere");
    CheckAWindowCountsExactly("a window opened in a static destructor");
    const char* done = "static_lifetime_test: passed, after main\n";
    (void)!write(1, done, std::strlen(done));
  }

  std::vector<std::string>* names;
};

AllocatesBeforeAndAfterMain g_allocates_before_and_after_main;

void AtExit() {
  std::string* s = new std::string(300, 'c');
  CheckOwned(s, "atexit handler's block is the allocator's");
  delete s;
  Check(AllocsCountedSoFar() == g_counted_at_end_of_main,
        "allocations in an atexit handler are counted nowhere");
  CheckAWindowCountsExactly("a window opened in an atexit handler");
}

}  // namespace
}  // namespace reliability

int main() {
  using namespace reliability;  // NOLINT(build/namespaces): a test's main.
  std::printf("static_lifetime_test: allocator %s\n", AllocatorName());
  Check(g_preinit_block != nullptr, "allocation before the allocator's init");
  CheckOwned(g_preinit_block, "preinit block is the allocator's");
  Check(g_counted_at_preinit == 0, "allocations at preinit counted nowhere");
  // The global constructor's window.
  Check(AllocsCountedSoFar() == 3, "only the constructor's window counted");
  Check(std::atexit(&AtExit) == 0, "atexit");
  CheckAWindowCountsExactly("a window opened in main");
  g_counted_at_end_of_main = AllocsCountedSoFar();
  Check(g_counted_at_end_of_main == 6, "the windows of main and before");
  return 0;
}
