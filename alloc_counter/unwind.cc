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
#include <cstring>

#include "absl/base/attributes.h"

#if defined(__x86_64__)
// libgcc's lookup of the frame description entry (FDE) that covers an
// address: exported by libgcc_s and libgcc_eh, declared in its private
// unwind-dw2-fde.h.
extern "C" {
struct dwarf_eh_bases {
  void* tbase;
  void* dbase;
  void* func;  // the start of the function the FDE covers
};
const void* _Unwind_Find_FDE(void* pc, dwarf_eh_bases* bases);
}
#endif

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

// --- The rules of x86-64 frames --------------------------------------------

// DWARF register numbers.
constexpr uint64_t kRbp = 6;
constexpr uint64_t kRsp = 7;
constexpr uint64_t kReturnAddress = 16;

// A rule, packed in 64 bits, 0 for none: bits 0-1 the status, bit 2 set if
// the CFA is rbp plus the offset (else rsp plus it), bits 3-34 the CFA's
// offset, bits 35-58 where the caller's rbp is saved, from the CFA, plus
// 2^23 (2^23 itself: not saved, rbp is the caller's).
enum Status : uint64_t {
  kOk = 1,    // the frame's CFA, return address and caller's rbp are known
  kEnd = 2,   // the outermost frame: no caller
  kSlow = 3,  // ask _Unwind_Backtrace
};
constexpr int64_t kRbpBias = int64_t{1} << 23;

constexpr uint64_t Pack(Status status) { return status; }

uint64_t Pack(bool cfa_from_rbp, int64_t cfa_offset, int64_t rbp_offset) {
  if (cfa_offset <= 0 || cfa_offset >= (int64_t{1} << 31) ||
      rbp_offset <= -kRbpBias || rbp_offset >= kRbpBias) {
    return Pack(kSlow);
  }
  return kOk | (uint64_t{cfa_from_rbp} << 2) |
         (static_cast<uint64_t>(cfa_offset) << 3) |
         (static_cast<uint64_t>(rbp_offset + kRbpBias) << 35);
}

// --- Reading call-frame information ----------------------------------------

uint64_t Uleb(const uint8_t** p) {
  uint64_t value = 0;
  int shift = 0;
  uint8_t byte = 0;
  do {
    byte = *(*p)++;
    if (shift < 64) value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    shift += 7;
  } while ((byte & 0x80) != 0);
  return value;
}

int64_t Sleb(const uint8_t** p) {
  int64_t value = 0;
  int shift = 0;
  uint8_t byte = 0;
  do {
    byte = *(*p)++;
    if (shift < 64) value |= static_cast<int64_t>(byte & 0x7f) << shift;
    shift += 7;
  } while ((byte & 0x80) != 0);
  if (shift < 64 && (byte & 0x40) != 0) value |= -(int64_t{1} << shift);
  return value;
}

template <typename T>
T Read(const uint8_t* p) {
  T value;
  std::memcpy(&value, p, sizeof(value));
  return value;
}

// The size of a pointer in the DW_EH_PE encoding `encoding`, 0 if omitted,
// -1 if it has no fixed size.
int EncodedSize(uint8_t encoding) {
  if (encoding == 0xff) return 0;            // DW_EH_PE_omit
  if ((encoding & 0x70) == 0x50) return -1;  // DW_EH_PE_aligned
  switch (encoding & 0x0f) {
    case 0x00:  // absptr
    case 0x04:  // udata8
    case 0x0c:  // sdata8
      return 8;
    case 0x02:  // udata2
    case 0x0a:  // sdata2
      return 2;
    case 0x03:  // udata4
    case 0x0b:  // sdata4
      return 4;
    default:  // uleb128, sleb128
      return -1;
  }
}

// How a register is found in the caller's frame.
enum How : uint8_t { kSame, kOffset, kUndefined, kOther };

// The rules that matter here at one row of the CFI table.
struct Row {
  uint64_t cfa_register = kRsp;
  int64_t cfa_offset = 0;
  How rbp = kSame;
  int64_t rbp_offset = 0;
  How return_address = kUndefined;
  int64_t return_address_offset = 0;
};

// A CIE's fields that its FDEs' programs need.
struct Cie {
  uint64_t code_align = 1;
  int64_t data_align = 1;
  uint8_t fde_encoding = 0;  // DW_EH_PE_absptr
  bool augmented = false;    // has "z": FDEs have augmentation data
  const uint8_t* program = nullptr;
  const uint8_t* program_end = nullptr;
};

