// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// State owned by this file, and who may touch it:
//
//   g_sites_wanted, g_stacks_wanted, g_histogram_wanted
//                    the options; set once, before benchmarks run.
//   g_table          the table of distinct stacks: mapped by the first
//                    BeginSites() (the benchmark thread, outside the window)
//                    and never unmapped; its entries, g_used and the
//                    overflow counts are read and written under g_lock only.
//   g_size_allocs, g_size_bytes
//                    the size histogram: relaxed atomic adds by any thread
//                    in RecordSite(), reset and read by the benchmark thread
//                    outside the window.
//   the kWindowSites bit of g_hook_state: set by BeginSites(), cleared by
//                    EndSites().
//
// fork() takes g_lock first (pthread_atfork) and releases it in parent and
// child, as block_sizes.cc does for its table.

#include "alloc_counter/sites.h"

#include <pthread.h>
#include <sys/mman.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "absl/base/attributes.h"
#include "absl/base/thread_annotations.h"
#include "alloc_counter/hook_section.h"
#include "alloc_counter/hook_state.h"
#include "alloc_counter/spin_lock.h"
#include "alloc_counter/thread_counters.h"
#include "alloc_counter/unwind.h"

namespace alloc_counter {
namespace internal {
namespace {

constexpr std::memory_order kRelaxed = std::memory_order_relaxed;

// Distinct stacks per memory run. A benchmark whose loop reaches more than
// kMaxStacks distinct stacks has the rest counted as overflow. Open
// addressing with linear probing over twice as many slots keeps probes short.
constexpr uint32_t kMaxStacks = 4096;
constexpr uint32_t kSlots = 2 * kMaxStacks;

struct Entry {
  uint64_t hash;
  int32_t depth;  // frames in pcs (0 if the stack could not be unwound)
  bool used;      // the slot holds a stack
  int64_t allocs;
  int64_t bytes;
  uintptr_t pcs[kMaxStackDepth];
};

struct Table {
  Entry slots[kSlots];
  uint32_t used_index[kMaxStacks];  // the slots in use, in order of first use
  uint32_t used;
  int64_t overflow_allocs;
  int64_t overflow_bytes;
};

ABSL_CONST_INIT std::atomic<int> g_sites_wanted{0};
ABSL_CONST_INIT std::atomic<bool> g_stacks_wanted{false};
ABSL_CONST_INIT std::atomic<bool> g_histogram_wanted{false};

ABSL_CONST_INIT SpinLock g_lock;
ABSL_CONST_INIT Table* g_table ABSL_GUARDED_BY(g_lock) = nullptr;

ABSL_CONST_INIT std::atomic<int64_t> g_size_allocs[kSizeBuckets] = {};
ABSL_CONST_INIT std::atomic<int64_t> g_size_bytes[kSizeBuckets] = {};

void LockForFork() ABSL_NO_THREAD_SAFETY_ANALYSIS { g_lock.Lock(); }
void UnlockAfterFork() ABSL_NO_THREAD_SAFETY_ANALYSIS { g_lock.Unlock(); }

const bool kForkHandlersRegistered =
    pthread_atfork(&LockForFork, &UnlockAfterFork, &UnlockAfterFork) == 0;

// The bucket of a requested size: the number of bits it takes.
int SizeBucket(size_t size) {
  return size == 0 ? 0 : 64 - __builtin_clzll(static_cast<uint64_t>(size));
}

// The stack being unwound: a buffer on RecordSite()'s own stack.
struct Unwound {
  uintptr_t pcs[kMaxStackDepth];
  int depth = 0;
};

uint64_t HashOf(const Unwound& unwound) {
  // FNV-1a over the addresses, then a final mix for the low bits.
  uint64_t h = 1469598103934665603ull;
  for (int i = 0; i < unwound.depth; ++i) {
    h = (h ^ unwound.pcs[i]) * 1099511628211ull;
  }
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 32;
  return h;
}

// Adds one allocation of `size` bytes by the stack `unwound` to the table.
void AddToTable(const Unwound& unwound, size_t size) {
  const uint64_t hash = HashOf(unwound);
  const auto bytes = static_cast<int64_t>(size);
  SpinLockHolder lock(&g_lock);
  Table* table = g_table;
  if (table == nullptr) return;
  for (uint32_t probe = 0; probe < kSlots; ++probe) {
    Entry& e = table->slots[(hash + probe) & (kSlots - 1)];
    if (!e.used) {
      if (table->used == kMaxStacks) break;
      e.used = true;
      e.hash = hash;
      e.depth = unwound.depth;
      std::memcpy(e.pcs, unwound.pcs,
                  static_cast<size_t>(unwound.depth) * sizeof(uintptr_t));
      table->used_index[table->used++] =
          static_cast<uint32_t>((hash + probe) & (kSlots - 1));
    } else if (e.hash != hash || e.depth != unwound.depth ||
               std::memcmp(e.pcs, unwound.pcs,
                           static_cast<size_t>(unwound.depth) *
                               sizeof(uintptr_t)) != 0) {
      continue;
    }
    ++e.allocs;
    e.bytes += bytes;
    return;
  }
  ++table->overflow_allocs;
  table->overflow_bytes += bytes;
}

}  // namespace

void SetSiteOptions(int sites, bool stacks, bool histogram) {
  g_sites_wanted.store(sites, kRelaxed);
  g_stacks_wanted.store(stacks, kRelaxed);
  g_histogram_wanted.store(histogram, kRelaxed);
}

int SitesWanted() { return g_sites_wanted.load(kRelaxed); }

bool StacksGathered() {
  return g_sites_wanted.load(kRelaxed) > 0 || g_stacks_wanted.load(kRelaxed);
}

bool HistogramWanted() { return g_histogram_wanted.load(kRelaxed); }

void BeginSites() {
  const bool sites = StacksGathered();
  if (!sites && !HistogramWanted()) return;
  for (auto& count : g_size_allocs) count.store(0, kRelaxed);
  for (auto& count : g_size_bytes) count.store(0, kRelaxed);
  // Code may have been unloaded since the last memory run.
  if (sites) ForgetUnwindRules();
  {
    SpinLockHolder lock(&g_lock);
    if (sites && g_table == nullptr) {
      // mmap, not operator new or malloc: about 8.5 MB, zeroed, mapped once
      // and kept for the life of the process (untouched pages cost no
      // memory).
      void* memory = mmap(nullptr, sizeof(Table), PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (memory == MAP_FAILED) std::abort();
      g_table = static_cast<Table*>(memory);
    }
    if (g_table != nullptr) {
      Table* table = g_table;
      for (uint32_t i = 0; i < table->used; ++i) {
        Entry& e = table->slots[table->used_index[i]];
        e.used = false;
        e.allocs = 0;
        e.bytes = 0;
      }
      table->used = 0;
      table->overflow_allocs = 0;
      table->overflow_bytes = 0;
    }
  }
  // The record path reaches RecordSite() through the recorder it is given
  // (thread_counters.h), once kWindowSites is set.
  SetSiteRecorder(&RecordSite);
  g_hook_state.fetch_or(kWindowSites, kRelaxed);
}

ABSL_ATTRIBUTE_NOINLINE ALLOC_COUNTER_HOOK_SECTION void RecordSite(
    size_t size) {
  const int bucket = SizeBucket(size);
  if (g_histogram_wanted.load(kRelaxed)) {
    g_size_allocs[bucket].fetch_add(1, kRelaxed);
    g_size_bytes[bucket].fetch_add(static_cast<int64_t>(size), kRelaxed);
  }
  if (!StacksGathered()) return;
  // Unwinding takes no lock: threads unwind in parallel. It calls no
  // operator new.
  Unwound unwound;
  unwound.depth = Backtrace(unwound.pcs, kMaxStackDepth);
  AddToTable(unwound, size);
}

RawSites EndSites() {
  RawSites raw;
  raw.sites = StacksGathered();
  raw.histogram = HistogramWanted();
  if (!raw.sites && !raw.histogram) return raw;
  g_hook_state.fetch_and(~kWindowSites, kRelaxed);
  if (raw.histogram) {
    for (int i = 0; i < kSizeBuckets; ++i) {
      raw.size_allocs[i] = g_size_allocs[i].load(kRelaxed);
      raw.size_bytes[i] = g_size_bytes[i].load(kRelaxed);
    }
  }
  if (!raw.sites) return raw;
  // Copied under the lock into memory reserved before it: nothing is
  // allocated while the lock is held.
  raw.stacks.reserve(kMaxStacks);
  std::vector<uintptr_t> pcs;
  pcs.reserve(static_cast<size_t>(kMaxStacks) * kMaxStackDepth);
  {
    SpinLockHolder lock(&g_lock);
    const Table* table = g_table;
    if (table == nullptr) return raw;
    for (uint32_t i = 0; i < table->used; ++i) {
      const Entry& e = table->slots[table->used_index[i]];
      RawSite site;  // its pcs are filled in after the lock
      site.allocs = e.allocs;
      site.bytes = e.bytes;
      raw.stacks.push_back(site);
      pcs.insert(pcs.end(), e.pcs, e.pcs + e.depth);
      pcs.push_back(static_cast<uintptr_t>(e.depth));
    }
    raw.overflow_allocs = table->overflow_allocs;
    raw.overflow_bytes = table->overflow_bytes;
  }
  // Each stack is followed by its depth in `pcs`: split from the back.
  size_t end = pcs.size();
  for (size_t i = raw.stacks.size(); i-- > 0;) {
    const auto depth = static_cast<size_t>(pcs[end - 1]);
    const size_t begin = end - 1 - depth;
    raw.stacks[i].pcs.assign(
        pcs.begin() + static_cast<std::ptrdiff_t>(begin),
        pcs.begin() + static_cast<std::ptrdiff_t>(end - 1));
    end = begin;
  }
  return raw;
}

}  // namespace internal
}  // namespace alloc_counter
