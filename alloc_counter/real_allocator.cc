// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// State owned by this file, and who may touch it:
//
//   g_real          the real allocator's functions; each starts at a stub
//                   that resolves them all on first call (any thread; a
//                   race stores the same values twice).
//   g_bootstrap, g_bootstrap_used
//                   a static buffer that serves the allocations `dlsym`
//                   makes while resolving; any thread bumps g_bootstrap_used
//                   with a CAS.
//   tls_resolving   the calling thread is inside `dlsym` for the resolution.
//
// Nothing here allocates through `operator new` or writes through iostreams.

#include "alloc_counter/real_allocator.h"

#if !defined(ALLOC_COUNTER_UNDER_SANITIZER)

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

namespace alloc_counter {
namespace internal {

ABSL_CONST_INIT RealAllocator g_real;
alignas(4096) ABSL_CONST_INIT unsigned char g_bootstrap[kBootstrapBytes];

namespace {

ABSL_CONST_INIT std::atomic<size_t> g_bootstrap_used{0};

ABSL_CONST_INIT thread_local bool tls_resolving
    __attribute__((tls_model("initial-exec"))) = false;

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

}  // namespace

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

namespace {

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

size_t PageSize() {
  static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return page;
}

// The function in `slot`, resolved first if it is still the stand-in
// `resolving` (unless this thread is resolving: then the stand-in, which
// answers from the bootstrap arena); null where the allocator has none.
template <typename Fn>
Fn Loaded(const std::atomic<Fn>& slot, Fn resolving) {
  Fn f = slot.load(kRelaxed);
  if (ABSL_PREDICT_FALSE(f == resolving) && !tls_resolving) {
    Resolve();
    f = slot.load(kRelaxed);
  }
  return f;
}

}  // namespace

// aligned_alloc and memalign where the allocator lacks them: glibc's
// semantics (an alignment that is not a power of two is rounded up for
// memalign, and is an error for aligned_alloc).
void* RealAlignedAlloc(size_t alignment, size_t size) {
  const AlignedFn f = Loaded(g_real.aligned_alloc, &ResolvingAlignedAlloc);
  if (f != nullptr) return f(alignment, size);
  if (!IsPowerOfTwo(alignment)) {
    errno = EINVAL;
    return nullptr;
  }
  return RealAligned(alignment < sizeof(void*) ? sizeof(void*) : alignment,
                     size);
}
void* RealMemalign(size_t alignment, size_t size) {
  const AlignedFn f = Loaded(g_real.memalign, &ResolvingMemalign);
  if (f != nullptr) return f(alignment, size);
  size_t rounded = sizeof(void*);
  while (rounded < alignment && rounded != 0) rounded <<= 1;
  if (rounded == 0) {
    errno = EINVAL;
    return nullptr;
  }
  return RealAligned(rounded, size);
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
  const UsableSizeFn f = Loaded(g_real.usable_size, &ResolvingUsableSize);
  return f != nullptr ? f(p) : 0;
}

}  // namespace internal
}  // namespace alloc_counter

#endif  // !defined(ALLOC_COUNTER_UNDER_SANITIZER)
