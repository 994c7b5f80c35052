// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Template-heavy benchmarks, for template_sites_test.py: names that GCC's
// demangler spells with `std::char_traits<char>` and `std::allocator<char>`
// several times over, a recursive function template, two overloads that
// read the same without their parameters, and stacks deeper than a site's
// three frames. Built twice: with -g and without (-g0). The lines that
// allocate, or call what does, carry a `// site:NAME` comment, which the
// test looks up to know their numbers. Every benchmark runs 5 iterations:
// the memory run's loop too.

#include <memory>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"

namespace shop {
namespace inventory {

// An item of a catalog, named by a std::string: every name of its methods
// spells the string type in full.
template <typename Name>
struct Item {
  Name name;
  long price = 0;
};

template <typename Name, typename Price>
class Catalog {
 public:
  // One allocation: the item (its name fits in the string's own buffer).
  __attribute__((noinline)) std::unique_ptr<Item<Name>> Add(const Name& name,
                                                            Price price) {
    auto item = std::make_unique<Item<Name>>();  // site:catalog_add
    item->name = name;
    item->price = price;
    benchmark::DoNotOptimize(item.get());
    return item;
  }
};

// Recurses `depth` times, then allocates one item: `depth + 1` frames of
// Nest on the stack of the allocation.
template <typename Name>
__attribute__((noinline)) int Nest(
    int depth, std::vector<std::unique_ptr<Item<Name>>>* out) {
  if (depth == 0) {
    out->push_back(std::make_unique<Item<Name>>());  // site:nest_leaf
    return 1;
  }
  int n = Nest<Name>(depth - 1, out);  // site:nest_recurse
  benchmark::DoNotOptimize(n);
  return n + 1;
}

}  // namespace inventory
}  // namespace shop

namespace {

using Name = std::string;
using Catalog = shop::inventory::Catalog<Name, long>;
using Item = shop::inventory::Item<Name>;

// Two overloads: `Make(…)` both, told apart by their parameters.
__attribute__((noinline)) std::unique_ptr<int> Make(int value) {
  auto p = std::make_unique<int>(value);  // site:make_int
  benchmark::DoNotOptimize(p.get());
  return p;
}

__attribute__((noinline)) std::unique_ptr<long> Make(long value) {
  auto p = std::make_unique<long>(value);  // site:make_long
  benchmark::DoNotOptimize(p.get());
  return p;
}

// 3 items added to a catalog: 3 allocations a loop, one site.
template <typename N>
void BM_CatalogAdd(benchmark::State& state) {
  shop::inventory::Catalog<N, long> catalog;
  for (auto _ : state) {
    for (long i = 0; i < 3; ++i) {
      auto item = catalog.Add(N("pen"), i);  // site:catalog_caller
      benchmark::DoNotOptimize(item.get());
    }
  }
}
BENCHMARK_TEMPLATE(BM_CatalogAdd, Name)->Iterations(5);

// A vector with room for one item (1 allocation), then one item allocated 6
// calls of Nest deep (7 frames of Nest, 1 allocation).
void BM_Nest(benchmark::State& state) {
  for (auto _ : state) {
    std::vector<std::unique_ptr<Item>> out;
    out.reserve(1);                                // site:nest_reserve
    int n = shop::inventory::Nest<Name>(6, &out);  // site:nest_caller
    benchmark::DoNotOptimize(n);
  }
}
BENCHMARK(BM_Nest)->Iterations(5);

// As BM_Nest, DEPTH calls deep: 80, more frames of Nest than a site shows;
// 200, deeper than the stacks alloc_counter keeps.
void BM_DeepNest(benchmark::State& state) {
  const auto depth = static_cast<int>(state.range(0));
  for (auto _ : state) {
    std::vector<std::unique_ptr<Item>> out;
    out.reserve(1);
    benchmark::DoNotOptimize(shop::inventory::Nest<Name>(depth, &out));
  }
}
BENCHMARK(BM_DeepNest)->Arg(80)->Arg(200)->Iterations(5);

// Make(int) twice and Make(long) once.
void BM_Overloads(benchmark::State& state) {
  for (auto _ : state) {
    auto a = Make(1);   // site:make_int_caller
    auto b = Make(2);   // site:make_int_caller2
    auto c = Make(3L);  // site:make_long_caller
    benchmark::DoNotOptimize(a.get());
    benchmark::DoNotOptimize(b.get());
    benchmark::DoNotOptimize(c.get());
  }
}
BENCHMARK(BM_Overloads)->Iterations(5);

}  // namespace
