// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The replaced C allocator of `//alloc_counter:malloc`: `malloc`, `calloc`,
// `realloc`, `reallocarray`, `free`, `posix_memalign`, `aligned_alloc`,
// `memalign`, `valloc`, `pvalloc` and `malloc_usable_size`, defined in the
// executable, so that they come first in symbol resolution: the program's
// own calls, and those of every shared library (glibc's `strdup`,
// `asprintf`, `qsort`, ... call `malloc` through the PLT), arrive here.
// Each forwards to the real allocator and, while something is counted,
// records what it did with the calls operator new uses (thread_counters.h).
//
// The real allocator is the next definition in load order after the
// executable, found with `dlsym(RTLD_NEXT, ...)`: jemalloc, tcmalloc or
// mimalloc when linked (they come before libc), heaptrack's when preloaded,
// glibc's otherwise. A function that library lacks (jemalloc has no
// `pvalloc`; heaptrack has no `memalign`) would come from another library,
// whose heap `free` does not know: those are built on the real
// `posix_memalign` instead.
//
// Shared state owned by this file, and who may touch it:
//
//   g_real          the real allocator's functions; each starts at a stub
//                   that resolves them all on first call (any thread; a
//                   race stores the same values twice).
//   g_bootstrap, g_bootstrap_used
//                   a static buffer that serves the allocations `dlsym`
//                   makes while resolving; any thread bumps g_bootstrap_used
//                   with a CAS. Its blocks are never given to the real
//                   allocator: `free` ignores them.
//   tls_resolving   the calling thread is inside `dlsym` for the resolution.
//
// Cost when nothing is counted: the relaxed load of the hook state with one
// branch predicted not taken, the load of the real function's pointer and an
// indirect tail call; `free` and `realloc` also test whether the block is a
// bootstrap block (a subtraction and a compare). Instruction budget
// (x86-64, g++ -O2): 4 for `malloc`, 8 for `free`, where the PLT jump they
// replace was 1 each; callgrind measures 13 more per malloc + free pair
// (docs/performance.md).
//
// What is counted is stated in the README ("Counting the C allocator"):
// each successful call that returns new memory counts one allocation of the
// bytes requested; `realloc` counts the free of the old block then the
// allocation of the new one, in place or not, as heaptrack does. While only
// the timed loops count (--alloc_counter_mode=timed), C calls are not
// counted: operator new's own `malloc` cannot be told apart from the
// program's on that path.
//
// Under AddressSanitizer or ThreadSanitizer this file defines nothing but a
// one-line notice at start-up: the sanitizer's runtime owns malloc, and
// intercepts strdup and friends without calling it, so counts would be
// partial. C calls are then not counted (operator new still is).
//
// Nothing here allocates through `operator new` or writes through iostreams.

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define ALLOC_COUNTER_UNDER_SANITIZER 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define ALLOC_COUNTER_UNDER_SANITIZER 1
#endif

#if defined(ALLOC_COUNTER_UNDER_SANITIZER)

#include <unistd.h>

namespace {

const bool kNoticePrinted = [] {
  const char notice[] =
      "alloc_counter: //alloc_counter:malloc does nothing under a sanitizer: "
      "malloc, calloc, realloc, free and friends are not counted\n";
  return write(STDERR_FILENO, notice, sizeof(notice) - 1) >= 0;
}();

}  // namespace

#else  // !defined(ALLOC_COUNTER_UNDER_SANITIZER)

#include <dlfcn.h>
#include <malloc.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "absl/base/attributes.h"
#include "absl/base/optimization.h"
#include "alloc_counter/backend_guard.h"
#include "alloc_counter/block_sizes.h"
#include "alloc_counter/hook_section.h"
#include "alloc_counter/hook_state.h"
#include "alloc_counter/thread_counters.h"

