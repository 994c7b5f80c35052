// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// State owned by this file, and who may touch it:
//
//   g_rules   the unwind rule of each code address seen, x86-64 only: any
//             thread in Backtrace() finds and adds entries (compare-and-swap
//             on the address, then a release store of the rule; an entry is
//             never replaced); ForgetUnwindRules() empties it while no
//             thread unwinds.

#include "alloc_counter/unwind.h"

#include <unwind.h>

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "absl/base/attributes.h"
#include "alloc_counter/cfi_rule.h"

namespace alloc_counter {
namespace internal {
namespace {

// --- With _Unwind_Backtrace ------------------------------------------------

struct SlowWalk {
  uintptr_t* pcs;
  int max;
  int depth;
  int skip;  // frames still to skip: the unwinder's own
};

// Called by _Unwind_Backtrace() for each frame, innermost first. Keeps the
// address of the call instruction (the return address minus one), except in
// a signal frame, whose address is that of the interrupted instruction.
_Unwind_Reason_Code OnFrame(_Unwind_Context* context, void* arg) {
  auto* walk = static_cast<SlowWalk*>(arg);
  int before = 0;
  const uintptr_t ip = _Unwind_GetIPInfo(context, &before);
  if (ip == 0) return _URC_END_OF_STACK;
  if (walk->skip > 0) {
    --walk->skip;
    return _URC_NO_REASON;
  }
  if (walk->depth == walk->max) return _URC_END_OF_STACK;
  walk->pcs[walk->depth++] = before != 0 ? ip : ip - 1;
  return _URC_NO_REASON;
}

// The stack from `skip` frames above this function's caller.
ABSL_ATTRIBUTE_NOINLINE int SlowFrom(uintptr_t* pcs, int max, int skip) {
  SlowWalk walk{pcs, max, 0, skip + 1};
  _Unwind_Backtrace(&OnFrame, &walk);
  // Not a tail call: this frame is among those skipped.
  asm volatile("" ::: "memory");
  return walk.depth;
}

#if defined(__x86_64__)

// --- The table of rules ----------------------------------------------------

constexpr size_t kRuleSlots = size_t{1} << 14;
constexpr int kMaxProbes = 16;

struct RuleSlot {
  std::atomic<uintptr_t> pc;
  std::atomic<uint64_t> rule;
};

ABSL_CONST_INIT RuleSlot g_rules[kRuleSlots] = {};

size_t SlotOf(uintptr_t pc) {
  return static_cast<size_t>((pc * 0x9e3779b97f4a7c15ull) >> (64 - 14));
}

// The rule kept for `pc`, 0 if none.
uint64_t FindRule(uintptr_t pc) {
  size_t i = SlotOf(pc);
  for (int probe = 0; probe < kMaxProbes; ++probe) {
    const uintptr_t key = g_rules[i].pc.load(std::memory_order_acquire);
    if (key == pc) return g_rules[i].rule.load(std::memory_order_acquire);
    if (key == 0) return 0;
    i = (i + 1) & (kRuleSlots - 1);
  }
  return 0;
}

// Keeps `rule` for `pc` if there is room near its slot.
void KeepRule(uintptr_t pc, uint64_t rule) {
  size_t i = SlotOf(pc);
  for (int probe = 0; probe < kMaxProbes; ++probe) {
    uintptr_t key = g_rules[i].pc.load(std::memory_order_acquire);
    if (key == 0 && g_rules[i].pc.compare_exchange_strong(
                        key, pc, std::memory_order_acq_rel)) {
      g_rules[i].rule.store(rule, std::memory_order_release);
      return;
    }
    if (key == pc) return;  // kept by another thread
    i = (i + 1) & (kRuleSlots - 1);
  }
}

// Frames larger than this are taken for a wrong rule.
constexpr uintptr_t kMaxFrameBytes = uintptr_t{1} << 28;

#endif  // defined(__x86_64__)

}  // namespace

ABSL_ATTRIBUTE_NOINLINE int SlowBacktrace(uintptr_t* pcs, int max) {
  const int depth = SlowFrom(pcs, max, 1);
  asm volatile("" ::: "memory");
  return depth;
}

ABSL_ATTRIBUTE_NOINLINE int Backtrace(uintptr_t* pcs, int max) {
#if defined(__x86_64__)
  uintptr_t pc = 0;
  uintptr_t sp = 0;
  uintptr_t bp = 0;
  // Where this function is, with its stack and frame pointers there: the
  // first frame, whose rule gives its caller's.
  asm volatile(
      "leaq 0(%%rip), %0\n\t"
      "movq %%rsp, %1\n\t"
      "movq %%rbp, %2"
      : "=r"(pc), "=r"(sp), "=r"(bp));
  int depth = 0;
  while (depth < max) {
    uint64_t rule = FindRule(pc);
    if (rule == 0) {
      rule = ComputeCfiRule(pc);
      KeepRule(pc, rule);
    }
    const CfiStatus status = CfiStatusOf(rule);
    if (status == kCfiEnd) break;
    if (status == kCfiSlow) {
      depth = SlowFrom(pcs, max, 1);
      break;
    }
    const int64_t rbp_offset = CfiRbpOffset(rule);
    const uintptr_t cfa = (CfiCfaFromRbp(rule) ? bp : sp) + CfiCfaOffset(rule);
    if (cfa <= sp || cfa - sp > kMaxFrameBytes) {
      depth = SlowFrom(pcs, max, 1);
      break;
    }
    const uintptr_t return_address =
        *reinterpret_cast<const uintptr_t*>(cfa - 8);
    if (rbp_offset != 0) {
      bp = *reinterpret_cast<const uintptr_t*>(
          cfa + static_cast<uintptr_t>(rbp_offset));
    }
    sp = cfa;
    if (return_address == 0) break;
    pc = return_address - 1;
    pcs[depth++] = pc;
  }
  asm volatile("" ::: "memory");
  return depth;
#else
  const int depth = SlowFrom(pcs, max, 1);
  asm volatile("" ::: "memory");
  return depth;
#endif
}

void ForgetUnwindRules() {
#if defined(__x86_64__)
  for (RuleSlot& slot : g_rules) {
    slot.rule.store(0, std::memory_order_relaxed);
    slot.pc.store(0, std::memory_order_release);
  }
#endif
}

}  // namespace internal
}  // namespace alloc_counter