// Parses the CIE at `p`; false if it is not one this file reads.
bool ParseCie(const uint8_t* p, Cie* cie) {
  const uint32_t length = Read<uint32_t>(p);
  if (length == 0 || length == 0xffffffff) return false;
  p += 4;
  const uint8_t* end = p + length;
  if (Read<uint32_t>(p) != 0) return false;
  p += 4;
  const uint8_t version = *p++;
  const char* augmentation = reinterpret_cast<const char*>(p);
  p += std::strlen(augmentation) + 1;
  cie->code_align = Uleb(&p);
  cie->data_align = Sleb(&p);
  const uint64_t return_column = version == 1 ? *p++ : Uleb(&p);
  if (return_column != kReturnAddress) return false;
  if (augmentation[0] == 'z') {
    cie->augmented = true;
    const uint64_t data_length = Uleb(&p);
    const uint8_t* data = p;
    p += data_length;
    for (const char* a = augmentation + 1; *a != '\0'; ++a) {
      switch (*a) {
        case 'R':
          cie->fde_encoding = *data++;
          break;
        case 'L':
          ++data;
          break;
        case 'P': {
          const int size = EncodedSize(*data++);
          if (size < 0) return false;
          data += size;
          break;
        }
        case 'B':
        case 'G':
          break;
        default:  // 'S', a signal frame, among others
          return false;
      }
    }
  } else if (augmentation[0] != '\0') {
    return false;
  }
  cie->program = p;
  cie->program_end = end;
  return true;
}

// Runs the CFI program [p, end) from `loc` on, over `row`, until the row
// that covers `target`; `initial` is the row DW_CFA_restore returns to.
// False if the program uses what this file does not follow.
bool Execute(const uint8_t* p, const uint8_t* end, uintptr_t loc,
             uintptr_t target, const Cie& cie, const Row& initial, Row* row) {
  constexpr int kMaxRemembered = 8;
  Row remembered[kMaxRemembered];
  int remembered_count = 0;
  // Sets register `reg`'s rule; only rbp's and the return address's matter.
  auto set = [row](uint64_t reg, How how, int64_t offset) {
    if (reg == kRbp) {
      row->rbp = how;
      row->rbp_offset = offset;
    } else if (reg == kReturnAddress) {
      row->return_address = how;
      row->return_address_offset = offset;
    } else if (reg == kRsp && how != kSame) {
      row->cfa_register = ~uint64_t{0};  // rsp restored otherwise: not ours
    }
  };
  auto restore = [&](uint64_t reg) {
    if (reg == kRbp) {
      row->rbp = initial.rbp;
      row->rbp_offset = initial.rbp_offset;
    } else if (reg == kReturnAddress) {
      row->return_address = initial.return_address;
      row->return_address_offset = initial.return_address_offset;
    }
  };
  auto advance = [&](uint64_t delta) {
    loc += delta * cie.code_align;
    return loc <= target;
  };
  while (p < end) {
    const uint8_t op = *p++;
    const uint8_t low = op & 0x3f;
    switch (op & 0xc0) {
      case 0x40:  // DW_CFA_advance_loc
        if (!advance(low)) return true;
        continue;
      case 0x80:  // DW_CFA_offset
        set(low, kOffset, static_cast<int64_t>(Uleb(&p)) * cie.data_align);
        continue;
      case 0xc0:  // DW_CFA_restore
        restore(low);
        continue;
      default:
        break;
    }
    switch (op) {
      case 0x00:  // DW_CFA_nop
        break;
      case 0x02:  // DW_CFA_advance_loc1
        if (!advance(*p)) return true;
        p += 1;
        break;
      case 0x03:  // DW_CFA_advance_loc2
        if (!advance(Read<uint16_t>(p))) return true;
        p += 2;
        break;
      case 0x04:  // DW_CFA_advance_loc4
        if (!advance(Read<uint32_t>(p))) return true;
        p += 4;
        break;
      case 0x05: {  // DW_CFA_offset_extended
        const uint64_t reg = Uleb(&p);
        set(reg, kOffset, static_cast<int64_t>(Uleb(&p)) * cie.data_align);
        break;
      }
      case 0x06:  // DW_CFA_restore_extended
        restore(Uleb(&p));
        break;
      case 0x07:  // DW_CFA_undefined
        set(Uleb(&p), kUndefined, 0);
        break;
      case 0x08:  // DW_CFA_same_value
        set(Uleb(&p), kSame, 0);
        break;
      case 0x09: {  // DW_CFA_register
        const uint64_t reg = Uleb(&p);
        Uleb(&p);
        set(reg, kOther, 0);
        break;
      }
      case 0x0a:  // DW_CFA_remember_state
        if (remembered_count == kMaxRemembered) return false;
        remembered[remembered_count++] = *row;
        break;
      case 0x0b:  // DW_CFA_restore_state
        if (remembered_count == 0) return false;
        *row = remembered[--remembered_count];
        break;
      case 0x0c:  // DW_CFA_def_cfa
        row->cfa_register = Uleb(&p);
        row->cfa_offset = static_cast<int64_t>(Uleb(&p));
        break;
      case 0x0d:  // DW_CFA_def_cfa_register
        row->cfa_register = Uleb(&p);
        break;
      case 0x0e:  // DW_CFA_def_cfa_offset
        row->cfa_offset = static_cast<int64_t>(Uleb(&p));
        break;
      case 0x10: {  // DW_CFA_expression
        const uint64_t reg = Uleb(&p);
        p += Uleb(&p);
        set(reg, kOther, 0);
        break;
      }
      case 0x11: {  // DW_CFA_offset_extended_sf
        const uint64_t reg = Uleb(&p);
        set(reg, kOffset, Sleb(&p) * cie.data_align);
        break;
      }
      case 0x12:  // DW_CFA_def_cfa_sf
        row->cfa_register = Uleb(&p);
        row->cfa_offset = Sleb(&p) * cie.data_align;
        break;
      case 0x13:  // DW_CFA_def_cfa_offset_sf
        row->cfa_offset = Sleb(&p) * cie.data_align;
        break;
      case 0x14: {  // DW_CFA_val_offset
        const uint64_t reg = Uleb(&p);
        Uleb(&p);
        set(reg, kOther, 0);
        break;
      }
      case 0x15: {  // DW_CFA_val_offset_sf
        const uint64_t reg = Uleb(&p);
        Sleb(&p);
        set(reg, kOther, 0);
        break;
      }
      case 0x16: {  // DW_CFA_val_expression
        const uint64_t reg = Uleb(&p);
        p += Uleb(&p);
        set(reg, kOther, 0);
        break;
      }
      case 0x2e:  // DW_CFA_GNU_args_size
        Uleb(&p);
        break;
      case 0x2f: {  // DW_CFA_GNU_negative_offset_extended
        const uint64_t reg = Uleb(&p);
        set(reg, kOffset, -static_cast<int64_t>(Uleb(&p)) * cie.data_align);
        break;
      }
      default:  // DW_CFA_set_loc, DW_CFA_def_cfa_expression, vendor ops
        return false;
    }
  }
  return true;
}

