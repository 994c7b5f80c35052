// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Shared state owned by this file, and who may touch it:
//
//   g_hook_state     bits and counts of the active consumers (layout below);
//                    read by every hook, changed with atomic
//                    read-modify-writes by the consumer calls.
//   g_count_paused   set once, before benchmarks run.
//   g_slots          lock-free list of every slot ever made; pushed by
//                    AcquireSlot() (CAS), walked by anyone; never shrinks.
//   ThreadSlot::in_use
//                    claimed by AcquireSlot() (CAS), released by the
//                    thread-exit destructor of its owner.
//   other ThreadSlot fields
//                    written only by the slot's owner, read by anyone
//                    (relaxed loads).
//   g_live, g_peak   process-wide live bytes and their maximum, updated by
//                    every thread while process live bytes are kept.
//   g_window         the benchmark window's baseline and results: the
//                    memory-run thread only.
//   g_timed_*        the timed loops: atomics, and g_timed_mu (a spin lock,
//                    see spin_lock.h) for the totals of the last run.
//   tls_slot, tls_in_record, tls_timed_loop
//                    the calling thread's slot, its recursion guard, and the
//                    state of its timed loop.

#include "alloc_counter/counters.h"

#include <malloc.h>
#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

#include "absl/base/attributes.h"
#include "absl/base/optimization.h"
#include "alloc_counter/block_sizes.h"
#include "alloc_counter/spin_lock.h"

namespace alloc_counter {
namespace internal {
namespace {

constexpr std::memory_order kRelaxed = std::memory_order_relaxed;

// Layout of g_hook_state.
constexpr uint64_t kWindowArmed = uint64_t{1} << 0;
constexpr uint64_t kWindowInLoop = uint64_t{1} << 1;
constexpr uint64_t kWindowPaused = uint64_t{1} << 2;
constexpr int kTimedLoopsShift = 8;     // timed loops running unpaused
constexpr int kThreadScopesShift = 24;  // thread scopes alive
constexpr int kProcessScopesShift = 40;  // process scopes alive
constexpr uint64_t kCountMask = 0xffff;
constexpr uint64_t kOneTimedLoop = uint64_t{1} << kTimedLoopsShift;
static_assert(kTimedLoopsMask == kCountMask << kTimedLoopsShift,
              "counters.h and counters.cc agree on the timed-loop bits");
constexpr uint64_t kOneThreadScope = uint64_t{1} << kThreadScopesShift;
constexpr uint64_t kOneProcessScope = uint64_t{1} << kProcessScopesShift;

ABSL_CONST_INIT std::atomic<bool> g_count_paused{false};

// What the record functions do in a given g_hook_state.
struct Mode {
  bool count = false;         // count allocations and frees per thread
  bool thread_live = false;   // keep per-thread live bytes
  bool process_live = false;  // keep process-wide live bytes

