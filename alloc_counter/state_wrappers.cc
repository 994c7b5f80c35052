// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Reports exactly when a benchmark's loop body starts, pauses, resumes and
// ends, using the linker's `--wrap` (the link options travel with the
// `//alloc_counter` target).
//
// Google Benchmark's memory run starts the MemoryManager before it creates
// its own ThreadManager, copies the benchmark's arguments into a State and
// runs the benchmark's set-up code. None of that is the loop body. The loop
// itself is inlined into the user's code, but it enters and leaves through
// out-of-line members of `benchmark::State`:
//
//   for (auto _ : state)     ->  State::StartKeepRunning()  ... loop ...
//                                State::FinishKeepRunning()
//   state.PauseTiming()      ->  State::PauseTiming()
//   state.ResumeTiming()     ->  State::ResumeTiming()
//   state.SkipWithError(m)   ->  State::SkipWithError()  (and, from 1.8,
//                                State::SkipWithMessage()): the loop ends
//                                there, even if `break` skips
//                                FinishKeepRunning()
//
// `-Wl,--wrap=SYMBOL` redirects the program's calls of SYMBOL to
// `__wrap_SYMBOL`, and `__real_SYMBOL` reaches the original. Each wrapper
// below keeps Google Benchmark's own code outside the loop: the loop starts
// after StartKeepRunning returns and ends before FinishKeepRunning begins.
// The router below sends the events to the memory run's window (window.h)
// or, in timed mode, to the timed loops (timed_run.h), and ignores them
// otherwise.
//
// The mangled names are those of the Itanium C++ ABI, read at build time
// from an object compiled with the build's compiler and standard library
// (wrap_names.h, from wrap_probe.cc): each wrapper below is defined under
// its `__wrap_` name with an `__asm__` label. A member function is called
// with `this` as its first parameter.
//
// LLD's `--wrap` also redirects calls made inside the object file that
// defines the symbol, which GNU ld leaves alone: StartKeepRunning() calls
// ResumeTiming() and FinishKeepRunning() calls PauseTiming() inside Google
// Benchmark's benchmark.cc. Those calls reach the wrappers under LLD, and
// the Pause and Resume wrappers ignore them (t_in_loop_bound).

#include <cstdint>
#include <string>

#include "absl/base/attributes.h"
#include "alloc_counter/benchmark_compat.h"
#include "alloc_counter/timed_run.h"
#include "alloc_counter/window.h"
#include "alloc_counter/wrap_names.h"
#include "benchmark/benchmark.h"

namespace alloc_counter {
namespace internal {
namespace {

// The loop-event router: each event goes to the benchmark window while it is
// armed (the memory run), otherwise to the timed loops when timed mode is on,
// otherwise nowhere. A loop's end comes in two steps: OnLoopExit() as its
// body ends, before Google Benchmark's own code runs, and OnLoopEnd() once
// Google Benchmark has settled the iterations.

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

template <typename S>
void OnLoopEnd(const S& state) {
  if (WindowArmed()) {
    LoopEnd end;
    end.iterations = static_cast<int64_t>(state.iterations());
    end.skipped = Skipped(state);
    SetWindowLoopEnd(end);
  } else if (TimedModeEnabled()) {
    TimedLoopFinished(static_cast<int64_t>(state.iterations()),
                      state.threads());
  }
}

// The benchmark skips its loop (SkipWithError, SkipWithMessage), perhaps to
// leave it with `break`, which never reaches FinishKeepRunning(): the loop
// ends here for alloc_counter, and a later FinishKeepRunning() finds it
// ended.
void OnLoopSkip(const benchmark::State& state) {
  if (WindowArmed()) {
    ExitLoop();
    LoopEnd end;
    end.iterations = static_cast<int64_t>(state.iterations());
    end.skipped = true;
    SetWindowLoopEnd(end);
  } else if (TimedModeEnabled()) {
    TimedLoopFinished(static_cast<int64_t>(state.iterations()),
                      state.threads());
  }
}

}  // namespace
}  // namespace internal
}  // namespace alloc_counter

