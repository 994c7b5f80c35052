// Lesson: a container's allocation pattern is part of its cost model.
// std::vector grows geometrically, so filling it with push_back pays one
// allocation per capacity doubling (1, 2, 4, ..., 1024 for 1000 ints on
// libstdc++) while reserve() pays exactly one. Node-based std::map allocates
// one node per key; std::unordered_map allocates one node per key plus a new
// bucket array on every rehash; absl::flat_hash_map stores the values in a
// single flat slot array and only allocates when that array grows. Small
// containers can avoid the heap entirely: absl::InlinedVector<int, 8> keeps
// up to 8 elements inline (0 allocations) where std::vector always needs one.

#include <map>
#include <unordered_map>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "benchmark/benchmark.h"

namespace {

// Grows from empty: one allocation per capacity doubling.
void BM_VectorPushBack(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  for (auto _ : state) {
    std::vector<int> v;
    for (int i = 0; i < n; ++i) v.push_back(i);
    benchmark::DoNotOptimize(v.data());
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_VectorPushBack)->Arg(1000);

// Same elements, but the final size is known up front: one allocation.
void BM_VectorPushBackReserved(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  for (auto _ : state) {
    std::vector<int> v;
    v.reserve(n);
    for (int i = 0; i < n; ++i) v.push_back(i);
    benchmark::DoNotOptimize(v.data());
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_VectorPushBackReserved)->Arg(1000);

// One tree node (40 bytes for <int, int> on libstdc++) per key.
void BM_StdMapInsert(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  for (auto _ : state) {
    std::map<int, int> m;
    for (int i = 0; i < n; ++i) m.emplace(i, i);
    benchmark::DoNotOptimize(m);
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_StdMapInsert)->Arg(100);

// One node per key plus one bucket array per rehash.
void BM_StdUnorderedMapInsert(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  for (auto _ : state) {
    std::unordered_map<int, int> m;
    for (int i = 0; i < n; ++i) m.emplace(i, i);
    benchmark::DoNotOptimize(m);
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_StdUnorderedMapInsert)->Arg(100);

// No nodes: one allocation (control bytes + slots) per capacity growth.
void BM_FlatHashMapInsert(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  for (auto _ : state) {
    absl::flat_hash_map<int, int> m;
    for (int i = 0; i < n; ++i) m.emplace(i, i);
    benchmark::DoNotOptimize(m);
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_FlatHashMapInsert)->Arg(100);

// A std::vector always puts its elements on the heap, however few there are.
void BM_StdVectorSmall(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  for (auto _ : state) {
    std::vector<int> v;
    v.reserve(n);
    for (int i = 0; i < n; ++i) v.push_back(i);
    benchmark::DoNotOptimize(v.data());
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_StdVectorSmall)->Arg(8)->Arg(9);

// Up to 8 elements live inside the object itself; the 9th moves them all to
// the heap (capacity 16, i.e. twice the inline capacity).
void BM_InlinedVectorSmall(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  for (auto _ : state) {
    absl::InlinedVector<int, 8> v;
    v.reserve(n);
    for (int i = 0; i < n; ++i) v.push_back(i);
    benchmark::DoNotOptimize(v.data());
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_InlinedVectorSmall)->Arg(8)->Arg(9);

}  // namespace
