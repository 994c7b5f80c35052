// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Opens and closes the measured window exactly around the loop body of a
// benchmark, using GNU ld's `--wrap` (the link options travel with the
// `//alloc_counter` target).
//
// Google Benchmark's memory run starts the MemoryManager before it creates
// its own ThreadManager, copies the benchmark's arguments into a State and
// runs the benchmark's set-up code. None of that is the loop body. The loop
// itself is inlined into the user's code, but it enters and leaves through
// two out-of-line members of `benchmark::State`:
//
//   for (auto _ : state)     ->  State::StartKeepRunning()  ... loop ...
//                                State::FinishKeepRunning()
//   state.PauseTiming()      ->  State::PauseTiming()
//   state.ResumeTiming()     ->  State::ResumeTiming()
//
// `-Wl,--wrap=SYMBOL` redirects the program's calls of SYMBOL to
// `__wrap_SYMBOL`, and `__real_SYMBOL` reaches the original. Each wrapper
// below runs Google Benchmark's own code outside the window (the window opens
// after StartKeepRunning returns and closes before FinishKeepRunning starts),
// so what is counted is the loop body alone. Outside a memory run the window
// calls return at once: the timed runs, with any number of threads, only pay
// the call.
//
// The mangled names are those of the Itanium C++ ABI; a member function
// taking no argument is called with `this` as its one parameter.

#include "alloc_counter/counters.h"

namespace benchmark {
class State;
}  // namespace benchmark

extern "C" {

void __real__ZN9benchmark5State16StartKeepRunningEv(benchmark::State* state);
void __real__ZN9benchmark5State17FinishKeepRunningEv(benchmark::State* state);
void __real__ZN9benchmark5State11PauseTimingEv(benchmark::State* state);
void __real__ZN9benchmark5State12ResumeTimingEv(benchmark::State* state);

// benchmark::State::StartKeepRunning()
void __wrap__ZN9benchmark5State16StartKeepRunningEv(benchmark::State* state) {
  __real__ZN9benchmark5State16StartKeepRunningEv(state);
  alloc_counter::internal::EnterLoop();
}

// benchmark::State::FinishKeepRunning()
void __wrap__ZN9benchmark5State17FinishKeepRunningEv(benchmark::State* state) {
  alloc_counter::internal::ExitLoop();
  __real__ZN9benchmark5State17FinishKeepRunningEv(state);
}

// benchmark::State::PauseTiming()
void __wrap__ZN9benchmark5State11PauseTimingEv(benchmark::State* state) {
  alloc_counter::internal::PauseLoop();
  __real__ZN9benchmark5State11PauseTimingEv(state);
}

// benchmark::State::ResumeTiming()
void __wrap__ZN9benchmark5State12ResumeTimingEv(benchmark::State* state) {
  __real__ZN9benchmark5State12ResumeTimingEv(state);
  alloc_counter::internal::ResumeLoop();
}

}  // extern "C"
