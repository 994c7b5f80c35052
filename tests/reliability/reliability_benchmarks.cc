// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Benchmarks with exactly known allocation behaviour, linked with
// //alloc_counter:main and built once per allocator (BUILD.bazel).
// benchmarks_test.py runs every build and checks that each column and native
// memory field is the value the code implies and is identical across
// allocators.
//
// Besides plain loops they cover: threads started and exited inside the
// loop, a thread pool, frees on another thread, fork() in the loop body,
// exceptions caught in the loop body, SkipWithError during the memory run,
// and allocations before main and after it (the program must start and exit
// cleanly with each allocator).
//
// With RELIABILITY_THROW_OUT_OF_LOOP=1 in the environment, one more
// benchmark is registered whose loop body throws out of the loop.

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "benchmark/benchmark.h"
#include "tests/util/allocate.h"

namespace {

using test_util::Allocate;
using test_util::Free;
using test_util::g_escape;

// --- Before main and after it --------------------------------------------

// Allocated by a global constructor and freed by its destructor after main;
// an atexit handler allocates too. None of it is in any benchmark's window.
struct StaticData {
  StaticData() : words(new std::vector<std::string>(8, std::string(64, 'w'))) {
    std::atexit([] { delete new std::string(500, 'x'); });
  }
  ~StaticData() { delete words; }
  std::vector<std::string>* words;
};
StaticData g_static_data;

// Reads the static data: allocates nothing.
void BM_ReadsStaticData(benchmark::State& state) {
  std::size_t total = 0;
  for (auto _ : state) {
    for (const std::string& w : *g_static_data.words) total += w.size();
  }
  benchmark::DoNotOptimize(total);
}
BENCHMARK(BM_ReadsStaticData);

// --- Plain loops -----------------------------------------------------------

// Sizes on both sides of every allocator's small/large boundary.
void BM_Sizes(benchmark::State& state) {
  for (auto _ : state) {
    void* a = Allocate(1);
    void* b = Allocate(4096);
    void* c = Allocate(100000);
    void* d = Allocate(1 << 20);
    Free(d, 1 << 20);
    Free(c, 100000);
    Free(b, 4096);
    Free(a, 1);
  }
}
BENCHMARK(BM_Sizes);

// Aligned and array forms.
void BM_AlignedAndArrayForms(benchmark::State& state) {
  for (auto _ : state) {
    void* a = ::operator new (100, std::align_val_t{64});
    void* b = ::operator new[](300, std::align_val_t{4096});
    void* c = ::operator new[](50);
    g_escape = a;
    g_escape = b;
    g_escape = c;
    ::operator delete[](c, 50);
    ::operator delete[](b, 300, std::align_val_t{4096});
    ::operator delete (a, 100, std::align_val_t{64});
  }
}
BENCHMARK(BM_AlignedAndArrayForms);

// A trivially destructible array is freed with an unsized delete[]; the
// block was allocated inside the loop, so alloc_counter knows its requested
// size (README, "Unsized deletes") under every allocator.
void BM_UnsizedDelete(benchmark::State& state) {
  for (auto _ : state) {
    char* p = new char[1000];
    g_escape = p;
    delete[] p;
  }
}
BENCHMARK(BM_UnsizedDelete);

void BM_VectorPushBack1000(benchmark::State& state) {
  for (auto _ : state) {
    std::vector<int> v;
    for (int i = 0; i < 1000; ++i) v.push_back(i);
    g_escape = v.data();
  }
}
BENCHMARK(BM_VectorPushBack1000);

void BM_MapInsert100(benchmark::State& state) {
  for (auto _ : state) {
    std::map<int, int> m;
    for (int i = 0; i < 100; ++i) m[i] = i;
    g_escape = &m;
  }
}
BENCHMARK(BM_MapInsert100);

// Allocates 256 bytes while timing is paused: not counted (the default
// --alloc_counter_paused=exclude), but live, so in peak_bytes.
void BM_AllocatesWhilePaused(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    void* p = Allocate(256);
    state.ResumeTiming();
    Free(Allocate(8), 8);
    state.PauseTiming();
    Free(p, 256);
    state.ResumeTiming();
  }
}
BENCHMARK(BM_AllocatesWhilePaused);

// --- Threads ---------------------------------------------------------------

// Waits, without allocating, until `n` threads have arrived.
void ArriveAndWait(std::atomic<int>* arrived, int n) {
  arrived->fetch_add(1);
  while (arrived->load() < n) std::this_thread::yield();
}

