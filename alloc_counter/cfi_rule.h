// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: cfi_rule.h
// -----------------------------------------------------------------------------
//
// The unwind rule of one x86-64 frame, read from its DWARF call-frame
// information (CFI), for the cached unwinder of unwind.h. This is internal to
// alloc_counter.
//
// A rule tells, for the code at one address, where the frame's canonical
// frame address (CFA) is (the stack pointer plus a constant, or the frame
// pointer plus a constant) and where the caller's frame pointer is saved;
// the return address is at CFA - 8. `ComputeCfiRule()` finds the frame
// description entry (FDE) that covers the address with libgcc's
// `_Unwind_Find_FDE` and runs its CIE's and its own CFI programs up to the
// address. A frame whose CFI says anything else (a signal frame, a CFA given
// by a DWARF expression, stack realignment, an unknown opcode) gets
// `kCfiSlow`: the caller must ask `_Unwind_Backtrace`.
//
// A rule is packed in 64 bits so that a table can keep it in one atomic
// word; 0 is no rule.
//
// Thread-safety: `ComputeCfiRule()` is thread-safe, allocates nothing and
// takes no lock of its own (`_Unwind_Find_FDE` takes libgcc's).

#ifndef ALLOC_COUNTER_CFI_RULE_H_
#define ALLOC_COUNTER_CFI_RULE_H_

#include <cstdint>

namespace alloc_counter {
namespace internal {

// The status of a rule, in its bits 0-1.
enum CfiStatus : uint64_t {
  kCfiOk = 1,    // the frame's CFA, return address and caller's rbp are known
  kCfiEnd = 2,   // the outermost frame: no caller
  kCfiSlow = 3,  // ask _Unwind_Backtrace
};

// The bits of a rule: bits 0-1 the status, bit 2 set if the CFA is rbp plus
// the offset (else rsp plus it), bits 3-34 the CFA's offset, bits 35-58
// where the caller's rbp is saved, from the CFA, plus 2^23 (2^23 itself: not
// saved, rbp is the caller's).
constexpr int64_t kCfiRbpBias = int64_t{1} << 23;

constexpr CfiStatus CfiStatusOf(uint64_t rule) {
  return static_cast<CfiStatus>(rule & 3);
}
constexpr bool CfiCfaFromRbp(uint64_t rule) { return (rule & 4) != 0; }
constexpr uintptr_t CfiCfaOffset(uint64_t rule) {
  return static_cast<uintptr_t>((rule >> 3) & 0xffffffff);
}
// Where the caller's rbp is saved, from the CFA; 0 if it is not saved.
constexpr int64_t CfiRbpOffset(uint64_t rule) {
  return static_cast<int64_t>((rule >> 35) & 0xffffff) - kCfiRbpBias;
}

#if defined(__x86_64__)

// ComputeCfiRule()
//
// Returns the rule of the frame whose code is at `pc`, never 0.
uint64_t ComputeCfiRule(uintptr_t pc);

#endif  // defined(__x86_64__)

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_CFI_RULE_H_
