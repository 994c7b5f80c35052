// Lesson: a std::shared_ptr needs a control block (reference counts) in
// addition to the object it owns. std::shared_ptr<T>(new T) allocates the
// object and then, separately, the control block: 2 allocations.
// std::make_shared<T>() puts both in a single allocation: 1 allocation (and
// better locality). std::unique_ptr has no control block, so
// std::make_unique<T>() costs exactly the one allocation for the object.

#include <cstdint>
#include <memory>

#include "benchmark/benchmark.h"

namespace {

// 32 bytes, so the object's share of each allocation is easy to spot.
struct Widget {
  int64_t a = 1;
  int64_t b = 2;
  int64_t c = 3;
  int64_t d = 4;
};
static_assert(sizeof(Widget) == 32, "Widget is expected to be 32 bytes");

// Object first, then a separate control block: 2 allocations.
void BM_SharedPtrNew(benchmark::State& state) {
  for (auto _ : state) {
    std::shared_ptr<Widget> p(new Widget);
    benchmark::DoNotOptimize(p);
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_SharedPtrNew);

// Control block and object share one allocation.
void BM_MakeShared(benchmark::State& state) {
  for (auto _ : state) {
    std::shared_ptr<Widget> p = std::make_shared<Widget>();
    benchmark::DoNotOptimize(p);
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_MakeShared);

// No control block at all: just the object.
void BM_MakeUnique(benchmark::State& state) {
  for (auto _ : state) {
    std::unique_ptr<Widget> p = std::make_unique<Widget>();
    benchmark::DoNotOptimize(p);
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_MakeUnique);

}  // namespace
