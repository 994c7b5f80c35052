// Lesson: std::function type-erases its target, and on libstdc++ it can only
// store that target inside itself if it is trivially copyable and at most 16
// bytes (the size of its local buffer). A lambda capturing two int64_t values
// fits: 0 allocations. A lambda capturing 64 bytes does not: every
// construction allocates a copy of the lambda on the heap. Size is not the
// only condition: a lambda capturing a 16-byte std::shared_ptr is not
// trivially copyable, so it is heap-allocated too.

#include <array>
#include <cstdint>
#include <functional>
#include <memory>

#include "benchmark/benchmark.h"

namespace {

// 16 bytes of trivially copyable captures: stored inside the std::function.
void BM_FunctionSmallCapture(benchmark::State& state) {
  int64_t a = 1;
  int64_t b = 2;
  benchmark::DoNotOptimize(a);
  benchmark::DoNotOptimize(b);
  for (auto _ : state) {
    std::function<int()> f = [a, b] { return static_cast<int>(a + b); };
    benchmark::DoNotOptimize(f);
    benchmark::DoNotOptimize(f());
  }
}
BENCHMARK(BM_FunctionSmallCapture);

// 64 bytes of captures: the lambda is copied to the heap.
void BM_FunctionLargeCapture(benchmark::State& state) {
  std::array<int, 16> values{};
  for (int i = 0; i < 16; ++i) values[i] = i;
  benchmark::DoNotOptimize(values);
  for (auto _ : state) {
    std::function<int()> f = [values] { return values[0] + values[15]; };
    benchmark::DoNotOptimize(f);
    benchmark::DoNotOptimize(f());
  }
}
BENCHMARK(BM_FunctionLargeCapture);

// 16 bytes, but not trivially copyable: also copied to the heap. The
// shared_ptr itself is created before the loop; copying it into the lambda
// only bumps its reference count and does not allocate.
void BM_FunctionNonTrivialCapture(benchmark::State& state) {
  auto value = std::make_shared<int>(42);
  for (auto _ : state) {
    std::function<int()> f = [value] { return *value; };
    benchmark::DoNotOptimize(f);
    benchmark::DoNotOptimize(f());
  }
}
BENCHMARK(BM_FunctionNonTrivialCapture);

}  // namespace