  explicit Mode(uint64_t state) {
    const bool in_window =
        (state & kWindowArmed) != 0 && (state & kWindowInLoop) != 0;
    const bool window_counts =
        in_window && ((state & kWindowPaused) == 0 ||
                      g_count_paused.load(kRelaxed));
    const bool timed = ((state >> kTimedLoopsShift) & kCountMask) != 0;
    const bool thread_scopes =
        ((state >> kThreadScopesShift) & kCountMask) != 0;
    const bool process_scopes =
        ((state >> kProcessScopesShift) & kCountMask) != 0;
    count = window_counts || timed || thread_scopes || process_scopes;
    thread_live = thread_scopes;
    process_live = in_window || process_scopes;
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

  std::atomic<bool> in_use;
  ThreadSlot* next;
};

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

void ReleaseSlot(void* slot) {
  static_cast<ThreadSlot*>(slot)->in_use.store(false,
                                               std::memory_order_release);
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
  tls_slot = slot;
  pthread_setspecific(SlotKey(), slot);
  return slot;
}

inline ThreadSlot* CurrentSlot() {
  ThreadSlot* slot = tls_slot;
  if (ABSL_PREDICT_FALSE(slot == nullptr)) slot = AcquireSlot();
  return slot;
}

Totals SlotTotals(const ThreadSlot& s) {
  Totals t;
  t.allocs = s.allocs.load(kRelaxed);
  t.alloc_bytes = s.alloc_bytes.load(kRelaxed);
  t.frees = s.frees.load(kRelaxed);
  t.freed_bytes = s.freed_bytes.load(kRelaxed);
  return t;
}

// Sums the monotonic totals of every slot.
Totals SumSlots() {
  Totals t;
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

// The counts of `now` minus those of `start`.
Totals CountsSince(const Totals& now, const Totals& start) {
  Totals t;
  t.allocs = now.allocs - start.allocs;
  t.alloc_bytes = now.alloc_bytes - start.alloc_bytes;
  t.frees = now.frees - start.frees;
  t.freed_bytes = now.freed_bytes - start.freed_bytes;
  return t;
}

// Forgets recorded block sizes once no consumer keeps live bytes.
void ForgetSizesIfUnused() {
  if (!Mode(g_hook_state.load(kRelaxed)).keeps_sizes()) ForgetAllBlockSizes();
}

// The benchmark window. Touched by the memory-run thread only.
struct Window {
  Totals start;              // slot totals at BeginMeasurement()
  int64_t live_base = 0;     // g_live at EnterLoop()
  int64_t saved_peak = 0;    // g_peak before EnterLoop()
  int64_t net_bytes = 0;     // results of the loop, set by ExitLoop()
  int64_t peak_bytes = 0;
  LoopEnd loop_end;
};
ABSL_CONST_INIT Window g_window;

// The timed loops.
// Loops of the current timed run that have ended.
ABSL_CONST_INIT std::atomic<int64_t> g_timed_finished{0};
ABSL_CONST_INIT std::atomic<int64_t> g_timed_iterations{0};
ABSL_CONST_INIT SpinLock g_timed_mu;
ABSL_CONST_INIT Totals g_timed_base ABSL_GUARDED_BY(g_timed_mu);
ABSL_CONST_INIT TimedRun g_last_timed_run ABSL_GUARDED_BY(g_timed_mu);

// What the calling thread's timed loop is doing. The wrappers can be called
// twice for one event (Google Benchmark's own FinishKeepRunning() pauses
// timing), so each event acts only from the state it expects.
enum TimedLoopState : int { kNoLoop = 0, kLoopRunning = 1, kLoopPaused = 2 };
ABSL_CONST_INIT thread_local int tls_timed_loop
    __attribute__((tls_model("initial-exec"))) = kNoLoop;

// Sets the timed baseline to the current totals: nothing counted before now
// belongs to the next timed run.
void ResetTimedBase() {
  const Totals now = SumSlots();
  SpinLockHolder lock(&g_timed_mu);
  g_timed_base = now;
}

}  // namespace

ABSL_CONST_INIT std::atomic<uint64_t> g_hook_state{0};

void CountTimedAllocation(size_t size) {
  ThreadSlot* slot = CurrentSlot();
  Add(slot->allocs, 1);
  Add(slot->alloc_bytes, static_cast<int64_t>(size));
}

void RecordAllocation(void* p, size_t size) {
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
  tls_in_record = false;
}

void RecordDeallocation(void* p, size_t size) {
  if (tls_in_record) return;
  tls_in_record = true;
  const Mode mode(g_hook_state.load(kRelaxed));
  if (mode.keeps_sizes()) {
    const size_t recorded = ForgetBlockSize(p);
    if (size == kUnknownSize) size = recorded;
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

void SetCountPaused(bool count_paused) {
  g_count_paused.store(count_paused, kRelaxed);
}

// --- The benchmark window --------------------------------------------------

void BeginMeasurement() {
  g_window = Window();
  g_window.start = SumSlots();
  g_hook_state.fetch_and(~(kWindowInLoop | kWindowPaused), kRelaxed);
  g_hook_state.fetch_or(kWindowArmed, kRelaxed);
}

Totals EndMeasurement() {
  if ((g_hook_state.load(kRelaxed) & kWindowInLoop) != 0) ExitLoop();
  g_hook_state.fetch_and(~(kWindowArmed | kWindowPaused), kRelaxed);
  const Totals now = SumSlots();
  Totals t = CountsSince(now, g_window.start);
  t.net_bytes = g_window.net_bytes;
  t.peak_bytes = g_window.peak_bytes;
  ForgetSizesIfUnused();
  // What the window counted is not part of the next timed run.
  ResetTimedBase();
  return t;
}

void EnterLoop() {
  if ((g_hook_state.load(kRelaxed) & kWindowArmed) == 0) return;
  g_window.saved_peak = g_peak.load(kRelaxed);
  g_window.live_base = g_live.load(kRelaxed);
  g_peak.store(g_window.live_base, kRelaxed);
  g_hook_state.fetch_and(~kWindowPaused, kRelaxed);
  g_hook_state.fetch_or(kWindowInLoop, kRelaxed);
}

void ExitLoop() {
  const uint64_t state = g_hook_state.load(kRelaxed);
  if ((state & kWindowArmed) == 0 || (state & kWindowInLoop) == 0) return;
  g_hook_state.fetch_and(~kWindowInLoop, kRelaxed);
  g_window.net_bytes = g_live.load(kRelaxed) - g_window.live_base;
  g_window.peak_bytes =
      std::max<int64_t>(0, g_peak.load(kRelaxed) - g_window.live_base);
  RaisePeak(g_peak, g_window.saved_peak);
}

void SetWindowLoopEnd(const LoopEnd& end) {
  if ((g_hook_state.load(kRelaxed) & kWindowArmed) == 0) return;
  g_window.loop_end = end;
}

LoopEnd WindowLoopEnd() { return g_window.loop_end; }

void PauseLoop() {
  if ((g_hook_state.load(kRelaxed) & kWindowArmed) == 0) return;
  g_hook_state.fetch_or(kWindowPaused, kRelaxed);
}

void ResumeLoop() {
  if ((g_hook_state.load(kRelaxed) & kWindowArmed) == 0) return;
  g_hook_state.fetch_and(~kWindowPaused, kRelaxed);
}

// --- The timed loops -------------------------------------------------------

void TimedLoopStarted() {
  if (tls_timed_loop != kNoLoop) return;
  tls_timed_loop = kLoopRunning;
  g_hook_state.fetch_add(kOneTimedLoop, kRelaxed);
}

void TimedLoopPaused() {
  if (tls_timed_loop != kLoopRunning) return;
  tls_timed_loop = kLoopPaused;
  g_hook_state.fetch_sub(kOneTimedLoop, kRelaxed);
}

void TimedLoopResumed() {
  if (tls_timed_loop != kLoopPaused) return;
  tls_timed_loop = kLoopRunning;
  g_hook_state.fetch_add(kOneTimedLoop, kRelaxed);
}

void TimedLoopFinished(int64_t iterations, int threads) {
  if (tls_timed_loop == kNoLoop) return;
  if (tls_timed_loop == kLoopRunning) {
    g_hook_state.fetch_sub(kOneTimedLoop, kRelaxed);
  }
  tls_timed_loop = kNoLoop;
  g_timed_iterations.fetch_add(iterations, kRelaxed);
  // The run ends when all its threads' loops have ended. (Counting loops
  // that have started would not do: one thread can run its whole loop
  // before another has entered its own.)
  if (g_timed_finished.fetch_add(1, std::memory_order_acq_rel) + 1 !=
      threads) {
    return;
  }
  g_timed_finished.store(0, kRelaxed);
  // The last loop of the run has ended: the run's totals.
  const Totals now = SumSlots();
  SpinLockHolder lock(&g_timed_mu);
  g_last_timed_run.allocs = now.allocs - g_timed_base.allocs;
  g_last_timed_run.alloc_bytes = now.alloc_bytes - g_timed_base.alloc_bytes;
  g_last_timed_run.iterations = g_timed_iterations.exchange(0, kRelaxed);
  g_timed_base = now;
}

TimedRun LastTimedRun() {
  SpinLockHolder lock(&g_timed_mu);
  return g_last_timed_run;
}

// --- Loop events -----------------------------------------------------------

namespace {
ABSL_CONST_INIT std::atomic<bool> g_timed_mode{false};

bool WindowArmed() {
  return (g_hook_state.load(kRelaxed) & kWindowArmed) != 0;
}
}  // namespace

bool TimedModeEnabled() { return g_timed_mode.load(kRelaxed); }

void SetTimedMode(bool timed) {
  g_timed_mode.store(timed, kRelaxed);
  ResetTimedBase();
}

void OnLoopStart() {
  if (WindowArmed()) {
    EnterLoop();
  } else if (TimedModeEnabled()) {
    TimedLoopStarted();
  }
}

void OnLoopPause() {
  if (WindowArmed()) {
    PauseLoop();
  } else if (TimedModeEnabled()) {
    TimedLoopPaused();
  }
}

void OnLoopResume() {
  if (WindowArmed()) {
    ResumeLoop();
  } else if (TimedModeEnabled()) {
    TimedLoopResumed();
  }
}

void OnLoopExit() {
  if (WindowArmed()) {
    ExitLoop();
  } else if (TimedModeEnabled()) {
    TimedLoopPaused();
  }
}

void OnLoopEnd(const LoopEnd& end, int threads) {
  if (WindowArmed()) {
    SetWindowLoopEnd(end);
  } else if (TimedModeEnabled()) {
    TimedLoopFinished(end.iterations, threads);
  }
}

// --- Scopes ----------------------------------------------------------------

ScopeStart BeginThreadScope() {
  g_hook_state.fetch_add(kOneThreadScope, kRelaxed);
  ThreadSlot* slot = CurrentSlot();
  ScopeStart start;
  start.totals = SlotTotals(*slot);
  start.live = slot->live.load(kRelaxed);
  start.saved_peak = slot->peak.load(kRelaxed);
  slot->peak.store(start.live, kRelaxed);
  return start;
}

Totals ThreadScopeTotals(const ScopeStart& start) {
  const ThreadSlot* slot = CurrentSlot();
  Totals t = CountsSince(SlotTotals(*slot), start.totals);
  t.net_bytes = slot->live.load(kRelaxed) - start.live;
  t.peak_bytes = slot->peak.load(kRelaxed) - start.live;
  return t;
}

void EndThreadScope(const ScopeStart& start) {
  ThreadSlot* slot = CurrentSlot();
  if (start.saved_peak > slot->peak.load(kRelaxed)) {
    slot->peak.store(start.saved_peak, kRelaxed);
  }
  g_hook_state.fetch_sub(kOneThreadScope, kRelaxed);
  ForgetSizesIfUnused();
}

ScopeStart BeginProcessScope() {
  g_hook_state.fetch_add(kOneProcessScope, kRelaxed);
  ScopeStart start;
  start.totals = SumSlots();
  start.live = g_live.load(kRelaxed);
  start.saved_peak = g_peak.exchange(start.live, kRelaxed);
  return start;
}

Totals ProcessScopeTotals(const ScopeStart& start) {
  Totals t = CountsSince(SumSlots(), start.totals);
  t.net_bytes = g_live.load(kRelaxed) - start.live;
  t.peak_bytes = std::max<int64_t>(0, g_peak.load(kRelaxed) - start.live);
  return t;
}

void EndProcessScope(const ScopeStart& start) {
  RaisePeak(g_peak, start.saved_peak);
  g_hook_state.fetch_sub(kOneProcessScope, kRelaxed);
  ForgetSizesIfUnused();
}

Totals TotalsNow() {
  Totals t = SumSlots();
  t.net_bytes = t.alloc_bytes - t.freed_bytes;
  return t;
}

}  // namespace internal
}  // namespace alloc_counter
