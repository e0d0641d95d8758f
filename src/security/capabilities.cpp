#include "security/capabilities.h"

#include <sys/prctl.h>

#include <array>
#include <cerrno>

#include "base/file_util.h"
#include "base/log.h"
#include "base/strings.h"

namespace berth::security {
namespace {

// Indexed by capability number; the numbers are those of <linux/capability.h>.
constexpr std::array<std::string_view, kMaxKnownCap + 1> kCapabilityNames = {
    "CAP_CHOWN",               // 0
    "CAP_DAC_OVERRIDE",        // 1
    "CAP_DAC_READ_SEARCH",     // 2
    "CAP_FOWNER",              // 3
    "CAP_FSETID",              // 4
    "CAP_KILL",                // 5
    "CAP_SETGID",              // 6
    "CAP_SETUID",              // 7
    "CAP_SETPCAP",             // 8
    "CAP_LINUX_IMMUTABLE",     // 9
    "CAP_NET_BIND_SERVICE",    // 10
    "CAP_NET_BROADCAST",       // 11
    "CAP_NET_ADMIN",           // 12
    "CAP_NET_RAW",             // 13
    "CAP_IPC_LOCK",            // 14
    "CAP_IPC_OWNER",           // 15
    "CAP_SYS_MODULE",          // 16
    "CAP_SYS_RAWIO",           // 17
    "CAP_SYS_CHROOT",          // 18
    "CAP_SYS_PTRACE",          // 19
    "CAP_SYS_PACCT",           // 20
    "CAP_SYS_ADMIN",           // 21
    "CAP_SYS_BOOT",            // 22
    "CAP_SYS_NICE",            // 23
    "CAP_SYS_RESOURCE",        // 24
    "CAP_SYS_TIME",            // 25
    "CAP_SYS_TTY_CONFIG",      // 26
    "CAP_MKNOD",               // 27
    "CAP_LEASE",               // 28
    "CAP_AUDIT_WRITE",         // 29
    "CAP_AUDIT_CONTROL",       // 30
    "CAP_SETFCAP",             // 31
    "CAP_MAC_OVERRIDE",        // 32
    "CAP_MAC_ADMIN",           // 33
    "CAP_SYSLOG",              // 34
    "CAP_WAKE_ALARM",          // 35
    "CAP_BLOCK_SUSPEND",       // 36
    "CAP_AUDIT_READ",          // 37
    "CAP_PERFMON",             // 38
    "CAP_BPF",                 // 39
    "CAP_CHECKPOINT_RESTORE",  // 40
};

constexpr std::array<std::string_view, 14> kDockerDefaultCapabilities = {
    "CAP_CHOWN",   "CAP_DAC_OVERRIDE", "CAP_FSETID",           "CAP_FOWNER",
    "CAP_MKNOD",   "CAP_NET_RAW",      "CAP_SETGID",           "CAP_SETUID",
    "CAP_SETFCAP", "CAP_SETPCAP",      "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT",
    "CAP_KILL",    "CAP_AUDIT_WRITE",
};

int read_last_cap() {
  auto text = read_file("/proc/sys/kernel/cap_last_cap");
  if (text.ok()) {
    auto n = parse_int(trim(*text));
    if (n.ok() && *n >= 0 && *n < 64) return *n;
  }
  // No /proc (early boot, odd sandboxes): probe the bounding set, which answers EINVAL past the
  // last capability the kernel has.
  int cap = 0;
  while (cap < 63 && prctl(PR_CAPBSET_READ, cap + 1, 0, 0, 0) >= 0) ++cap;
  return cap;
}

Result<uint64_t> set_from_names(const std::vector<std::string>& names, int last_cap,
                                std::string_view set_name) {
  uint64_t bits = 0;
  for (const auto& name : names) {
    auto cap = capability_from_name(name);
    if (!cap) {
      return make_error(ErrorCode::kInvalidArgument, "unknown capability {:?} in {} set", name,
                        set_name);
    }
    if (*cap > last_cap) {
      log::warn("capability {} ({} set) is not supported by the running kernel; ignored", name,
                set_name);
      continue;
    }
    bits |= capability_bit(*cap);
  }
  return bits;
}

}  // namespace

std::optional<int> capability_from_name(std::string_view name) {
  for (int cap = 0; cap <= kMaxKnownCap; ++cap) {
    if (kCapabilityNames[cap] == name) return cap;
  }
  return std::nullopt;
}

std::optional<int> capability_from_docker_name(std::string_view name) {
  std::string upper = to_upper(name);
  if (!upper.starts_with("CAP_")) upper.insert(0, "CAP_");
  return capability_from_name(upper);
}

std::optional<std::string> normalize_capability_name(std::string_view name) {
  auto cap = capability_from_docker_name(name);
  if (!cap) return std::nullopt;
  return std::string(capability_name(*cap));
}

std::string_view capability_name(int cap) {
  if (cap < 0 || cap > kMaxKnownCap) return {};
  return kCapabilityNames[cap];
}

int kernel_last_cap() {
  static const int last_cap = read_last_cap();
  return last_cap;
}

Result<CapabilitySets> capability_sets_from_spec(const oci::Capabilities& caps, int last_cap) {
  CapabilitySets sets;
  sets.bounding = TRY(set_from_names(caps.bounding, last_cap, "bounding"));
  sets.effective = TRY(set_from_names(caps.effective, last_cap, "effective"));
  sets.inheritable = TRY(set_from_names(caps.inheritable, last_cap, "inheritable"));
  sets.permitted = TRY(set_from_names(caps.permitted, last_cap, "permitted"));
  sets.ambient = TRY(set_from_names(caps.ambient, last_cap, "ambient"));

  uint64_t raisable = sets.permitted & sets.inheritable;
  if (uint64_t lost = sets.ambient & ~raisable; lost != 0) {
    for (int cap = 0; cap <= last_cap; ++cap) {
      if (lost & capability_bit(cap)) {
        log::warn("ambient capability {} is not both permitted and inheritable; ignored",
                  capability_name(cap));
      }
    }
    sets.ambient &= raisable;
  }
  return sets;
}

Result<CapabilitySets> capability_sets_from_spec(const oci::Capabilities& caps) {
  return capability_sets_from_spec(caps, kernel_last_cap());
}

std::vector<std::string> docker_default_capabilities() {
  return {kDockerDefaultCapabilities.begin(), kDockerDefaultCapabilities.end()};
}

std::vector<std::string> all_capabilities(int last_cap) {
  std::vector<std::string> names;
  for (int cap = 0; cap <= last_cap && cap <= kMaxKnownCap; ++cap) {
    names.emplace_back(kCapabilityNames[cap]);
  }
  return names;
}

std::vector<std::string> all_capabilities() {
  return all_capabilities(kernel_last_cap());
}

}  // namespace berth::security
