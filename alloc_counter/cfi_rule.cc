// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0

#include "alloc_counter/cfi_rule.h"

#if defined(__x86_64__)

#include <cstddef>
#include <cstdint>
#include <cstring>

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

namespace alloc_counter {
namespace internal {
namespace {

// DWARF register numbers.
constexpr uint64_t kRbp = 6;
constexpr uint64_t kRsp = 7;
constexpr uint64_t kReturnAddress = 16;

constexpr uint64_t Pack(CfiStatus status) { return status; }

uint64_t Pack(bool cfa_from_rbp, int64_t cfa_offset, int64_t rbp_offset) {
  if (cfa_offset <= 0 || cfa_offset >= (int64_t{1} << 31) ||
      rbp_offset <= -kCfiRbpBias || rbp_offset >= kCfiRbpBias) {
    return Pack(kCfiSlow);
  }
  return kCfiOk | (uint64_t{cfa_from_rbp} << 2) |
         (static_cast<uint64_t>(cfa_offset) << 3) |
         (static_cast<uint64_t>(rbp_offset + kCfiRbpBias) << 35);
}

// --- Reading call-frame information ----------------------------------------

// Reads an LEB128 number at `*p` and moves `*p` past it: its value bits in
// the result, how many bits it has in `*bits` and its last byte in `*last`.
uint64_t LebBits(const uint8_t** p, int* bits, uint8_t* last) {
  uint64_t value = 0;
  int shift = 0;
  uint8_t byte = 0;
  do {
    byte = *(*p)++;
    if (shift < 64) value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    shift += 7;
  } while ((byte & 0x80) != 0);
  *bits = shift;
  *last = byte;
  return value;
}

uint64_t Uleb(const uint8_t** p) {
  int bits = 0;
  uint8_t last = 0;
  return LebBits(p, &bits, &last);
}

// Sign-extended from the last byte's bit 6.
int64_t Sleb(const uint8_t** p) {
  int bits = 0;
  uint8_t last = 0;
  uint64_t value = LebBits(p, &bits, &last);
  if (bits < 64 && (last & 0x40) != 0) value |= ~uint64_t{0} << bits;
  return static_cast<int64_t>(value);
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
      case 0x09:    // DW_CFA_register
      case 0x14:    // DW_CFA_val_offset
      case 0x15: {  // DW_CFA_val_offset_sf
        // A register, then a number this file does not need (skipping a
        // signed LEB128 number is the same as skipping an unsigned one).
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
      case 0x10:    // DW_CFA_expression
      case 0x16: {  // DW_CFA_val_expression
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

}  // namespace

uint64_t ComputeCfiRule(uintptr_t pc) {
  dwarf_eh_bases bases;
  const auto* fde = static_cast<const uint8_t*>(
      _Unwind_Find_FDE(reinterpret_cast<void*>(pc), &bases));
  if (fde == nullptr) return Pack(kCfiEnd);
  const uint32_t length = Read<uint32_t>(fde);
  if (length == 0xffffffff) return Pack(kCfiSlow);
  const uint8_t* p = fde + 4;
  const uint8_t* end = p + length;
  const uint8_t* cie_address = p - Read<uint32_t>(p);
  p += 4;
  Cie cie;
  if (!ParseCie(cie_address, &cie)) return Pack(kCfiSlow);
  const int pointer_size = EncodedSize(cie.fde_encoding);
  const int range_size = EncodedSize(cie.fde_encoding & 0x0f);
  if (pointer_size <= 0 || range_size <= 0) return Pack(kCfiSlow);
  p += pointer_size + range_size;
  if (cie.augmented) p += Uleb(&p);
  const auto func = reinterpret_cast<uintptr_t>(bases.func);
  Row initial;
  if (!Execute(cie.program, cie.program_end, func, ~uintptr_t{0}, cie, initial,
               &initial)) {
    return Pack(kCfiSlow);
  }
  Row row = initial;
  if (!Execute(p, end, func, pc, cie, initial, &row)) return Pack(kCfiSlow);
  if (row.return_address == kUndefined) return Pack(kCfiEnd);
  if (row.return_address != kOffset || row.return_address_offset != -8 ||
      (row.cfa_register != kRsp && row.cfa_register != kRbp) ||
      (row.rbp != kSame && row.rbp != kOffset)) {
    return Pack(kCfiSlow);
  }
  return Pack(row.cfa_register == kRbp, row.cfa_offset,
              row.rbp == kOffset ? row.rbp_offset : 0);
}

}  // namespace internal
}  // namespace alloc_counter

#endif  // defined(__x86_64__)
