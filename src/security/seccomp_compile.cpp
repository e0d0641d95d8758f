// spec.linux.seccomp -> classic BPF, through libseccomp.
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>

#include "base/log.h"
#include "base/scope_exit.h"
#include "base/unique_fd.h"
#include "security/seccomp.h"
#include "security/seccomp_names.h"

namespace berth::security {
namespace {

// System calls take at most six arguments.
constexpr uint32_t kMaxSyscallArgs = 6;

// libseccomp returns -errno.
Error libseccomp_error(int rc, std::string message) {
  return errno_error(-rc, std::move(message));
}

Result<std::vector<scmp_arg_cmp>> conditions_from_spec(const std::vector<oci::SeccompArg>& args) {
  std::vector<scmp_arg_cmp> conditions;
  for (const auto& arg : args) {
    if (arg.index >= kMaxSyscallArgs) {
      return make_error(ErrorCode::kInvalidArgument, "seccomp argument index {} is out of range",
                        arg.index);
    }
    scmp_arg_cmp cmp{};
    cmp.arg = arg.index;
    cmp.op = TRY(seccomp_op_from_name(arg.op));
    // For SCMP_CMP_MASKED_EQ, value is the mask and valueTwo the datum, as in runc.
    cmp.datum_a = arg.value;
    cmp.datum_b = arg.value_two;
    conditions.push_back(cmp);
  }
  return conditions;
}

bool index_repeats(const std::vector<scmp_arg_cmp>& conditions) {
  std::array<int, kMaxSyscallArgs> count{};
  for (const auto& cmp : conditions) {
    if (++count[cmp.arg] > 1) return true;
  }
  return false;
}

Status add_rules(scmp_filter_ctx ctx, const std::string& name, uint32_t action,
                 const std::vector<scmp_arg_cmp>& conditions) {
  int nr = seccomp_syscall_resolve_name(name.c_str());
  if (nr == __NR_SCMP_ERROR) {
    log::debug("seccomp: unknown syscall {:?} ignored", name);
    return {};
  }
  // libseccomp ANDs the conditions of one rule; conditions repeating an index (which could never
  // all hold for EQ) become one rule each, ORed, as runc has always done.
  if (index_repeats(conditions)) {
    for (const auto& cmp : conditions) {
      int rc = seccomp_rule_add_array(ctx, action, nr, 1, &cmp);
      if (rc != 0) return libseccomp_error(rc, fmt::format("add seccomp rule for {}", name));
    }
    return {};
  }
  int rc = seccomp_rule_add_array(ctx, action, nr, static_cast<unsigned>(conditions.size()),
                                  conditions.empty() ? nullptr : conditions.data());
  if (rc != 0) return libseccomp_error(rc, fmt::format("add seccomp rule for {}", name));
  return {};
}

Result<std::vector<sock_filter>> export_bpf(scmp_filter_ctx ctx) {
  UniqueFd fd(memfd_create("berth-seccomp", MFD_CLOEXEC));
  if (!fd) return errno_error("memfd_create");
  if (int rc = seccomp_export_bpf(ctx, fd.get()); rc != 0) {
    return libseccomp_error(rc, "export seccomp filter");
  }
  struct stat st {};
  if (fstat(fd.get(), &st) != 0) return errno_error("stat exported seccomp filter");
  auto size = static_cast<size_t>(st.st_size);
  if (size == 0 || size % sizeof(sock_filter) != 0) {
    return make_error(ErrorCode::kInternal, "exported seccomp filter has odd size {}", size);
  }
  std::vector<sock_filter> instructions(size / sizeof(sock_filter));
  auto* out = reinterpret_cast<char*>(instructions.data());
  size_t done = 0;
  while (done < size) {
    ssize_t n = pread(fd.get(), out + done, size - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_error("read exported seccomp filter");
    if (n == 0) return make_error(ErrorCode::kInternal, "exported seccomp filter is truncated");
    done += static_cast<size_t>(n);
  }
  if (instructions.size() > BPF_MAXINSNS) {
    return make_error(ErrorCode::kResourceExhausted,
                      "seccomp filter has {} instructions, more than the kernel's {}",
                      instructions.size(), BPF_MAXINSNS);
  }
  return instructions;
}

}  // namespace

Result<SeccompProgram> compile_seccomp(const oci::Seccomp& spec) {
  SeccompProgram program;
  program.flags = TRY(seccomp_flags_from_names(spec.flags));
  uint32_t default_action =
      TRY_CTX(seccomp_action_from_name(spec.default_action, spec.default_errno_ret),
              "seccomp default action");

  scmp_filter_ctx ctx = seccomp_init(default_action);
  if (ctx == nullptr) {
    return make_error(ErrorCode::kInternal, "seccomp_init failed for default action {}",
                      spec.default_action);
  }
  ScopeExit release([ctx] { seccomp_release(ctx); });

  // The runtime sets no_new_privs itself, from process.noNewPrivileges; the filter must not.
  if (int rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0); rc != 0) {
    return libseccomp_error(rc, "seccomp: clear no_new_privs attribute");
  }
  for (const auto& name : spec.architectures) {
    uint32_t arch = TRY(seccomp_arch_from_name(name));
    // The native architecture is already in a new filter.
    if (int rc = seccomp_arch_add(ctx, arch); rc != 0 && rc != -EEXIST) {
      return libseccomp_error(rc, fmt::format("add seccomp architecture {}", name));
    }
  }

  for (const auto& syscall : spec.syscalls) {
    std::string what =
        syscall.names.empty() ? "seccomp rule" : "seccomp rule for " + syscall.names[0];
    uint32_t action = TRY_CTX(seccomp_action_from_name(syscall.action, syscall.errno_ret), what);
    auto conditions = TRY_CTX(conditions_from_spec(syscall.args), what);
    // libseccomp refuses rules that repeat the default action; they would change nothing.
    if (action == default_action) continue;
    for (const auto& name : syscall.names) TRY(add_rules(ctx, name, action, conditions));
  }

  // Reached only without SCMP_ACT_NOTIFY rules (they fail above), and then the spec says the
  // listener is ignored.
  if (!spec.listener_path.empty()) {
    log::warn("seccomp listenerPath {:?} ignored: no rule uses SCMP_ACT_NOTIFY",
              spec.listener_path);
  }
  program.instructions = TRY(export_bpf(ctx));
  return program;
}

}  // namespace berth::security