// 4 threads started and joined in every iteration. Each allocates 10 blocks
// of 48 bytes, then waits until all 4 have, so all allocations (the 4
// std::thread states of 16 bytes included) come before any free: peak =
// everything. The main thread frees the blocks after the joins.
void BM_ThreadsStartAndExitInLoop(benchmark::State& state) {
  constexpr int kThreads = 4;
  constexpr int kBlocks = 10;
  struct Shared {
    std::atomic<int> arrived{0};
    std::array<std::array<void*, kBlocks>, kThreads> blocks;
    std::atomic<int> next{0};
  } shared;
  for (auto _ : state) {
    shared.arrived.store(0);
    shared.next.store(0);
    std::array<std::thread, kThreads> threads;
    for (std::thread& t : threads) {
      t = std::thread([s = &shared] {
        auto& mine = s->blocks[static_cast<std::size_t>(s->next.fetch_add(1))];
        for (void*& p : mine) p = Allocate(48);
        ArriveAndWait(&s->arrived, kThreads);
      });
    }
    for (std::thread& t : threads) t.join();
    for (auto& blocks : shared.blocks) {
      for (void* p : blocks) Free(p, 48);
    }
  }
}
BENCHMARK(BM_ThreadsStartAndExitInLoop)->UseRealTime();

// A consumer thread, started before the loop, frees the 4 blocks each
// iteration allocates (64 + 128 + 256 + 512 bytes), after all 4 exist.
void BM_FreedOnAnotherThread(benchmark::State& state) {
  std::atomic<void**> handed{nullptr};
  std::atomic<bool> stop{false};
  std::thread consumer([&] {
    while (!stop.load()) {
      void** blocks = handed.load();
      if (blocks == nullptr) {
        std::this_thread::yield();
        continue;
      }
      for (int i = 0; i < 4; ++i) Free(blocks[i], std::size_t{64} << i);
      handed.store(nullptr);
    }
  });
  void* blocks[4];
  for (auto _ : state) {
    for (int i = 0; i < 4; ++i) blocks[i] = Allocate(std::size_t{64} << i);
    handed.store(blocks);
    while (handed.load() != nullptr) std::this_thread::yield();
  }
  stop.store(true);
  consumer.join();
}
BENCHMARK(BM_FreedOnAnotherThread)->UseRealTime();

// A pool of 4 workers, started before the loop, runs 8 tasks per iteration;
// each task allocates 2 x 32 bytes and hands them back; the loop frees them
// once all 8 tasks are done: 16 allocations, peak 512.
class Pool {
 public:
  explicit Pool(int workers) {
    for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { Run(); });
  }
  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (std::thread& t : threads_) t.join();
  }
  // Runs tasks 0..n-1 (each writes its two blocks into `out[2 * task]`)
  // and returns when all are done. Allocates nothing itself.
  void RunTasks(int n, void** out) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      out_ = out;
      next_ = 0;
      end_ = n;
      done_ = 0;
    }
    cv_.notify_all();
    std::unique_lock<std::mutex> lock(mu_);
    done_cv_.wait(lock, [&] { return done_ == end_; });
  }

 private:
  void Run() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      cv_.wait(lock, [&] { return stop_ || next_ < end_; });
      if (stop_) return;
      const int task = next_++;
      void** out = out_;
      lock.unlock();
      out[2 * task] = Allocate(32);
      out[2 * task + 1] = Allocate(32);
      lock.lock();
      if (++done_ == end_) done_cv_.notify_one();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable done_cv_;
  void** out_ = nullptr;
  int next_ = 0;
  int end_ = 0;
  int done_ = 0;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

void BM_ThreadPool(benchmark::State& state) {
  Pool pool(4);
  void* blocks[16];
  for (auto _ : state) {
    pool.RunTasks(8, blocks);
    for (void* p : blocks) Free(p, 32);
  }
}
BENCHMARK(BM_ThreadPool)->UseRealTime();

// --- fork() ----------------------------------------------------------------

// Each iteration allocates 32 bytes, forks a child that allocates 3 blocks
// and _exits, waits for it and frees: the child's allocations are not the
// parent's. A child that cannot allocate exits with status 1 and fails the
// benchmark.
void BM_ForkInLoop(benchmark::State& state) {
  for (auto _ : state) {
    void* mine = Allocate(32);
    const pid_t child = fork();
    if (child == 0) {
      for (int i = 0; i < 3; ++i) Free(Allocate(200), 200);
      _exit(0);
    }
    int status = 0;
    if (child < 0 || waitpid(child, &status, 0) != child ||
        !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      state.SkipWithError("the forked child failed");
    }
    Free(mine, 32);
  }
}
BENCHMARK(BM_ForkInLoop)->Iterations(20);