// The rule of the frame whose code is at `pc`, read from its FDE.
uint64_t ComputeRule(uintptr_t pc) {
  dwarf_eh_bases bases;
  const auto* fde = static_cast<const uint8_t*>(
      _Unwind_Find_FDE(reinterpret_cast<void*>(pc), &bases));
  if (fde == nullptr) return Pack(kEnd);
  const uint32_t length = Read<uint32_t>(fde);
  if (length == 0xffffffff) return Pack(kSlow);
  const uint8_t* p = fde + 4;
  const uint8_t* end = p + length;
  const uint8_t* cie_address = p - Read<uint32_t>(p);
  p += 4;
  Cie cie;
  if (!ParseCie(cie_address, &cie)) return Pack(kSlow);
  const int pointer_size = EncodedSize(cie.fde_encoding);
  const int range_size = EncodedSize(cie.fde_encoding & 0x0f);
  if (pointer_size <= 0 || range_size <= 0) return Pack(kSlow);
  p += pointer_size + range_size;
  if (cie.augmented) p += Uleb(&p);
  const auto func = reinterpret_cast<uintptr_t>(bases.func);
  Row initial;
  if (!Execute(cie.program, cie.program_end, func, ~uintptr_t{0}, cie, initial,
               &initial)) {
    return Pack(kSlow);
  }
  Row row = initial;
  if (!Execute(p, end, func, pc, cie, initial, &row)) return Pack(kSlow);
  if (row.return_address == kUndefined) return Pack(kEnd);
  if (row.return_address != kOffset || row.return_address_offset != -8 ||
      (row.cfa_register != kRsp && row.cfa_register != kRbp) ||
      (row.rbp != kSame && row.rbp != kOffset)) {
    return Pack(kSlow);
  }
  return Pack(row.cfa_register == kRbp, row.cfa_offset,
              row.rbp == kOffset ? row.rbp_offset : 0);
}

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
      rule = ComputeRule(pc);
      KeepRule(pc, rule);
    }
    const uint64_t status = rule & 3;
    if (status == kEnd) break;
    if (status == kSlow) {
      depth = SlowFrom(pcs, max, 1);
      break;
    }
    const auto cfa_offset = static_cast<uintptr_t>((rule >> 3) & 0xffffffff);
    const int64_t rbp_offset =
        static_cast<int64_t>((rule >> 35) & 0xffffff) - kRbpBias;
    const uintptr_t cfa = ((rule & 4) != 0 ? bp : sp) + cfa_offset;
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