namespace {

using alloc_counter::internal::EnterBackend;
using alloc_counter::internal::HookState;
using alloc_counter::internal::LeaveBackend;
using alloc_counter::internal::OnlyTimedLoops;
using alloc_counter::internal::tls_in_backend;

constexpr std::memory_order kRelaxed = std::memory_order_relaxed;

// noexcept, as the C functions are: a call of a function that may throw
// from our noexcept entry points would need a landing pad, and could not be
// a tail call.
using MallocFn = void* (*)(size_t) noexcept;
using CallocFn = void* (*)(size_t, size_t) noexcept;
using ReallocFn = void* (*)(void*, size_t) noexcept;
using FreeFn = void (*)(void*) noexcept;
using PosixMemalignFn = int (*)(void**, size_t, size_t) noexcept;
using AlignedFn = void* (*)(size_t, size_t) noexcept;
using UsableSizeFn = size_t (*)(void*) noexcept;

void* ResolvingMalloc(size_t size) noexcept;
void* ResolvingCalloc(size_t count, size_t size) noexcept;
void* ResolvingRealloc(void* p, size_t size) noexcept;
void ResolvingFree(void* p) noexcept;
int ResolvingPosixMemalign(void** out, size_t alignment, size_t size) noexcept;
void* ResolvingAlignedAlloc(size_t alignment, size_t size) noexcept;
void* ResolvingMemalign(size_t alignment, size_t size) noexcept;
size_t ResolvingUsableSize(void* p) noexcept;

// The real allocator. `aligned_alloc` and `memalign` are null when the next
// library does not define them beside its `malloc`.
struct RealAllocator {
  std::atomic<MallocFn> malloc{&ResolvingMalloc};
  std::atomic<CallocFn> calloc{&ResolvingCalloc};
  std::atomic<ReallocFn> realloc{&ResolvingRealloc};
  std::atomic<FreeFn> free{&ResolvingFree};
  std::atomic<PosixMemalignFn> posix_memalign{&ResolvingPosixMemalign};
  std::atomic<AlignedFn> aligned_alloc{&ResolvingAlignedAlloc};
  std::atomic<AlignedFn> memalign{&ResolvingMemalign};
  std::atomic<UsableSizeFn> usable_size{&ResolvingUsableSize};
};
ABSL_CONST_INIT RealAllocator g_real;

ABSL_CONST_INIT thread_local bool tls_resolving
    __attribute__((tls_model("initial-exec"))) = false;

// --- The bootstrap buffer ----------------------------------------------------

// glibc's dlsym allocates a few dozen bytes (its error state); 64 KiB leaves
// room for a preloaded library's start-up too.
constexpr size_t kBootstrapBytes = 64 * 1024;
constexpr size_t kBootstrapHeader = 16;  // the block's size, keeping 16 bytes
                                         // of alignment
alignas(4096) ABSL_CONST_INIT unsigned char g_bootstrap[kBootstrapBytes];
ABSL_CONST_INIT std::atomic<size_t> g_bootstrap_used{0};

inline bool InBootstrap(const void* p) {
  return reinterpret_cast<uintptr_t>(p) -
             reinterpret_cast<uintptr_t>(&g_bootstrap[0]) <
         kBootstrapBytes;
}

// A zeroed block of `size` bytes aligned to `alignment` (a power of two, at
// least 16) from the bootstrap buffer, or null when it is full.
void* BootstrapAllocate(size_t size, size_t alignment) {
  const auto base = reinterpret_cast<uintptr_t>(&g_bootstrap[0]);
  size_t used = g_bootstrap_used.load(kRelaxed);
  for (;;) {
    const uintptr_t start =
        (base + used + kBootstrapHeader + alignment - 1) & ~(alignment - 1);
    const size_t end = start + size - base;
    if (size > kBootstrapBytes || end > kBootstrapBytes) {
      errno = ENOMEM;
      return nullptr;
    }
    if (g_bootstrap_used.compare_exchange_weak(used, end, kRelaxed)) {
      auto* block = reinterpret_cast<unsigned char*>(start);
      std::memcpy(block - sizeof(size_t), &size, sizeof(size_t));
      return block;  // never used before: still zero
    }
  }
}

size_t BootstrapSize(const void* p) {
  size_t size;
  std::memcpy(&size, static_cast<const unsigned char*>(p) - sizeof(size_t),
              sizeof(size_t));
  return size;
}

// --- Finding the real allocator ----------------------------------------------

[[noreturn]] void Die(const char* message) {
  const char prefix[] = "alloc_counter (//alloc_counter:malloc): ";
  ssize_t ignored = write(STDERR_FILENO, prefix, sizeof(prefix) - 1);
  ignored = write(STDERR_FILENO, message, std::strlen(message));
  ignored = write(STDERR_FILENO, "\n", 1);
  static_cast<void>(ignored);
  std::abort();
}

// The object (executable or shared library) that defines `f`, or null.
const void* ObjectOf(void* f) {
  Dl_info info;
  if (f == nullptr || dladdr(f, &info) == 0) return nullptr;
  return info.dli_fbase;
}

void* Next(const char* name, void* own, bool required) {
  void* f = dlsym(RTLD_NEXT, name);
  if (f == own) f = nullptr;  // this file linked twice: never call ourselves
  if (f == nullptr && required) {
    Die("no C allocator after the executable defines malloc, free, calloc, "
        "realloc and posix_memalign (is alloc_counter linked into a shared "
        "library loaded after it?)");
  }
  return f;
}

template <typename Fn>
Fn As(void* f) {
  return reinterpret_cast<Fn>(f);
}

// Looks up the real allocator and stores it in g_real. Allocations that
// dlsym makes meanwhile come from the bootstrap buffer.
void Resolve() {
  tls_resolving = true;
  void* malloc_fn = Next("malloc", reinterpret_cast<void*>(&malloc), true);
  void* calloc_fn = Next("calloc", reinterpret_cast<void*>(&calloc), true);
  void* realloc_fn = Next("realloc", reinterpret_cast<void*>(&realloc), true);
  void* free_fn = Next("free", reinterpret_cast<void*>(&free), true);
  void* posix_memalign_fn =
      Next("posix_memalign", reinterpret_cast<void*>(&posix_memalign), true);
  void* aligned_alloc_fn =
      Next("aligned_alloc", reinterpret_cast<void*>(&aligned_alloc), false);
  void* memalign_fn =
      Next("memalign", reinterpret_cast<void*>(&memalign), false);
  void* usable_size_fn =
      Next("malloc_usable_size", reinterpret_cast<void*>(&malloc_usable_size),
           false);
  // Only from the library that allocates: another library's (glibc's under
  // jemalloc) hands out blocks that this free would not know. (Any
  // malloc_usable_size will do: heaptrack's malloc has none, and the next
  // one sizes the blocks of the allocator under heaptrack.)
  const void* allocator = ObjectOf(malloc_fn);
  if (ObjectOf(aligned_alloc_fn) != allocator) aligned_alloc_fn = nullptr;
  if (ObjectOf(memalign_fn) != allocator) memalign_fn = nullptr;
  tls_resolving = false;

  g_real.calloc.store(As<CallocFn>(calloc_fn), kRelaxed);
  g_real.realloc.store(As<ReallocFn>(realloc_fn), kRelaxed);
  g_real.free.store(As<FreeFn>(free_fn), kRelaxed);
  g_real.posix_memalign.store(As<PosixMemalignFn>(posix_memalign_fn), kRelaxed);
  g_real.aligned_alloc.store(As<AlignedFn>(aligned_alloc_fn), kRelaxed);
  g_real.memalign.store(As<AlignedFn>(memalign_fn), kRelaxed);
  g_real.usable_size.store(As<UsableSizeFn>(usable_size_fn), kRelaxed);
  g_real.malloc.store(As<MallocFn>(malloc_fn), kRelaxed);
}

// The stubs g_real starts with: the first call resolves. A call made by
// dlsym during the resolution is served from the bootstrap buffer.
void* ResolvingMalloc(size_t size) noexcept {
  if (tls_resolving) return BootstrapAllocate(size, 16);
  Resolve();
  return g_real.malloc.load(kRelaxed)(size);
}
void* ResolvingCalloc(size_t count, size_t size) noexcept {
  if (tls_resolving) {
    size_t bytes;
    if (__builtin_mul_overflow(count, size, &bytes)) return nullptr;
    return BootstrapAllocate(bytes, 16);
  }
  Resolve();
  return g_real.calloc.load(kRelaxed)(count, size);
}
void ResolvingFree(void* p) noexcept {
  if (tls_resolving) return;  // only bootstrap blocks exist yet
  Resolve();
  g_real.free.load(kRelaxed)(p);
}
int ResolvingPosixMemalign(void** out, size_t alignment, size_t size) noexcept {
  if (tls_resolving) {
    *out = BootstrapAllocate(size, alignment < 16 ? 16 : alignment);
    return *out != nullptr ? 0 : ENOMEM;
  }
  Resolve();
  return g_real.posix_memalign.load(kRelaxed)(out, alignment, size);
}
void* ResolvingAlignedAlloc(size_t alignment, size_t size) noexcept {
  if (tls_resolving) {
    return BootstrapAllocate(size, alignment < 16 ? 16 : alignment);
  }
  Resolve();
  return nullptr;  // the caller retries with what Resolve() found
}
void* ResolvingMemalign(size_t alignment, size_t size) noexcept {
  return ResolvingAlignedAlloc(alignment, size);
}
size_t ResolvingUsableSize(void*) noexcept {
  // Only bootstrap blocks, which malloc_usable_size() sizes itself, exist
  // before the resolution.
  if (!tls_resolving) Resolve();
  return 0;
}

// --- The real calls --------------------------------------------------------

inline void* RealMalloc(size_t size) {
  return g_real.malloc.load(kRelaxed)(size);
}
inline void RealFree(void* p) { g_real.free.load(kRelaxed)(p); }
inline void* RealRealloc(void* p, size_t size) {
  return g_real.realloc.load(kRelaxed)(p, size);
}

// posix_memalign's contract, returning the block or null (errno set).
void* RealAligned(size_t alignment, size_t size) {
  void* p = nullptr;
  const int error = g_real.posix_memalign.load(kRelaxed)(&p, alignment, size);
  if (error != 0) {
    errno = error;
    return nullptr;
  }
  return p;
}

bool IsPowerOfTwo(size_t n) { return n != 0 && (n & (n - 1)) == 0; }

// aligned_alloc and memalign where the allocator lacks them: glibc's
// semantics (an alignment that is not a power of two is rounded up for
// memalign, and is an error for aligned_alloc).
void* RealAlignedAlloc(size_t alignment, size_t size) {
  AlignedFn f = g_real.aligned_alloc.load(kRelaxed);
  if (ABSL_PREDICT_FALSE(f == &ResolvingAlignedAlloc)) {
    if (tls_resolving) return ResolvingAlignedAlloc(alignment, size);
    Resolve();
    f = g_real.aligned_alloc.load(kRelaxed);
  }
  if (f != nullptr) return f(alignment, size);
  if (!IsPowerOfTwo(alignment)) {
    errno = EINVAL;
    return nullptr;
  }
  return RealAligned(alignment < sizeof(void*) ? sizeof(void*) : alignment,
                     size);
}
void* RealMemalign(size_t alignment, size_t size) {
  AlignedFn f = g_real.memalign.load(kRelaxed);
  if (ABSL_PREDICT_FALSE(f == &ResolvingMemalign)) {
    if (tls_resolving) return ResolvingMemalign(alignment, size);
    Resolve();
    f = g_real.memalign.load(kRelaxed);
  }
  if (f != nullptr) return f(alignment, size);
  size_t rounded = sizeof(void*);
  while (rounded < alignment && rounded != 0) rounded <<= 1;
  if (rounded == 0) {
    errno = EINVAL;
    return nullptr;
  }
  return RealAligned(rounded, size);
}

size_t PageSize() {
  static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return page;
}

// valloc and pvalloc, on every allocator: page-aligned blocks from
// posix_memalign (pvalloc's size rounded up to whole pages, at least one).
void* RealValloc(size_t size) { return RealAligned(PageSize(), size); }
void* RealPvalloc(size_t size) {
  const size_t page = PageSize();
  size_t rounded;
  if (__builtin_add_overflow(size, page - 1, &rounded)) {
    errno = ENOMEM;
    return nullptr;
  }
  rounded &= ~(page - 1);
  return RealAligned(page, rounded == 0 ? page : rounded);
}

size_t RealUsableSize(void* p) {
  UsableSizeFn f = g_real.usable_size.load(kRelaxed);
  if (ABSL_PREDICT_FALSE(f == &ResolvingUsableSize)) {
    ResolvingUsableSize(p);
    f = g_real.usable_size.load(kRelaxed);
  }
  return f != nullptr ? f(p) : 0;
}

// --- Counting ----------------------------------------------------------------

// True when a C call must be counted: something other than the timed loops
// is counted. (Under the timed loops alone, operator new's own malloc would
// be counted twice.)
inline bool Counting() {
  const uint64_t state = HookState();
  return ABSL_PREDICT_FALSE(state != 0) && !OnlyTimedLoops(state);
}

// Records the allocation of `size` bytes at `p` (null: none) that
// CountAllocation() made inside the backend, and leaves it.
ABSL_ATTRIBUTE_NOINLINE ALLOC_COUNTER_HOOK_SECTION void* RecordCounted(
    void* p, size_t size) {
  if (p != nullptr) alloc_counter::internal::RecordAllocation(p, size);
  LeaveBackend(false);
  return p;
}

// Calls `allocate` (which returns the new block or null) and records an
// allocation of `size` bytes if it succeeds, unless the calling thread is
// already inside the C allocator for a counted call (operator new's own
// malloc, or what heaptrack allocates inside malloc). What the record path
// allocates is not counted either. Always inlined into the C entry point, in
// the hook section: GCC leaves a template's instantiations out of the
// section its attribute names, so the counting path of a template may not
// be a function of its own.
template <typename Allocate>
ABSL_ATTRIBUTE_ALWAYS_INLINE inline void* CountAllocation(size_t size,
                                                          Allocate allocate) {
  if (!Counting() || tls_in_backend) return allocate();
  EnterBackend();
  return RecordCounted(allocate(), size);
}

ABSL_ATTRIBUTE_NOINLINE ALLOC_COUNTER_HOOK_SECTION void FreeCounted(void* p) {
  if (p == nullptr || tls_in_backend) {
    RealFree(p);
    return;
  }
  EnterBackend();
  alloc_counter::internal::RecordDeallocation(
      p, alloc_counter::internal::kUnknownSize);
  RealFree(p);
  LeaveBackend(false);
}

// realloc of a live, non-bootstrap block `p`, while counting: the free of the
// old block, then the allocation of `size` bytes, whether the block moved or
// not (heaptrack counts the same). A failed realloc counts nothing; a
// realloc(p, 0) that frees and returns null counts the free only.
ABSL_ATTRIBUTE_NOINLINE ALLOC_COUNTER_HOOK_SECTION void* ReallocCounted(
    void* p, size_t size) {
  using alloc_counter::internal::ForgetBlockSize;
  using alloc_counter::internal::kNoBlockSize;
  using alloc_counter::internal::RecordAllocation;
  using alloc_counter::internal::RecordDeallocation;
  using alloc_counter::internal::RememberBlockSize;
  if (tls_in_backend) return RealRealloc(p, size);
  EnterBackend();
  // The old block's requested size, as operator delete would find it (the
  // size table, else the allocator's size for the block), read while the
  // block is still ours.
  const size_t recorded = ForgetBlockSize(p);
  const size_t old_size =
      recorded != kNoBlockSize ? recorded : RealUsableSize(p);
  void* q = RealRealloc(p, size);
  if (q == nullptr && size != 0) {
    // Failed: the old block stays as it was.
    if (recorded != kNoBlockSize) RememberBlockSize(p, recorded);
  } else {
    // After a move, `p` may already be another thread's new block, with its
    // own entry in the size table: the free is recorded under the key of the
    // new block, which has none yet (the pointer is only that key here).
    void* key = q != nullptr ? q : p;
    RecordDeallocation(key, old_size);
    if (q != nullptr) RecordAllocation(q, size);
  }
  LeaveBackend(false);
  return q;
}

void* ResolvingRealloc(void* p, size_t size) noexcept {
  if (tls_resolving) {
    // Only bootstrap blocks exist yet: move to a bigger one.
    void* q = BootstrapAllocate(size, 16);
    if (q != nullptr && p != nullptr) {
      const size_t old_size = BootstrapSize(p);
      std::memcpy(q, p, old_size < size ? old_size : size);
    }
    return q;
  }
  Resolve();
  return g_real.realloc.load(kRelaxed)(p, size);
}

// realloc of a bootstrap block: a new block from the real allocator (counted
// as a malloc), with the old contents; bootstrap blocks are never freed.
ALLOC_COUNTER_HOOK_SECTION void* ReallocBootstrap(void* p, size_t size) {
  void* q = CountAllocation(size, [size] { return RealMalloc(size); });
  if (q != nullptr) {
    const size_t old_size = BootstrapSize(p);
    std::memcpy(q, p, old_size < size ? old_size : size);
  }
  return q;
}

}  // namespace

