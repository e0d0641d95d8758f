#include "cgroups/device_bpf.h"

#include <random>

#include <gtest/gtest.h>

namespace berth::cgroups {
namespace {

constexpr uint32_t kBlock = BPF_DEVCG_DEV_BLOCK;
constexpr uint32_t kChar = BPF_DEVCG_DEV_CHAR;

// Runs the program on one request the way the kernel would, for the opcodes Berth emits.
int run(const std::vector<bpf_insn>& program, uint32_t type, uint32_t access, uint32_t major,
        uint32_t minor) {
  uint64_t reg[11] = {};
  const uint32_t ctx[3] = {(access << 16) | type, major, minor};
  for (size_t pc = 0; pc < program.size(); ++pc) {
    const bpf_insn& in = program[pc];
    uint64_t imm = static_cast<uint64_t>(static_cast<int64_t>(in.imm));  // sign-extended
    switch (in.code) {
      case BPF_LDX | BPF_MEM | BPF_W:
        EXPECT_EQ(in.src_reg, 1);
        reg[in.dst_reg] = ctx[in.off / 4];
        break;
      case BPF_ALU | BPF_AND | BPF_K:
        reg[in.dst_reg] = static_cast<uint32_t>(reg[in.dst_reg] & imm);
        break;
      case BPF_ALU | BPF_RSH | BPF_K:
        reg[in.dst_reg] = static_cast<uint32_t>(reg[in.dst_reg]) >> in.imm;
        break;
      case BPF_ALU | BPF_MOV | BPF_X:
        reg[in.dst_reg] = static_cast<uint32_t>(reg[in.src_reg]);
        break;
      case BPF_ALU64 | BPF_MOV | BPF_K: reg[in.dst_reg] = imm; break;
      case BPF_JMP | BPF_JNE | BPF_K:
        if (reg[in.dst_reg] != imm) pc += in.off;
        break;
      case BPF_JMP | BPF_JEQ | BPF_K:
        if (reg[in.dst_reg] == imm) pc += in.off;
        break;
      case BPF_JMP | BPF_EXIT: return static_cast<int>(reg[0]);
      default: ADD_FAILURE() << "unexpected opcode " << int(in.code); return -1;
    }
  }
  ADD_FAILURE() << "ran off the end of the program";
  return -1;
}

// The v1 kernel's decision for the same policy (devcgroup_legacy_check_permission).
bool v1_allows(const DevicePolicy& policy, uint32_t type, uint32_t access, uint32_t major,
               uint32_t minor) {
  char type_char = type == kBlock ? 'b' : 'c';
  for (const auto& ex : policy.exceptions) {
    bool device = ex.type == type_char && (!ex.major || *ex.major == major) &&
                  (!ex.minor || *ex.minor == minor);
    if (!device) continue;
    if (policy.default_allow && (access & ex.access) != 0) return false;
    if (!policy.default_allow && (access & ~uint32_t{ex.access}) == 0) return true;
  }
  return policy.default_allow;
}

constexpr char kPrologue[] =
    "ldxw r2, [r1+0]\n"
    "and32 r2, 0xffff\n"
    "ldxw r3, [r1+0]\n"
    "rsh32 r3, 16\n"
    "ldxw r4, [r1+4]\n"
    "ldxw r5, [r1+8]\n";

TEST(DeviceBpfTest, DenyAllGolden) {
  auto program = device_policy_program(DevicePolicy{false, {}});
  EXPECT_EQ(disassemble(program), std::string(kPrologue) + "mov r0, 0\nexit\n");
  EXPECT_EQ(run(program, kChar, kDeviceRead, 1, 3), 0);
}

TEST(DeviceBpfTest, AllowListGolden) {
  DevicePolicy policy{
      false,
      {{'c', 1, 3, kDeviceAllAccess}, {'c', 1, 5, kDeviceRead}, {'b', {}, {}, kDeviceMknod}}};
  auto program = device_policy_program(policy);
  EXPECT_EQ(disassemble(program), std::string(kPrologue) +
                                      // c 1:3 rwm: no access test needed
                                      "jne r2, 2, +4\n"
                                      "jne r4, 1, +3\n"
                                      "jne r5, 3, +2\n"
                                      "mov r0, 1\n"
                                      "exit\n"
                                      // c 1:5 r: nothing but r may be asked (m|w = 0x5)
                                      "jne r2, 2, +7\n"
                                      "jne r4, 1, +6\n"
                                      "jne r5, 5, +5\n"
                                      "mov32 r1, r3\n"
                                      "and32 r1, 0x5\n"
                                      "jne r1, 0, +2\n"
                                      "mov r0, 1\n"
                                      "exit\n"
                                      // b *:* m
                                      "jne r2, 1, +5\n"
                                      "mov32 r1, r3\n"
                                      "and32 r1, 0x6\n"
                                      "jne r1, 0, +2\n"
                                      "mov r0, 1\n"
                                      "exit\n"
                                      "mov r0, 0\n"
                                      "exit\n");
  EXPECT_EQ(run(program, kChar, kDeviceRead | kDeviceWrite, 1, 3), 1);
  EXPECT_EQ(run(program, kChar, kDeviceRead, 1, 5), 1);
  EXPECT_EQ(run(program, kChar, kDeviceRead | kDeviceWrite, 1, 5), 0);
  EXPECT_EQ(run(program, kBlock, kDeviceMknod, 8, 0), 1);
  EXPECT_EQ(run(program, kBlock, kDeviceRead, 8, 0), 0);
  EXPECT_EQ(run(program, kChar, kDeviceRead, 1, 7), 0);
}

TEST(DeviceBpfTest, AllowAllWithDenyExceptionGolden) {
  DevicePolicy policy{true, {{'c', 1, 3, kDeviceWrite}}};
  auto program = device_policy_program(policy);
  EXPECT_EQ(disassemble(program), std::string(kPrologue) +
                                      "jne r2, 2, +7\n"
                                      "jne r4, 1, +6\n"
                                      "jne r5, 3, +5\n"
                                      "mov32 r1, r3\n"
                                      "and32 r1, 0x4\n"
                                      "jeq r1, 0, +2\n"
                                      "mov r0, 0\n"
                                      "exit\n"
                                      "mov r0, 1\n"
                                      "exit\n");
  EXPECT_EQ(run(program, kChar, kDeviceRead, 1, 3), 1);
  EXPECT_EQ(run(program, kChar, kDeviceRead | kDeviceWrite, 1, 3), 0);  // any shared bit denies
  EXPECT_EQ(run(program, kBlock, kDeviceWrite, 1, 3), 1);
}

// Random rule lists: the program must decide every request as the v1 kernel would.
TEST(DeviceBpfTest, ProgramAgreesWithV1SemanticsOnRandomRules) {
  std::mt19937 rng(20240607);
  const std::vector<std::string> types = {"a", "c", "b", ""};
  const std::vector<std::optional<int64_t>> numbers = {std::nullopt, 1, 5, 8};
  const std::vector<std::string> accesses = {"r", "w", "m", "rw", "rm", "wm", "rwm", ""};
  auto pick = [&](const auto& v) { return v[rng() % v.size()]; };
  for (int round = 0; round < 300; ++round) {
    std::vector<oci::DeviceCgroupRule> rules;
    for (int i = static_cast<int>(rng() % 6); i > 0; --i) {
      rules.push_back({rng() % 2 == 0, pick(types), pick(numbers), pick(numbers), pick(accesses)});
    }
    auto policy = compile_device_rules(rules);
    ASSERT_TRUE(policy.ok());
    auto program = device_policy_program(*policy);
    for (uint32_t type : {kBlock, kChar}) {
      for (uint32_t access = 1; access <= kDeviceAllAccess; ++access) {
        for (uint32_t major : {1u, 5u, 8u, 9u}) {
          for (uint32_t minor : {1u, 5u, 8u, 9u}) {
            ASSERT_EQ(run(program, type, access, major, minor) == 1,
                      v1_allows(*policy, type, access, major, minor))
                << "round " << round << " type " << type << " access " << access << " " << major
                << ":" << minor << "\n"
                << disassemble(program);
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace berth::cgroups
