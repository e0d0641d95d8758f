#include "security/seccomp_names.h"

#include <linux/seccomp.h>

#include <array>
#include <cerrno>
#include <utility>

#include "base/log.h"

namespace berth::security {
namespace {

constexpr std::array<std::pair<std::string_view, uint32_t>, 19> kArches = {{
    {"SCMP_ARCH_X86", SCMP_ARCH_X86},
    {"SCMP_ARCH_X86_64", SCMP_ARCH_X86_64},
    {"SCMP_ARCH_X32", SCMP_ARCH_X32},
    {"SCMP_ARCH_ARM", SCMP_ARCH_ARM},
    {"SCMP_ARCH_AARCH64", SCMP_ARCH_AARCH64},
    {"SCMP_ARCH_MIPS", SCMP_ARCH_MIPS},
    {"SCMP_ARCH_MIPS64", SCMP_ARCH_MIPS64},
    {"SCMP_ARCH_MIPS64N32", SCMP_ARCH_MIPS64N32},
    {"SCMP_ARCH_MIPSEL", SCMP_ARCH_MIPSEL},
    {"SCMP_ARCH_MIPSEL64", SCMP_ARCH_MIPSEL64},
    {"SCMP_ARCH_MIPSEL64N32", SCMP_ARCH_MIPSEL64N32},
    {"SCMP_ARCH_PPC", SCMP_ARCH_PPC},
    {"SCMP_ARCH_PPC64", SCMP_ARCH_PPC64},
    {"SCMP_ARCH_PPC64LE", SCMP_ARCH_PPC64LE},
    {"SCMP_ARCH_S390", SCMP_ARCH_S390},
    {"SCMP_ARCH_S390X", SCMP_ARCH_S390X},
    {"SCMP_ARCH_PARISC", SCMP_ARCH_PARISC},
    {"SCMP_ARCH_PARISC64", SCMP_ARCH_PARISC64},
    {"SCMP_ARCH_RISCV64", SCMP_ARCH_RISCV64},
}};

constexpr std::array<std::pair<std::string_view, scmp_compare>, 7> kOps = {{
    {"SCMP_CMP_NE", SCMP_CMP_NE},
    {"SCMP_CMP_LT", SCMP_CMP_LT},
    {"SCMP_CMP_LE", SCMP_CMP_LE},
    {"SCMP_CMP_EQ", SCMP_CMP_EQ},
    {"SCMP_CMP_GE", SCMP_CMP_GE},
    {"SCMP_CMP_GT", SCMP_CMP_GT},
    {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
}};

// The kernel keeps 16 bits of errno/trace data in the filter's return value.
constexpr uint32_t kMaxActionData = 0xffff;

Result<uint32_t> action_data(std::string_view name, std::optional<uint32_t> ret) {
  uint32_t value = ret.value_or(EPERM);
  if (value > kMaxActionData) {
    return make_error(ErrorCode::kInvalidArgument, "errnoRet {} of {} is larger than {}", value,
                      name, kMaxActionData);
  }
  return value;
}

}  // namespace

Result<uint32_t> seccomp_action_from_name(std::string_view name, std::optional<uint32_t> ret) {
  if (name == "SCMP_ACT_ERRNO") return SCMP_ACT_ERRNO(TRY(action_data(name, ret)));
  if (name == "SCMP_ACT_TRACE") return SCMP_ACT_TRACE(TRY(action_data(name, ret)));
  if (name == "SCMP_ACT_NOTIFY") {
    return make_error(ErrorCode::kUnimplemented, "seccomp notify (listenerPath) is not supported");
  }

  std::optional<uint32_t> action;
  // runc treats the legacy SCMP_ACT_KILL as killing the thread, which is what libseccomp means.
  if (name == "SCMP_ACT_KILL" || name == "SCMP_ACT_KILL_THREAD") action = SCMP_ACT_KILL_THREAD;
  if (name == "SCMP_ACT_KILL_PROCESS") action = SCMP_ACT_KILL_PROCESS;
  if (name == "SCMP_ACT_TRAP") action = SCMP_ACT_TRAP;
  if (name == "SCMP_ACT_ALLOW") action = SCMP_ACT_ALLOW;
  if (name == "SCMP_ACT_LOG") action = SCMP_ACT_LOG;
  if (!action) return make_error(ErrorCode::kInvalidArgument, "unknown seccomp action {:?}", name);
  if (ret) {
    return make_error(ErrorCode::kInvalidArgument, "seccomp action {} does not take an errnoRet",
                      name);
  }
  return *action;
}

Result<uint32_t> seccomp_arch_from_name(std::string_view name) {
  for (const auto& [arch_name, token] : kArches) {
    if (arch_name == name) return token;
  }
  return make_error(ErrorCode::kInvalidArgument, "unknown seccomp architecture {:?}", name);
}

Result<scmp_compare> seccomp_op_from_name(std::string_view name) {
  for (const auto& [op_name, op] : kOps) {
    if (op_name == name) return op;
  }
  return make_error(ErrorCode::kInvalidArgument, "unknown seccomp operator {:?}", name);
}

Result<unsigned> seccomp_flags_from_names(const std::vector<std::string>& names) {
  unsigned flags = 0;
  for (const auto& name : names) {
    if (name == "SECCOMP_FILTER_FLAG_TSYNC") continue;
    if (name == "SECCOMP_FILTER_FLAG_LOG") {
      flags |= SECCOMP_FILTER_FLAG_LOG;
    } else if (name == "SECCOMP_FILTER_FLAG_SPEC_ALLOW") {
      flags |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
    } else if (name == "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV") {
      // Only meaningful with a notify listener (the kernel rejects it without
      // SECCOMP_FILTER_FLAG_NEW_LISTENER), and notify is refused anyway.
      log::debug("seccomp flag {} has no effect without a notify listener; ignored", name);
    } else {
      return make_error(ErrorCode::kInvalidArgument, "unknown seccomp flag {:?}", name);
    }
  }
  return flags;
}

}  // namespace berth::security
