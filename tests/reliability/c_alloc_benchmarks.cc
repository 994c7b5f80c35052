// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// One benchmark per C allocation function that //alloc_counter:malloc
// replaces, and per glibc function that allocates through them, with a
// mixed operator new + malloc loop for heaptrack. c_alloc_test.py reads the
// columns this binary prints, linked with //alloc_counter:main and
// //alloc_counter:malloc over each allocator, and linked without
// :malloc (where only operator new counts).
//
// Every benchmark runs a fixed number of iterations, ALLOC_COUNTER_ITERATIONS
// from the environment (default 100), so that two runs under heaptrack differ
// only in how often the loop body ran.

#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "absl/base/attributes.h"
#include "benchmark/benchmark.h"
#include "tests/util/allocate.h"
#include "tests/util/fixed_iterations.h"

namespace {

using test_util::Escape;

// Calls through volatile pointers: the compiler may not pair, elide or
// change what the loop body allocates.
void* (*volatile g_malloc)(size_t) = &malloc;
void* (*volatile g_calloc)(size_t, size_t) = &calloc;
void* (*volatile g_realloc)(void*, size_t) = &realloc;
void* (*volatile g_reallocarray)(void*, size_t, size_t) = &reallocarray;
void (*volatile g_free)(void*) = &free;
int (*volatile g_posix_memalign)(void**, size_t, size_t) = &posix_memalign;
void* (*volatile g_aligned_alloc)(size_t, size_t) = &aligned_alloc;
void* (*volatile g_memalign)(size_t, size_t) = &memalign;
void* (*volatile g_valloc)(size_t) = &valloc;
void* (*volatile g_pvalloc)(size_t) = &pvalloc;

#define C_ALLOC_BENCHMARK(name) \
  BENCHMARK(name)->Iterations(test_util::IterationsOr(100))

void BM_Malloc(benchmark::State& state) {
  for (auto _ : state) {
    void* p = g_malloc(100);
    Escape(p);
    g_free(p);
  }
}
C_ALLOC_BENCHMARK(BM_Malloc);

void BM_MallocZero(benchmark::State& state) {
  for (auto _ : state) {
    void* p = g_malloc(0);  // a unique pointer on all four allocators
    Escape(p);
    g_free(p);
  }
}
C_ALLOC_BENCHMARK(BM_MallocZero);

void BM_Calloc(benchmark::State& state) {
  for (auto _ : state) {
    void* p = g_calloc(10, 12);
    Escape(p);
    g_free(p);
  }
}
C_ALLOC_BENCHMARK(BM_Calloc);

// malloc(16) then realloc to 4096: moves on every allocator.
void BM_ReallocGrow(benchmark::State& state) {
  for (auto _ : state) {
    void* p = g_malloc(16);
    p = g_realloc(p, 4096);
    Escape(p);
    g_free(p);
  }
}
C_ALLOC_BENCHMARK(BM_ReallocGrow);

// Shrinking may stay in place or move, by allocator: counted the same.
void BM_ReallocShrink(benchmark::State& state) {
  for (auto _ : state) {
    void* p = g_malloc(4096);
    p = g_realloc(p, 16);
    Escape(p);
    g_free(p);
  }
}
C_ALLOC_BENCHMARK(BM_ReallocShrink);

// Growing by a byte within the block's size class: in place.
void BM_ReallocInPlace(benchmark::State& state) {
  for (auto _ : state) {
    void* p = g_malloc(100);
    void* q = g_realloc(p, 101);
    Escape(q);
    g_free(q);
  }
}
C_ALLOC_BENCHMARK(BM_ReallocInPlace);

void BM_ReallocNull(benchmark::State& state) {
  for (auto _ : state) {
    void* p = g_realloc(nullptr, 64);
    Escape(p);
    g_free(p);
  }
}
C_ALLOC_BENCHMARK(BM_ReallocNull);

// realloc(p, 0) frees p and returns null on glibc, jemalloc and tcmalloc;
// mimalloc returns a new minimal block.
void BM_ReallocZero(benchmark::State& state) {
  for (auto _ : state) {
    void* p = g_malloc(64);
    void* q = g_realloc(p, 0);
    Escape(q);
    g_free(q);
  }
}
C_ALLOC_BENCHMARK(BM_ReallocZero);

void BM_Reallocarray(benchmark::State& state) {
  for (auto _ : state) {
    void* p = g_reallocarray(nullptr, 10, 8);
    p = g_reallocarray(p, 20, 8);
    Escape(p);
    g_free(p);
  }
}
C_ALLOC_BENCHMARK(BM_Reallocarray);

// An overflowing size: fails, counts nothing.
void BM_ReallocarrayOverflow(benchmark::State& state) {
  for (auto _ : state) {
    void* p = g_reallocarray(nullptr, SIZE_MAX / 2, 3);
    Escape(p);
  }
}
C_ALLOC_BENCHMARK(BM_ReallocarrayOverflow);

void BM_FreeNull(benchmark::State& state) {
  for (auto _ : state) g_free(nullptr);
}
C_ALLOC_BENCHMARK(BM_FreeNull);

void BM_PosixMemalign(benchmark::State& state) {
  for (auto _ : state) {
    void* p = nullptr;
    if (g_posix_memalign(&p, 64, 100) != 0) std::abort();
    Escape(p);
    g_free(p);
  }
}
C_ALLOC_BENCHMARK(BM_PosixMemalign);

void BM_AlignedAlloc(benchmark::State& state) {
  for (auto _ : state) {
    void* p = g_aligned_alloc(64, 128);
    Escape(p);
    g_free(p);
  }
}
C_ALLOC_BENCHMARK(BM_AlignedAlloc);

void BM_Memalign(benchmark::State& state) {
  for (auto _ : state) {
    void* p = g_memalign(64, 100);
    Escape(p);
    g_free(p);
  }
}
C_ALLOC_BENCHMARK(BM_Memalign);

void BM_Valloc(benchmark::State& state) {
  for (auto _ : state) {
    void* p = g_valloc(100);
    Escape(p);
    g_free(p);
  }
}
C_ALLOC_BENCHMARK(BM_Valloc);

void BM_Pvalloc(benchmark::State& state) {
  for (auto _ : state) {
    void* p = g_pvalloc(100);
    Escape(p);
    g_free(p);
  }
}
C_ALLOC_BENCHMARK(BM_Pvalloc);

// A failed malloc counts nothing.
void BM_MallocFails(benchmark::State& state) {
  for (auto _ : state) Escape(g_malloc(SIZE_MAX - 4096));
}
C_ALLOC_BENCHMARK(BM_MallocFails);

// glibc's own allocating functions call malloc through the PLT.
const char* volatile g_text = "hello, world";  // 12 characters and a NUL

void BM_Strdup(benchmark::State& state) {
  for (auto _ : state) {
    char* s = strdup(g_text);
    Escape(s);
    free(s);
  }
}
C_ALLOC_BENCHMARK(BM_Strdup);

void BM_Strndup(benchmark::State& state) {
  for (auto _ : state) {
    char* s = strndup(g_text, 5);
    Escape(s);
    free(s);
  }
}
C_ALLOC_BENCHMARK(BM_Strndup);

// A strdup in a function of the program's own: with --alloc_counter_sites,
// the site is CopyGreeting, not alloc_counter's malloc nor glibc's strdup
// (c_alloc_test.py).
// (Its strdup is not its last act, so that it is not a tail call, which
// would leave no frame of it.)
ABSL_ATTRIBUTE_NOINLINE char* CopyGreeting() {
  char* s = strdup(g_text);
  Escape(s);
  return s;
}

void BM_StrdupInAFunction(benchmark::State& state) {
  for (auto _ : state) {
    char* s = CopyGreeting();
    Escape(s);
    free(s);
  }
}
C_ALLOC_BENCHMARK(BM_StrdupInAFunction);

// glibc 2.36's vasprintf writes into a malloc(100) buffer, then copies the
// result into a malloc of its exact size and frees the buffer.
void BM_Asprintf(benchmark::State& state) {
  for (auto _ : state) {
    char* s = nullptr;
    if (asprintf(&s, "%d-%s", 42, g_text) < 0) std::abort();
    Escape(s);
    free(s);
  }
}
C_ALLOC_BENCHMARK(BM_Asprintf);

// One operator new counts once, not again for the malloc under it; the
// malloc and the strdup count once each.
void BM_NewAndMalloc(benchmark::State& state) {
  for (auto _ : state) {
    int* a = new int[10];
    void* p = g_malloc(50);
    char* s = strdup(g_text);
    Escape(a);
    Escape(p);
    Escape(s);
    free(s);
    g_free(p);
    delete[] a;
  }
}
C_ALLOC_BENCHMARK(BM_NewAndMalloc);

// The C library calls of the demo benchmarks/c_api_benchmark.cc, with fixed
// iterations: a second opinion on its rows.

int CompareInts(const void* a, const void* b) {
  const int x = *static_cast<const int*>(a);
  const int y = *static_cast<const int*>(b);
  return (x > y) - (x < y);
}

// glibc's qsort copies 1000 ints (4000 bytes, over its 1 KiB stack buffer)
// into a malloc'd block: (1, 4000, 4000).
void BM_Qsort1000(benchmark::State& state) {
  constexpr size_t kCount = 1000;
  std::vector<int> values(kCount);
  for (auto _ : state) {
    state.PauseTiming();
    for (size_t i = 0; i < kCount; ++i) {
      values[i] = static_cast<int>((i * 7919) % kCount);
    }
    state.ResumeTiming();
    qsort(values.data(), kCount, sizeof(int), &CompareInts);
    Escape(values.data());
  }
}
C_ALLOC_BENCHMARK(BM_Qsort1000);

// zlib's compress() allocates its deflate state, window, hash chains and
// pending buffer: (5, 268096, 268096).
void BM_ZlibCompress4096(benchmark::State& state) {
  const std::string input(4096, 'x');
  std::vector<Bytef> output(compressBound(static_cast<uLong>(input.size())));
  for (auto _ : state) {
    uLongf size = static_cast<uLongf>(output.size());
    if (compress(output.data(), &size,
                 reinterpret_cast<const Bytef*>(input.data()),
                 static_cast<uLong>(input.size())) != Z_OK) {
      std::abort();
    }
    Escape(output.data());
  }
}
C_ALLOC_BENCHMARK(BM_ZlibCompress4096);

}  // namespace