// --- Exceptions ------------------------------------------------------------

// libstdc++ allocates the exception object with malloc, not operator new:
// only the 16-byte block counts.
void BM_ThrowIntCaughtInLoop(benchmark::State& state) {
  for (auto _ : state) {
    void* p = Allocate(16);
    try {
      throw 42;
    } catch (int) {
      Free(p, 16);
    }
  }
}
BENCHMARK(BM_ThrowIntCaughtInLoop);

// std::runtime_error allocates its message (24 + 40 + 1 bytes) with
// operator new; libstdc++.so frees it with an unsized delete, sized exactly
// like any block allocated inside the loop.
void BM_ThrowRuntimeErrorCaughtInLoop(benchmark::State& state) {
  const std::string message(40, 'm');
  for (auto _ : state) {
    try {
      throw std::runtime_error(message);
    } catch (const std::runtime_error& e) {
      g_escape = const_cast<char*>(e.what());
    }
  }
}
BENCHMARK(BM_ThrowRuntimeErrorCaughtInLoop);

// Throws out of the loop body: Google Benchmark 1.7.1 does not catch, so the
// program terminates (std::terminate, SIGABRT), with or without
// alloc_counter. Registered only with RELIABILITY_THROW_OUT_OF_LOOP=1.
void BM_ThrowsOutOfTheLoop(benchmark::State& state) {
  for (auto _ : state) {
    Free(Allocate(8), 8);
    throw std::runtime_error("thrown out of the loop body");
  }
}
const bool kThrowingRegistered = [] {
  if (std::getenv("RELIABILITY_THROW_OUT_OF_LOOP") != nullptr) {
    benchmark::RegisterBenchmark("BM_ThrowsOutOfTheLoop",
                                 &BM_ThrowsOutOfTheLoop);
  }
  return true;
}();

// --- SkipWithError ---------------------------------------------------------

// With Iterations(16), Google Benchmark calls the function twice per
// repetition: first the timed run, then the memory run (alloc_counter's
// window). These fail in the memory run only, after 8 iterations of one
// 100-byte allocation; the reported row is the timed run's, without error.

// The documented way to leave a range-for loop after SkipWithError: break.
// `break` skips FinishKeepRunning(), so the window stays open until Google
// Benchmark's MemoryManager::Stop() and what the benchmark does after the
// loop (here one 1000-byte allocation) is counted too; the loop never
// reported its end, so the row shows none of it (docs/reliability.md,
// library bug 3).
void BM_SkipWithErrorInMemoryRunThenBreak(benchmark::State& state) {
  static int calls = 0;
  const bool memory_run = calls++ % 2 == 1;
  int64_t i = 0;
  for (auto _ : state) {
    Free(Allocate(100), 100);
    if (memory_run && ++i == 8) {
      state.SkipWithError("failing in the memory run");
      break;
    }
  }
  Free(Allocate(1000), 1000);  // After the loop.
}
BENCHMARK(BM_SkipWithErrorInMemoryRunThenBreak)->Iterations(16);

// The KeepRunning() loop ends through FinishKeepRunning() after
// SkipWithError: the window closes at the loop's end, which reports the
// skip, so the row shows no figures either.
void BM_SkipWithErrorInMemoryRunKeepRunning(benchmark::State& state) {
  static int calls = 0;
  const bool memory_run = calls++ % 2 == 1;
  int64_t i = 0;
  while (state.KeepRunning()) {
    Free(Allocate(100), 100);
    if (memory_run && ++i == 8)
      state.SkipWithError("failing in the memory run");
  }
  Free(Allocate(1000), 1000);  // After the loop.
}
BENCHMARK(BM_SkipWithErrorInMemoryRunKeepRunning)->Iterations(16);

// Fails in the timed run: the row is an error row, with no columns.
void BM_SkipWithErrorInTimedRun(benchmark::State& state) {
  for (auto _ : state) {
    Free(Allocate(100), 100);
    state.SkipWithError("failing in the timed run");
    break;
  }
}
BENCHMARK(BM_SkipWithErrorInTimedRun);

}  // namespace
