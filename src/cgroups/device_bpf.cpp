#include "cgroups/device_bpf.h"

#include <fmt/format.h>

namespace berth::cgroups {

namespace {

// Registers the program keeps its inputs in.
constexpr uint8_t kCtx = 1;  // also a scratch register once the context is read
constexpr uint8_t kRegType = 2;
constexpr uint8_t kRegAccess = 3;
constexpr uint8_t kRegMajor = 4;
constexpr uint8_t kRegMinor = 5;
constexpr uint8_t kRegResult = 0;

bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
  bpf_insn out{};
  out.code = code;
  out.dst_reg = dst & 0xf;
  out.src_reg = src & 0xf;
  out.off = off;
  out.imm = imm;
  return out;
}

bpf_insn load_u32(uint8_t dst, int16_t offset) {
  return insn(BPF_LDX | BPF_MEM | BPF_W, dst, kCtx, offset, 0);
}
bpf_insn alu32_imm(uint8_t op, uint8_t dst, int32_t imm) {
  return insn(BPF_ALU | op | BPF_K, dst, 0, 0, imm);
}
bpf_insn mov32_reg(uint8_t dst, uint8_t src) {
  return insn(BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0);
}
bpf_insn mov64_imm(uint8_t dst, int32_t imm) {
  return insn(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm);
}
bpf_insn jump_imm(uint8_t op, uint8_t reg, int32_t imm, int16_t off) {
  return insn(BPF_JMP | op | BPF_K, reg, 0, off, imm);
}
bpf_insn exit_insn() {
  return insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

int32_t bpf_device_type(char type) {
  return type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR;
}

// One exception's tests and verdict. Every jump goes to the instruction after the block, so its
// offset is the number of instructions that follow it inside the block.
std::vector<bpf_insn> exception_block(const DeviceException& ex, bool default_allow) {
  std::vector<bpf_insn> block;
  std::vector<size_t> exits;  // indexes of jumps to patch
  auto skip_unless_equal = [&](uint8_t reg, int32_t value) {
    exits.push_back(block.size());
    block.push_back(jump_imm(BPF_JNE, reg, value, 0));
  };
  skip_unless_equal(kRegType, bpf_device_type(ex.type));
  if (ex.major) skip_unless_equal(kRegMajor, static_cast<int32_t>(*ex.major));
  if (ex.minor) skip_unless_equal(kRegMinor, static_cast<int32_t>(*ex.minor));
  if (ex.access != kDeviceAllAccess) {
    block.push_back(mov32_reg(kCtx, kRegAccess));
    exits.push_back(block.size() + 1);
    if (default_allow) {
      // Deny exception: applies when the request shares a bit with it.
      block.push_back(alu32_imm(BPF_AND, kCtx, ex.access));
      block.push_back(jump_imm(BPF_JEQ, kCtx, 0, 0));
    } else {
      // Allow exception: applies when no requested bit lies outside it.
      block.push_back(
          alu32_imm(BPF_AND, kCtx, static_cast<uint8_t>(~ex.access) & kDeviceAllAccess));
      block.push_back(jump_imm(BPF_JNE, kCtx, 0, 0));
    }
  }
  block.push_back(mov64_imm(kRegResult, default_allow ? 0 : 1));
  block.push_back(exit_insn());
  for (size_t index : exits) block[index].off = static_cast<int16_t>(block.size() - index - 1);
  return block;
}

const char* register_name(uint8_t reg) {
  static constexpr const char* kNames[] = {"r0", "r1", "r2", "r3", "r4", "r5",
                                           "r6", "r7", "r8", "r9", "r10"};
  return reg <= 10 ? kNames[reg] : "r?";
}

std::string disassemble_one(const bpf_insn& in) {
  const char* dst = register_name(in.dst_reg);
  const char* src = register_name(in.src_reg);
  switch (in.code) {
    case BPF_LDX | BPF_MEM | BPF_W: return fmt::format("ldxw {}, [{}{:+d}]", dst, src, in.off);
    case BPF_ALU | BPF_AND | BPF_K: return fmt::format("and32 {}, {:#x}", dst, in.imm);
    case BPF_ALU | BPF_RSH | BPF_K: return fmt::format("rsh32 {}, {}", dst, in.imm);
    case BPF_ALU | BPF_MOV | BPF_X: return fmt::format("mov32 {}, {}", dst, src);
    case BPF_ALU64 | BPF_MOV | BPF_K: return fmt::format("mov {}, {}", dst, in.imm);
    case BPF_JMP | BPF_JNE | BPF_K: return fmt::format("jne {}, {}, {:+d}", dst, in.imm, in.off);
    case BPF_JMP | BPF_JEQ | BPF_K: return fmt::format("jeq {}, {}, {:+d}", dst, in.imm, in.off);
    case BPF_JMP | BPF_EXIT: return "exit";
    default:
      return fmt::format("op {:#04x} dst {} src {} off {} imm {}", in.code, dst, src, in.off,
                         in.imm);
  }
}

}  // namespace

std::vector<bpf_insn> device_policy_program(const DevicePolicy& policy) {
  std::vector<bpf_insn> program = {
      load_u32(kRegType, 0),   alu32_imm(BPF_AND, kRegType, 0xffff),
      load_u32(kRegAccess, 0), alu32_imm(BPF_RSH, kRegAccess, 16),
      load_u32(kRegMajor, 4),  load_u32(kRegMinor, 8),
  };
  for (const auto& ex : policy.exceptions) {
    auto block = exception_block(ex, policy.default_allow);
    program.insert(program.end(), block.begin(), block.end());
  }
  program.push_back(mov64_imm(kRegResult, policy.default_allow ? 1 : 0));
  program.push_back(exit_insn());
  return program;
}

std::string disassemble(const std::vector<bpf_insn>& program) {
  std::string out;
  for (const auto& in : program) {
    out += disassemble_one(in);
    out += '\n';
  }
  return out;
}

}  // namespace berth::cgroups