// --- The C entry points ----------------------------------------------------

extern "C" {

ALLOC_COUNTER_HOOK_SECTION void* malloc(size_t size) noexcept {
  return CountAllocation(size, [size] { return RealMalloc(size); });
}

ALLOC_COUNTER_HOOK_SECTION void* calloc(size_t count, size_t size) noexcept {
  size_t bytes;
  if (__builtin_mul_overflow(count, size, &bytes)) {
    errno = ENOMEM;
    return nullptr;
  }
  return CountAllocation(bytes, [count, size] {
    return g_real.calloc.load(kRelaxed)(count, size);
  });
}

ALLOC_COUNTER_HOOK_SECTION void free(void* p) noexcept {
  if (ABSL_PREDICT_FALSE(InBootstrap(p))) return;
  if (Counting()) {
    FreeCounted(p);
    return;
  }
  RealFree(p);
}

ALLOC_COUNTER_HOOK_SECTION void* realloc(void* p, size_t size) noexcept {
  if (ABSL_PREDICT_FALSE(InBootstrap(p))) return ReallocBootstrap(p, size);
  if (p == nullptr) return malloc(size);
  if (Counting()) return ReallocCounted(p, size);
  return RealRealloc(p, size);
}

ALLOC_COUNTER_HOOK_SECTION void* reallocarray(void* p, size_t count,
                                              size_t size) noexcept {
  size_t bytes;
  if (__builtin_mul_overflow(count, size, &bytes)) {
    errno = ENOMEM;
    return nullptr;
  }
  return realloc(p, bytes);
}

ALLOC_COUNTER_HOOK_SECTION int posix_memalign(void** out, size_t alignment,
                                              size_t size) noexcept {
  void* p = nullptr;
  int error = 0;
  CountAllocation(size, [&] {
    error = g_real.posix_memalign.load(kRelaxed)(&p, alignment, size);
    return error == 0 ? p : nullptr;
  });
  if (error == 0) *out = p;
  return error;
}

ALLOC_COUNTER_HOOK_SECTION void* aligned_alloc(size_t alignment,
                                               size_t size) noexcept {
  return CountAllocation(
      size, [alignment, size] { return RealAlignedAlloc(alignment, size); });
}

ALLOC_COUNTER_HOOK_SECTION void* memalign(size_t alignment,
                                          size_t size) noexcept {
  return CountAllocation(
      size, [alignment, size] { return RealMemalign(alignment, size); });
}

ALLOC_COUNTER_HOOK_SECTION void* valloc(size_t size) noexcept {
  return CountAllocation(size, [size] { return RealValloc(size); });
}

ALLOC_COUNTER_HOOK_SECTION void* pvalloc(size_t size) noexcept {
  return CountAllocation(size, [size] { return RealPvalloc(size); });
}

ALLOC_COUNTER_HOOK_SECTION size_t malloc_usable_size(void* p) noexcept {
  if (ABSL_PREDICT_FALSE(InBootstrap(p))) return BootstrapSize(p);
  return RealUsableSize(p);
}

}  // extern "C"

#endif  // defined(ALLOC_COUNTER_UNDER_SANITIZER)
