// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Reports exactly when a benchmark's loop body starts, pauses, resumes and
// ends, using GNU ld's `--wrap` (the link options travel with the
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
//
// `-Wl,--wrap=SYMBOL` redirects the program's calls of SYMBOL to
// `__wrap_SYMBOL`, and `__real_SYMBOL` reaches the original. Each wrapper
// below keeps Google Benchmark's own code outside the loop: the loop starts
// after StartKeepRunning returns and ends before FinishKeepRunning begins.
// The events go to counters.cc, which counts them in the memory run (or, in
// timed mode, in the timed runs) and ignores them otherwise.
//
// The mangled names are those of the Itanium C++ ABI; a member function
// taking no argument is called with `this` as its one parameter.

#include <cstdint>

#include "alloc_counter/counters.h"
#include "benchmark/benchmark.h"

extern "C" {

void __real__ZN9benchmark5State16StartKeepRunningEv(benchmark::State* state);
void __real__ZN9benchmark5State17FinishKeepRunningEv(benchmark::State* state);
void __real__ZN9benchmark5State11PauseTimingEv(benchmark::State* state);
void __real__ZN9benchmark5State12ResumeTimingEv(benchmark::State* state);

// benchmark::State::StartKeepRunning()
void __wrap__ZN9benchmark5State16StartKeepRunningEv(benchmark::State* state) {
  __real__ZN9benchmark5State16StartKeepRunningEv(state);
  alloc_counter::internal::OnLoopStart();
}

// benchmark::State::FinishKeepRunning()
void __wrap__ZN9benchmark5State17FinishKeepRunningEv(benchmark::State* state) {
  alloc_counter::internal::OnLoopEnd(static_cast<int64_t>(state->iterations()),
                                     state->threads());
  __real__ZN9benchmark5State17FinishKeepRunningEv(state);
}

// benchmark::State::PauseTiming()
void __wrap__ZN9benchmark5State11PauseTimingEv(benchmark::State* state) {
  alloc_counter::internal::OnLoopPause();
  __real__ZN9benchmark5State11PauseTimingEv(state);
}

// benchmark::State::ResumeTiming()
void __wrap__ZN9benchmark5State12ResumeTimingEv(benchmark::State* state) {
  __real__ZN9benchmark5State12ResumeTimingEv(state);
  alloc_counter::internal::OnLoopResume();
}

}  // extern "C"