namespace alloc_counter {
namespace internal {

// Google Benchmark's own members, reached through `--wrap`.
void RealStartKeepRunning(benchmark::State* state) __asm__(
    "__real_" ALLOC_COUNTER_WRAP_STATE_START_KEEP_RUNNING);
void RealFinishKeepRunning(benchmark::State* state) __asm__(
    "__real_" ALLOC_COUNTER_WRAP_STATE_FINISH_KEEP_RUNNING);
void RealPauseTiming(benchmark::State* state) __asm__(
    "__real_" ALLOC_COUNTER_WRAP_STATE_PAUSE_TIMING);
void RealResumeTiming(benchmark::State* state) __asm__(
    "__real_" ALLOC_COUNTER_WRAP_STATE_RESUME_TIMING);

// The wrappers, named `__wrap_` and the wrapped member's mangled name.
void WrapStartKeepRunning(benchmark::State* state) __asm__(
    "__wrap_" ALLOC_COUNTER_WRAP_STATE_START_KEEP_RUNNING);
void WrapFinishKeepRunning(benchmark::State* state) __asm__(
    "__wrap_" ALLOC_COUNTER_WRAP_STATE_FINISH_KEEP_RUNNING);
void WrapPauseTiming(benchmark::State* state) __asm__(
    "__wrap_" ALLOC_COUNTER_WRAP_STATE_PAUSE_TIMING);
void WrapResumeTiming(benchmark::State* state) __asm__(
    "__wrap_" ALLOC_COUNTER_WRAP_STATE_RESUME_TIMING);

namespace {

// Whether this thread is inside Google Benchmark's own StartKeepRunning() or
// FinishKeepRunning(), which call ResumeTiming() and PauseTiming() from the
// same object file. GNU ld leaves such calls alone; LLD redirects them to the
// wrappers too, where they are not the benchmark's events.
ABSL_CONST_INIT thread_local bool t_in_loop_bound = false;

class LoopBoundScope {
 public:
  LoopBoundScope() { t_in_loop_bound = true; }
  ~LoopBoundScope() { t_in_loop_bound = false; }
  LoopBoundScope(const LoopBoundScope&) = delete;
  LoopBoundScope& operator=(const LoopBoundScope&) = delete;
};

}  // namespace

// benchmark::State::StartKeepRunning()
void WrapStartKeepRunning(benchmark::State* state) {
  {
    LoopBoundScope bound;
    RealStartKeepRunning(state);
  }
  OnLoopStart();
}

// benchmark::State::FinishKeepRunning()
//
// The iterations the loop ran are settled by FinishKeepRunning itself (a
// range-for loop counts down a copy), so they are read after it.
void WrapFinishKeepRunning(benchmark::State* state) {
  OnLoopExit();
  {
    LoopBoundScope bound;
    RealFinishKeepRunning(state);
  }
  OnLoopEnd(*state);
}

// benchmark::State::PauseTiming()
void WrapPauseTiming(benchmark::State* state) {
  if (!t_in_loop_bound) OnLoopPause();
  RealPauseTiming(state);
}

// benchmark::State::ResumeTiming()
void WrapResumeTiming(benchmark::State* state) {
  RealResumeTiming(state);
  if (!t_in_loop_bound) OnLoopResume();
}

// The skips: SkipWithError(const char*) up to Google Benchmark 1.7.x;
// SkipWithError(const std::string&) and SkipWithMessage(const std::string&)
// from 1.8. wrap_names.h names those the version declares, and only those are
// wrapped.
#ifdef ALLOC_COUNTER_WRAP_STATE_SKIP_WITH_ERROR_C_STR
void RealSkipWithErrorCStr(benchmark::State* state, const char* message) __asm__(
    "__real_" ALLOC_COUNTER_WRAP_STATE_SKIP_WITH_ERROR_C_STR);
void WrapSkipWithErrorCStr(benchmark::State* state, const char* message) __asm__(
    "__wrap_" ALLOC_COUNTER_WRAP_STATE_SKIP_WITH_ERROR_C_STR);
void WrapSkipWithErrorCStr(benchmark::State* state, const char* message) {
  OnLoopSkip(*state);
  RealSkipWithErrorCStr(state, message);
}
#endif

#ifdef ALLOC_COUNTER_WRAP_STATE_SKIP_WITH_ERROR_STRING
void RealSkipWithErrorString(benchmark::State* state, const std::string& message) __asm__(
    "__real_" ALLOC_COUNTER_WRAP_STATE_SKIP_WITH_ERROR_STRING);
void WrapSkipWithErrorString(benchmark::State* state, const std::string& message) __asm__(
    "__wrap_" ALLOC_COUNTER_WRAP_STATE_SKIP_WITH_ERROR_STRING);
void WrapSkipWithErrorString(benchmark::State* state,
                             const std::string& message) {
  OnLoopSkip(*state);
  RealSkipWithErrorString(state, message);
}
#endif

#ifdef ALLOC_COUNTER_WRAP_STATE_SKIP_WITH_MESSAGE_STRING
void RealSkipWithMessageString(benchmark::State* state, const std::string& message) __asm__(
    "__real_" ALLOC_COUNTER_WRAP_STATE_SKIP_WITH_MESSAGE_STRING);
void WrapSkipWithMessageString(benchmark::State* state, const std::string& message) __asm__(
    "__wrap_" ALLOC_COUNTER_WRAP_STATE_SKIP_WITH_MESSAGE_STRING);
void WrapSkipWithMessageString(benchmark::State* state,
                               const std::string& message) {
  OnLoopSkip(*state);
  RealSkipWithMessageString(state, message);
}
#endif

}  // namespace internal
}  // namespace alloc_counter
