// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Shared state owned by this file, and who may touch it:
//
//   g_hook_state     bits and counts of the active consumers (hook_state.h);
//                    read by every hook, changed with atomic
//                    read-modify-writes by the consumers.
//   g_site_recorder  the function that records an allocation's site; set by
//                    sites.cc before it sets kWindowSites, read (relaxed) by
//                    the record path while that bit is set.
//   g_slots          lock-free list of every slot ever made; pushed by
//                    AcquireSlot() (CAS), walked by anyone; never shrinks.
//   ThreadSlot::in_use
//                    claimed by AcquireSlot() (CAS), released by the
//                    thread-exit destructor of its owner.
//   other ThreadSlot fields
//                    written only by the slot's owner, read by anyone
//                    (relaxed loads).
//   ThreadSlot::timed
//                    the owner's tls_timed_counts while it is linked: set
//                    by AcquireSlot() and cleared by ReleaseSlot() on the
//                    owner's thread, read by AllThreadsTotals(), all under
//                    g_timed_link_mu.
//   g_live, g_peak   process-wide live bytes and their maximum, updated by
//                    every thread while process live bytes are kept.
//   tls_slot, tls_in_record, tls_timed_counts
//                    the calling thread's slot, its recursion guard, and its
//                    timed counts (written by the thread only, read by others
//                    through ThreadSlot::timed).

#include "alloc_counter/thread_counters.h"

#include <malloc.h>
#include <pthread.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

#include "absl/base/attributes.h"
#include "absl/base/optimization.h"
#include "absl/base/thread_annotations.h"
#include "alloc_counter/block_sizes.h"
#include "alloc_counter/hook_section.h"
#include "alloc_counter/hook_state.h"
#include "alloc_counter/spin_lock.h"

namespace alloc_counter {
namespace internal {
namespace {

constexpr std::memory_order kRelaxed = std::memory_order_relaxed;

// What the record functions do in a given g_hook_state.
struct Mode {
  bool count = false;         // count allocations and frees per thread
  bool thread_live = false;   // keep per-thread live bytes
  bool process_live = false;  // keep process-wide live bytes
  bool sites = false;         // call the site recorder (SetSiteRecorder)

  explicit Mode(uint64_t state) {
    const bool in_window =
        (state & kWindowArmed) != 0 && (state & kWindowInLoop) != 0;
    // The window sets kWindowPaused only while it leaves paused regions out
    // (window.cc).
    const bool window_counts = in_window && (state & kWindowPaused) == 0;
    const bool timed = (state & kTimedLoopsMask) != 0;
    const bool thread_scopes =
        ((state >> kThreadScopesShift) & kCountMask) != 0;
    const bool process_scopes =
        ((state >> kProcessScopesShift) & kCountMask) != 0;
    count = window_counts || timed || thread_scopes || process_scopes;
    thread_live = thread_scopes;
    process_live = in_window || process_scopes;
    sites = window_counts && (state & kWindowSites) != 0;
  }

  bool keeps_sizes() const { return thread_live || process_live; }
};
struct alignas(64) ThreadSlot {
  // Monotonic totals.
  std::atomic<int64_t> allocs;
  std::atomic<int64_t> alloc_bytes;
  std::atomic<int64_t> frees;
  std::atomic<int64_t> freed_bytes;
  // Live bytes of this thread while thread scopes exist, and their maximum
  // since the innermost scope of the owner began.
  std::atomic<int64_t> live;
  std::atomic<int64_t> peak;

  // The owner's timed counts, while linked (g_timed_link_mu).
  TimedCounts* timed;

