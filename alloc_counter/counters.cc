// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Shared state owned by this file, and who may touch it:
//
//   g_window_mode    written by the window calls (the memory-run thread),
//                    read by every hook (relaxed).
//   g_armed, g_in_loop, g_paused, g_count_paused
//                    written and read by the window calls only.
//   g_window_live, g_window_peak
//                    live bytes since BeginMeasurement() and their maximum:
//                    reset by BeginMeasurement(), updated by every thread
//                    inside the window with atomic read-modify-writes, read
//                    by EndMeasurement().
//   g_slots          lock-free list of every slot ever made; pushed by
//                    AcquireSlot() (CAS), walked by anyone; never shrinks.
//   ThreadSlot::in_use
//                    claimed by AcquireSlot() (CAS), released by the
//                    thread-exit destructor of the owner.
//   other ThreadSlot fields
//                    written only by the slot's owner, read by anyone
//                    (relaxed loads).
//   tls_slot         the calling thread's slot, or null before its first
//                    record and after it exited.

#include "alloc_counter/counters.h"

#include <pthread.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>

#include "absl/base/attributes.h"
#include "absl/base/optimization.h"

namespace alloc_counter {
namespace internal {
namespace {

constexpr std::memory_order kRelaxed = std::memory_order_relaxed;

struct alignas(64) ThreadSlot {
  // Monotonic totals, counted in `kCounting` mode.
  std::atomic<int64_t> allocs;
  std::atomic<int64_t> alloc_bytes;
  std::atomic<int64_t> frees;
  std::atomic<int64_t> freed_bytes;

  std::atomic<bool> in_use;
  ThreadSlot* next;
};

ABSL_CONST_INIT std::atomic<ThreadSlot*> g_slots{nullptr};
ABSL_CONST_INIT std::atomic<int64_t> g_window_live{0};
ABSL_CONST_INIT std::atomic<int64_t> g_window_peak{0};
ABSL_CONST_INIT std::atomic<bool> g_armed{false};
ABSL_CONST_INIT std::atomic<bool> g_in_loop{false};
ABSL_CONST_INIT std::atomic<bool> g_paused{false};
ABSL_CONST_INIT std::atomic<bool> g_count_paused{false};

// Baseline of the monotonic totals taken by BeginMeasurement().
ABSL_CONST_INIT WindowTotals g_baseline;

ABSL_CONST_INIT thread_local ThreadSlot* tls_slot
    __attribute__((tls_model("initial-exec"))) = nullptr;

// Owner-only update of a slot field: a relaxed load and a relaxed store, which
// compile to plain moves (no lock prefix).
inline void Add(std::atomic<int64_t>& field, int64_t delta) {
  field.store(field.load(kRelaxed) + delta, kRelaxed);
}

void ReleaseSlot(void* slot) {
  static_cast<ThreadSlot*>(slot)->in_use.store(false, std::memory_order_release);
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
    // calloc, not operator new: counting must never recurse into the hooks.
    // Slots are never freed; they stay reachable from g_slots.
    slot = static_cast<ThreadSlot*>(std::calloc(1, sizeof(ThreadSlot)));
    if (slot == nullptr) std::abort();
    slot->in_use.store(true, kRelaxed);
    ThreadSlot* head = g_slots.load(kRelaxed);
    do {
      slot->next = head;
    } while (!g_slots.compare_exchange_weak(head, slot,
                                            std::memory_order_release,
                                            kRelaxed));
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

// Moves the window's live bytes by `delta` and keeps their maximum. The one
// process-wide total makes the peak exact across threads; it is the only
// shared write of the window, and the window is Google Benchmark's memory
// run, which is not timed.
inline void AddLive(int64_t delta) {
  const int64_t now = g_window_live.fetch_add(delta, kRelaxed) + delta;
  int64_t peak = g_window_peak.load(kRelaxed);
  while (now > peak &&
         !g_window_peak.compare_exchange_weak(peak, now, kRelaxed)) {
  }
}

void UpdateMode() {
  int mode = kIdle;
  if (g_armed.load(kRelaxed) && g_in_loop.load(kRelaxed)) {
    mode = (g_paused.load(kRelaxed) && !g_count_paused.load(kRelaxed))
               ? kLiveOnly
               : kCounting;
  }
  g_window_mode.store(mode, kRelaxed);
}

// Sums the monotonic totals of every slot.
WindowTotals SumSlots() {
  WindowTotals t;
  for (ThreadSlot* s = g_slots.load(std::memory_order_acquire); s != nullptr;
       s = s->next) {
    t.allocs += s->allocs.load(kRelaxed);
    t.alloc_bytes += s->alloc_bytes.load(kRelaxed);
    t.frees += s->frees.load(kRelaxed);
    t.freed_bytes += s->freed_bytes.load(kRelaxed);
  }
  t.net_bytes = t.alloc_bytes - t.freed_bytes;
  return t;
}

}  // namespace

ABSL_CONST_INIT std::atomic<int> g_window_mode{kIdle};

void RecordAllocation(int mode, size_t size) {
  const auto bytes = static_cast<int64_t>(size);
  if (mode == kCounting) {
    ThreadSlot* slot = CurrentSlot();
    Add(slot->allocs, 1);
    Add(slot->alloc_bytes, bytes);
  }
  AddLive(bytes);
}

void RecordDeallocation(int mode, size_t size) {
  const auto bytes = static_cast<int64_t>(size);
  if (mode == kCounting) {
    ThreadSlot* slot = CurrentSlot();
    Add(slot->frees, 1);
    Add(slot->freed_bytes, bytes);
  }
  AddLive(-bytes);
}

void BeginMeasurement() {
  g_baseline = SumSlots();
  g_window_live.store(0, kRelaxed);
  g_window_peak.store(0, kRelaxed);
  g_in_loop.store(false, kRelaxed);
  g_paused.store(false, kRelaxed);
  g_armed.store(true, kRelaxed);
  UpdateMode();
}

WindowTotals EndMeasurement() {
  g_armed.store(false, kRelaxed);
  UpdateMode();
  const WindowTotals now = SumSlots();
  WindowTotals t;
  t.allocs = now.allocs - g_baseline.allocs;
  t.alloc_bytes = now.alloc_bytes - g_baseline.alloc_bytes;
  t.frees = now.frees - g_baseline.frees;
  t.freed_bytes = now.freed_bytes - g_baseline.freed_bytes;
  t.net_bytes = g_window_live.load(kRelaxed);
  t.peak_bytes = g_window_peak.load(kRelaxed);
  return t;
}

void EnterLoop() {
  if (!g_armed.load(kRelaxed)) return;
  g_in_loop.store(true, kRelaxed);
  g_paused.store(false, kRelaxed);
  UpdateMode();
}

void ExitLoop() {
  if (!g_armed.load(kRelaxed)) return;
  g_in_loop.store(false, kRelaxed);
  UpdateMode();
}

void PauseLoop() {
  if (!g_armed.load(kRelaxed)) return;
  g_paused.store(true, kRelaxed);
  UpdateMode();
}

void ResumeLoop() {
  if (!g_armed.load(kRelaxed)) return;
  g_paused.store(false, kRelaxed);
  UpdateMode();
}

void SetCountPaused(bool count_paused) {
  g_count_paused.store(count_paused, kRelaxed);
}

WindowTotals TotalsNow() { return SumSlots(); }

}  // namespace internal
}  // namespace alloc_counter
