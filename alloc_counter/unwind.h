// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: unwind.h
// -----------------------------------------------------------------------------
//
// The call stack of the calling thread, for the sites and stacks of
// `--alloc_counter_sites` and `--alloc_counter_folded` (sites.h). This is
// internal to alloc_counter.
//
// `Backtrace()` runs inside `operator new`, hundreds of thousands of times a
// memory run on allocation-heavy code. libgcc's `_Unwind_Backtrace` reads
// and interprets each frame's DWARF call-frame information (CFI) anew on
// every call, about 100 ns a frame. On x86-64, `Backtrace()` does that once
// per code address instead: the rule that gives a frame's canonical frame
// address (CFA: the stack pointer plus a constant, or the frame pointer plus
// a constant) and where the caller's frame pointer is saved (cfi_rule.h)
// are kept in a fixed table keyed by address, and a frame whose rule is
// known costs a table lookup and a load of its return address. A frame that
// takes more than that (a signal frame, a CFA given by a DWARF expression,
// stack realignment) sends the whole stack to `_Unwind_Backtrace`, so the
// stacks are the same either way. Other architectures use `_Unwind_Backtrace`
// alone.
//
// Neither function allocates or takes a lock: the table is static and
// filled with atomic compare-and-swap, entries are never replaced.
//
// Thread-safety: `Backtrace()` and `SlowBacktrace()` are thread-safe.
// `ForgetUnwindRules()` must not run while another thread unwinds.

#ifndef ALLOC_COUNTER_UNWIND_H_
#define ALLOC_COUNTER_UNWIND_H_

#include <cstdint>

namespace alloc_counter {
namespace internal {

// Backtrace()
//
// Writes to `pcs` the address of the call instruction of each frame of the
// calling thread's stack, from the caller of `Backtrace()` outwards (the
// return address minus one; a signal frame's interrupted address as is), at
// most `max` of them, and returns how many it wrote.
int Backtrace(uintptr_t* pcs, int max);

// SlowBacktrace()
//
// The same, always with `_Unwind_Backtrace`.
int SlowBacktrace(uintptr_t* pcs, int max);

// ForgetUnwindRules()
//
// Empties the table of rules (code may have been unloaded and other code
// loaded at its addresses).
void ForgetUnwindRules();

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_UNWIND_H_