  std::atomic<bool> in_use;
  ThreadSlot* next;
};

// Guards ThreadSlot::timed and what it points to against the owner's exit
// while another thread reads it. Never taken on the allocation path.
ABSL_CONST_INIT SpinLock g_timed_link_mu;

// A child of fork() inherits g_timed_link_mu unlocked and consistent.
void LockForFork() ABSL_NO_THREAD_SAFETY_ANALYSIS { g_timed_link_mu.Lock(); }
void UnlockAfterFork() ABSL_NO_THREAD_SAFETY_ANALYSIS {
  g_timed_link_mu.Unlock();
}
const bool kForkHandlersRegistered =
    pthread_atfork(&LockForFork, &UnlockAfterFork, &UnlockAfterFork) == 0;

ABSL_CONST_INIT std::atomic<SiteRecorder> g_site_recorder{nullptr};
ABSL_CONST_INIT std::atomic<ThreadSlot*> g_slots{nullptr};
ABSL_CONST_INIT std::atomic<int64_t> g_live{0};
ABSL_CONST_INIT std::atomic<int64_t> g_peak{0};

ABSL_CONST_INIT thread_local ThreadSlot* tls_slot
    __attribute__((tls_model("initial-exec"))) = nullptr;
ABSL_CONST_INIT thread_local bool tls_in_record
    __attribute__((tls_model("initial-exec"))) = false;

// Owner-only update of a slot field: a relaxed load and a relaxed store, which
// compile to plain moves (no lock prefix).
inline void Add(std::atomic<int64_t>& field, int64_t delta) {
  field.store(field.load(kRelaxed) + delta, kRelaxed);
}

// Raises `peak` to `value` if it is lower (any thread).
inline void RaisePeak(std::atomic<int64_t>& peak, int64_t value) {
  int64_t seen = peak.load(kRelaxed);
  while (value > seen && !peak.compare_exchange_weak(seen, value, kRelaxed)) {
  }
}

// Reads a timed count of another thread (or of this one).
inline int64_t LoadTimed(const int64_t& field) {
  return __atomic_load_n(&field, __ATOMIC_RELAXED);
}

// Runs on the exiting owner's thread: its timed counts move into the slot,
// which keeps them, and the slot is released for reuse.
void ReleaseSlot(void* p) {
  auto* slot = static_cast<ThreadSlot*>(p);
  {
    SpinLockHolder lock(&g_timed_link_mu);
    if (slot->timed != nullptr) {
      Add(slot->allocs, LoadTimed(slot->timed->allocs));
      Add(slot->alloc_bytes, LoadTimed(slot->timed->alloc_bytes));
      slot->timed = nullptr;
    }
    tls_timed_counts = TimedCounts();
  }
  slot->in_use.store(false, std::memory_order_release);
  tls_slot = nullptr;
}

pthread_key_t SlotKey() {
  // The destructor returns a thread's slot to the pool when the thread exits.
  static const pthread_key_t key = [] {
    pthread_key_t k;
    if (pthread_key_create(&k, &ReleaseSlot) != 0) std::abort();
    return k;
  }();
  return key;
}

ABSL_ATTRIBUTE_NOINLINE ThreadSlot* AcquireSlot() {
  ThreadSlot* slot = nullptr;
  // Reuse the slot of a thread that has exited, keeping its counts.
  for (ThreadSlot* s = g_slots.load(std::memory_order_acquire); s != nullptr;
       s = s->next) {
    bool expected = false;
    if (!s->in_use.load(kRelaxed) &&
        s->in_use.compare_exchange_strong(expected, true,
                                          std::memory_order_acquire)) {
      slot = s;
      break;
    }
  }
  if (slot == nullptr) {
    // aligned_alloc, not operator new: counting must never recurse into the
    // hooks. A slot owns its cache line (alignas(64)), so no two threads
    // write one line. Slots are never freed; they stay reachable from
    // g_slots.
    void* memory = std::aligned_alloc(alignof(ThreadSlot), sizeof(ThreadSlot));
    if (memory == nullptr) std::abort();
    slot = new (memory) ThreadSlot();
    slot->in_use.store(true, kRelaxed);
    ThreadSlot* head = g_slots.load(kRelaxed);
    do {
      slot->next = head;
    } while (!g_slots.compare_exchange_weak(
        head, slot, std::memory_order_release, kRelaxed));
  }
  {
    SpinLockHolder lock(&g_timed_link_mu);
    slot->timed = &tls_timed_counts;
    tls_timed_counts.registered = true;
  }
  tls_slot = slot;
  pthread_setspecific(SlotKey(), slot);
  return slot;
}

inline ThreadSlot* CurrentSlot() {
  ThreadSlot* slot = tls_slot;
  if (ABSL_PREDICT_FALSE(slot == nullptr)) slot = AcquireSlot();
  return slot;
}

// The counts of slot `s`, its owner's linked timed counts included. Hold
// g_timed_link_mu, or call on the owner's thread.
Totals SlotTotals(const ThreadSlot& s) {
  Totals t;
  t.allocs = s.allocs.load(kRelaxed);
  t.alloc_bytes = s.alloc_bytes.load(kRelaxed);
  if (s.timed != nullptr) {
    t.allocs += LoadTimed(s.timed->allocs);
    t.alloc_bytes += LoadTimed(s.timed->alloc_bytes);
  }
  t.frees = s.frees.load(kRelaxed);
  t.freed_bytes = s.freed_bytes.load(kRelaxed);
  return t;
}

}  // namespace

Totals AllThreadsTotals() {
  Totals t;
  SpinLockHolder lock(&g_timed_link_mu);
  for (ThreadSlot* s = g_slots.load(std::memory_order_acquire); s != nullptr;
       s = s->next) {
    const Totals slot = SlotTotals(*s);
    t.allocs += slot.allocs;
    t.alloc_bytes += slot.alloc_bytes;
    t.frees += slot.frees;
    t.freed_bytes += slot.freed_bytes;
  }
  return t;
}

Totals CountsSince(const Totals& now, const Totals& start) {
  Totals t;
  t.allocs = now.allocs - start.allocs;
  t.alloc_bytes = now.alloc_bytes - start.alloc_bytes;
  t.frees = now.frees - start.frees;
  t.freed_bytes = now.freed_bytes - start.freed_bytes;
  return t;
}

ABSL_CONST_INIT std::atomic<uint64_t> g_hook_state{0};

__thread TimedCounts tls_timed_counts
    __attribute__((tls_model("initial-exec"))) = {0, 0, false};

void* CountTimedAllocationSlow(void* p, size_t size) {
  ThreadSlot* slot = tls_slot;
  if (slot == nullptr) {
    // A thread without a slot links its counts as it takes one.
    AcquireSlot();
  } else {
    SpinLockHolder lock(&g_timed_link_mu);
    slot->timed = &tls_timed_counts;
    tls_timed_counts.registered = true;
  }
  return CountTimedAllocation(p, size);
}

ALLOC_COUNTER_HOOK_SECTION void RecordAllocation(void* p, size_t size) {
  // Anything the record path itself allocates is not counted.
  if (tls_in_record) return;
  tls_in_record = true;
  const Mode mode(g_hook_state.load(kRelaxed));
  const auto bytes = static_cast<int64_t>(size);
  if (mode.count) {
    ThreadSlot* slot = CurrentSlot();
    Add(slot->allocs, 1);
    Add(slot->alloc_bytes, bytes);
    if (mode.thread_live) {
      Add(slot->live, bytes);
      if (slot->live.load(kRelaxed) > slot->peak.load(kRelaxed)) {
        slot->peak.store(slot->live.load(kRelaxed), kRelaxed);
      }
    }
  }
  if (mode.process_live) {
    RaisePeak(g_peak, g_live.fetch_add(bytes, kRelaxed) + bytes);
  }
  if (mode.keeps_sizes()) RememberBlockSize(p, size);
  if (ABSL_PREDICT_FALSE(mode.sites)) {
    if (const SiteRecorder record = g_site_recorder.load(kRelaxed)) {
      record(size);
    }
  }
  tls_in_record = false;
}

void SetSiteRecorder(SiteRecorder recorder) {
  g_site_recorder.store(recorder, kRelaxed);
}

ALLOC_COUNTER_HOOK_SECTION void RecordDeallocation(void* p, size_t size) {
  if (tls_in_record) return;
  tls_in_record = true;
  const Mode mode(g_hook_state.load(kRelaxed));
  if (mode.keeps_sizes()) {
    const size_t recorded = ForgetBlockSize(p);
    if (size == kUnknownSize && recorded != kNoBlockSize) size = recorded;
  }
  // A block allocated while no size was recorded.
  if (size == kUnknownSize) size = malloc_usable_size(p);
  const auto bytes = static_cast<int64_t>(size);
  if (mode.count) {
    ThreadSlot* slot = CurrentSlot();
    Add(slot->frees, 1);
    Add(slot->freed_bytes, bytes);
    if (mode.thread_live) Add(slot->live, -bytes);
  }
  if (mode.process_live) g_live.fetch_sub(bytes, kRelaxed);
  tls_in_record = false;
}

Totals CurrentThreadTotals() { return SlotTotals(*CurrentSlot()); }

int64_t CurrentThreadLive() { return CurrentSlot()->live.load(kRelaxed); }

int64_t CurrentThreadPeak() { return CurrentSlot()->peak.load(kRelaxed); }

void SetCurrentThreadPeak(int64_t peak) {
  CurrentSlot()->peak.store(peak, kRelaxed);
}

int64_t ProcessLive() { return g_live.load(kRelaxed); }

int64_t ProcessPeak() { return g_peak.load(kRelaxed); }

int64_t ExchangeProcessPeak(int64_t value) {
  return g_peak.exchange(value, kRelaxed);
}

void RaiseProcessPeak(int64_t value) { RaisePeak(g_peak, value); }

void ForgetSizesIfUnused() {
  if (!Mode(g_hook_state.load(kRelaxed)).keeps_sizes()) ForgetAllBlockSizes();
}

}  // namespace internal
}  // namespace alloc_counter
