#include "cspec/seccomp_profile.h"

#include <algorithm>
#include <map>

#include "base/strings.h"
#include "cspec/docker_json.h"

namespace berth::cspec {
namespace {

constexpr std::string_view kWhere = "seccomp.Seccomp";
constexpr std::string_view kSyscallWhere = "seccomp.Syscall";

Error decode_error(const Error& cause) {
  return make_error(ErrorCode::kInvalidArgument, "Decoding seccomp profile failed: {}",
                    cause.message());
}

// The libseccomp architecture of a native name, for archMap lookups.
std::string seccomp_arch_of(const std::string& native) {
  static const std::map<std::string, std::string, std::less<>> kMap = {
      {"x86", "SCMP_ARCH_X86"},           {"amd64", "SCMP_ARCH_X86_64"},
      {"arm", "SCMP_ARCH_ARM"},           {"arm64", "SCMP_ARCH_AARCH64"},
      {"mips64", "SCMP_ARCH_MIPS64"},     {"mips64n32", "SCMP_ARCH_MIPS64N32"},
      {"mipsel64", "SCMP_ARCH_MIPSEL64"}, {"mips3l64n32", "SCMP_ARCH_MIPSEL64N32"},
      {"mipsle", "SCMP_ARCH_MIPSEL"},     {"ppc", "SCMP_ARCH_PPC"},
      {"ppc64", "SCMP_ARCH_PPC64"},       {"ppc64le", "SCMP_ARCH_PPC64LE"},
      {"riscv64", "SCMP_ARCH_RISCV64"},   {"s390", "SCMP_ARCH_S390"},
      {"s390x", "SCMP_ARCH_S390X"},
  };
  auto it = kMap.find(native);
  return it == kMap.end() ? std::string() : it->second;
}

struct KernelVersion {
  int kernel = 0;
  int major = 0;
};

// "<kernel>.<major>", each below 256 and not both zero; "" means no constraint.
Result<std::optional<KernelVersion>> parse_min_kernel(const Json& value) {
  if (!value.is_string()) {
    return make_error(ErrorCode::kInvalidArgument,
                      "invalid kernel version: {}, expected \"<kernel>.<major>\"", value.dump());
  }
  std::string text = value.get<std::string>();
  if (text.empty()) return std::optional<KernelVersion>();
  auto bad = [&value](std::string_view why) {
    return make_error(ErrorCode::kInvalidArgument,
                      "invalid kernel version: {}, expected \"<kernel>.<major>\"{}", value.dump(),
                      why);
  };
  auto parts = split(text, '.');
  if (parts.size() != 2) return bad("");
  auto kernel = parse_uint64(parts[0]);
  auto major = parse_uint64(parts[1]);
  if (!kernel.ok() || !major.ok() || *kernel > 255 || *major > 255) return bad(": invalid syntax");
  if (*kernel == 0 && *major == 0) return bad(": version cannot be 0.0");
  return std::optional<KernelVersion>(
      KernelVersion{static_cast<int>(*kernel), static_cast<int>(*major)});
}

bool kernel_reaches(const HostInfo& host, const KernelVersion& version) {
  return kernel_at_least(host, version.kernel, version.major);
}

bool has(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// Whether a rule's includes/excludes filters keep it for this container and host.
Result<bool> rule_applies(const Json& rule, const std::vector<std::string>& caps,
                          const std::string& arch, const HostInfo& host) {
  if (const Json* excludes = field(rule, "excludes")) {
    auto arches = TRY(get_strings(*excludes, "arches", "seccomp.Filter"));
    if (has(arches, arch)) return false;
    auto excluded_caps = TRY(get_strings(*excludes, "caps", "seccomp.Filter"));
    for (const auto& cap : excluded_caps) {
      if (has(caps, cap)) return false;
    }
    if (const Json* min_kernel = field(*excludes, "minKernel")) {
      auto version = TRY(parse_min_kernel(*min_kernel));
      if (version && kernel_reaches(host, *version)) return false;
    }
  }
  if (const Json* includes = field(rule, "includes")) {
    auto arches = TRY(get_strings(*includes, "arches", "seccomp.Filter"));
    if (!arches.empty() && !has(arches, arch)) return false;
    auto included_caps = TRY(get_strings(*includes, "caps", "seccomp.Filter"));
    for (const auto& cap : included_caps) {
      if (!has(caps, cap)) return false;
    }
    if (const Json* min_kernel = field(*includes, "minKernel")) {
      auto version = TRY(parse_min_kernel(*min_kernel));
      if (version && !kernel_reaches(host, *version)) return false;
    }
  }
  return true;
}

Result<uint64_t> get_u64(const Json& object, std::string_view key, std::string_view where) {
  const Json* value = field(object, key);
  if (value == nullptr) return uint64_t{0};
  if (value->is_number_unsigned()) return value->get<uint64_t>();
  if (value->is_number_integer() && value->get<int64_t>() >= 0) {
    return static_cast<uint64_t>(value->get<int64_t>());
  }
  return type_error(*value, where, key, "uint64");
}

Result<std::optional<uint32_t>> get_errno(const Json& object, std::string_view key,
                                          std::string_view where) {
  const Json* value = field(object, key);
  if (value == nullptr) return std::optional<uint32_t>();
  uint64_t number = TRY(get_u64(object, key, where));
  if (number > UINT32_MAX) return type_error(*value, where, key, "uint");
  return std::optional<uint32_t>(static_cast<uint32_t>(number));
}

Result<oci::SeccompArg> convert_arg(const Json& arg) {
  if (!arg.is_object()) return type_error(arg, kSyscallWhere, "args", "specs.LinuxSeccompArg");
  constexpr std::string_view kArgWhere = "specs.LinuxSeccompArg";
  oci::SeccompArg out;
  uint64_t index = TRY(get_u64(arg, "index", kArgWhere));
  if (index > UINT32_MAX) return type_error(arg["index"], kArgWhere, "index", "uint");
  out.index = static_cast<uint32_t>(index);
  out.value = TRY(get_u64(arg, "value", kArgWhere));
  out.value_two = TRY(get_u64(arg, "valueTwo", kArgWhere));
  out.op = TRY(get_string(arg, "op", kArgWhere));
  return out;
}

Result<std::optional<oci::SeccompSyscall>> convert_rule(const Json& rule,
                                                        const std::vector<std::string>& caps,
                                                        const std::string& arch,
                                                        const HostInfo& host) {
  if (!rule.is_object()) return type_error(rule, kWhere, "syscalls", "seccomp.Syscall");
  oci::SeccompSyscall out;
  std::string name = TRY(get_string(rule, "name", kSyscallWhere));
  out.names = TRY(get_strings(rule, "names", kSyscallWhere));
  if (!name.empty()) {
    if (!out.names.empty()) {
      return make_error(ErrorCode::kInvalidArgument,
                        "both 'name' and 'names' are specified in the seccomp profile, use either "
                        "'name' or 'names'");
    }
    out.names = {name};
  }
  if (!TRY(rule_applies(rule, caps, arch, host))) return std::optional<oci::SeccompSyscall>();
  out.action = TRY(get_string(rule, "action", kSyscallWhere));
  out.errno_ret = TRY(get_errno(rule, "errnoRet", kSyscallWhere));
  if (const Json* args = field(rule, "args")) {
    if (!args->is_array())
      return type_error(*args, kSyscallWhere, "args", "[]specs.LinuxSeccompArg");
    for (const Json& arg : *args) out.args.push_back(TRY(convert_arg(arg)));
  }
  return std::optional<oci::SeccompSyscall>(std::move(out));
}

Result<std::vector<std::string>> architectures(const Json& profile, const std::string& arch) {
  auto listed = TRY(get_strings(profile, "architectures", kWhere));
  const Json* arch_map = field(profile, "archMap");
  if (arch_map == nullptr) return listed;
  if (!arch_map->is_array())
    return type_error(*arch_map, kWhere, "archMap", "[]seccomp.Architecture");
  if (!listed.empty() && !arch_map->empty()) {
    return make_error(ErrorCode::kInvalidArgument,
                      "both 'architectures' and 'archMap' are specified in the seccomp profile, "
                      "use either 'architectures' or 'archMap'");
  }
  std::string native = seccomp_arch_of(arch);
  if (native.empty()) return listed;
  for (const Json& entry : *arch_map) {
    constexpr std::string_view kArchWhere = "seccomp.Architecture";
    if (!entry.is_object()) return type_error(entry, kWhere, "archMap", "seccomp.Architecture");
    if (TRY(get_string(entry, "architecture", kArchWhere)) != native) continue;
    listed.push_back(native);
    for (auto& sub : TRY(get_strings(entry, "subArchitectures", kArchWhere))) {
      listed.push_back(std::move(sub));
    }
    break;
  }
  return listed;
}

Result<std::optional<oci::Seccomp>> convert(const Json& profile,
                                            const std::vector<std::string>& caps,
                                            const HostInfo& host) {
  if (!profile.is_object()) return type_error(profile, "seccomp", "Seccomp", "seccomp.Seccomp");
  oci::Seccomp out;
  out.default_action = TRY(get_string(profile, "defaultAction", kWhere));
  const Json* syscalls = field(profile, "syscalls");
  if (syscalls != nullptr && !syscalls->is_array()) {
    return type_error(*syscalls, kWhere, "syscalls", "[]*seccomp.Syscall");
  }
  if (out.default_action.empty() && (syscalls == nullptr || syscalls->empty())) {
    return std::optional<oci::Seccomp>();
  }
  std::string arch = native_arch_name(host.arch);
  out.default_errno_ret = TRY(get_errno(profile, "defaultErrnoRet", kWhere));
  out.architectures = TRY(architectures(profile, arch));
  out.flags = TRY(get_strings(profile, "flags", kWhere));
  out.listener_path = TRY(get_string(profile, "listenerPath", kWhere));
  out.listener_metadata = TRY(get_string(profile, "listenerMetadata", kWhere));
  if (syscalls != nullptr) {
    for (const Json& rule : *syscalls) {
      auto converted = TRY(convert_rule(rule, caps, arch, host));
      if (converted) out.syscalls.push_back(std::move(*converted));
    }
  }
  return std::optional<oci::Seccomp>(std::move(out));
}

}  // namespace

std::string native_arch_name(std::string_view go_arch) {
  static const std::map<std::string, std::string, std::less<>> kMap = {
      {"386", "x86"},           {"mips64p32", "mips64n32"},
      {"mips64le", "mipsel64"}, {"mips64p32le", "mips3l64n32"},
      {"mipsle", "mipsel"},
  };
  auto it = kMap.find(go_arch);
  return it == kMap.end() ? std::string(go_arch) : it->second;
}

Result<std::optional<oci::Seccomp>> convert_seccomp_profile(
    const Json& profile, const std::vector<std::string>& bounding_caps, const HostInfo& host) {
  auto out = convert(profile, bounding_caps, host);
  if (!out.ok() && out.error().message().starts_with("json: ")) return decode_error(out.error());
  return out;
}

Result<std::optional<oci::Seccomp>> load_seccomp_profile(
    std::string_view text, const std::vector<std::string>& bounding_caps, const HostInfo& host) {
  Json profile;
  try {
    profile = Json::parse(text);
  } catch (const Json::parse_error& e) {
    return make_error(ErrorCode::kInvalidArgument, "Decoding seccomp profile failed: {}", e.what());
  }
  return convert_seccomp_profile(profile, bounding_caps, host);
}

}  // namespace berth::cspec
