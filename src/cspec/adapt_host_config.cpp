#include "cspec/adapt_host_config.h"

#include "cspec/docker_json.h"
#include "cspec/resource_checks.h"
#include "cspec/security_opts.h"

namespace berth::cspec {
namespace {

constexpr std::string_view kWhere = "HostConfig";

struct FieldDefault {
  const char* name;
  Json zero;
  bool omit_empty = false;
};

// HostConfig's fields in dockerd's order with their Go zero values.
const std::vector<FieldDefault>& host_config_fields() {
  static const std::vector<FieldDefault> kFields = {
      {"Binds", nullptr},
      {"ContainerIDFile", ""},
      {"LogConfig", {{"Type", ""}, {"Config", nullptr}}},
      {"NetworkMode", ""},
      {"PortBindings", nullptr},
      {"RestartPolicy", {{"Name", ""}, {"MaximumRetryCount", 0}}},
      {"AutoRemove", false},
      {"VolumeDriver", ""},
      {"VolumesFrom", nullptr},
      {"ConsoleSize", Json::array({0, 0})},
      {"Annotations", nullptr, true},
      {"CapAdd", nullptr},
      {"CapDrop", nullptr},
      {"CgroupnsMode", ""},
      {"Dns", nullptr},
      {"DnsOptions", nullptr},
      {"DnsSearch", nullptr},
      {"ExtraHosts", nullptr},
      {"GroupAdd", nullptr},
      {"IpcMode", ""},
      {"Cgroup", ""},
      {"Links", nullptr},
      {"OomScoreAdj", 0},
      {"PidMode", ""},
      {"Privileged", false},
      {"PublishAllPorts", false},
      {"ReadonlyRootfs", false},
      {"SecurityOpt", nullptr},
      {"StorageOpt", nullptr, true},
      {"Tmpfs", nullptr, true},
      {"UTSMode", ""},
      {"UsernsMode", ""},
      {"ShmSize", 0},
      {"Sysctls", nullptr, true},
      {"Runtime", "", true},
      {"Isolation", ""},
      {"CpuShares", 0},
      {"Memory", 0},
      {"NanoCpus", 0},
      {"CgroupParent", ""},
      {"BlkioWeight", 0},
      {"BlkioWeightDevice", nullptr},
      {"BlkioDeviceReadBps", nullptr},
      {"BlkioDeviceWriteBps", nullptr},
      {"BlkioDeviceReadIOps", nullptr},
      {"BlkioDeviceWriteIOps", nullptr},
      {"CpuPeriod", 0},
      {"CpuQuota", 0},
      {"CpuRealtimePeriod", 0},
      {"CpuRealtimeRuntime", 0},
      {"CpusetCpus", ""},
      {"CpusetMems", ""},
      {"Devices", nullptr},
      {"DeviceCgroupRules", nullptr},
      {"DeviceRequests", nullptr},
      {"KernelMemory", 0, true},
      {"KernelMemoryTCP", 0, true},
      {"MemoryReservation", 0},
      {"MemorySwap", 0},
      {"MemorySwappiness", nullptr},
      {"OomKillDisable", nullptr},
      {"PidsLimit", nullptr},
      {"Ulimits", nullptr},
      {"CpuCount", 0},
      {"CpuPercent", 0},
      {"IOMaximumIOps", 0},
      {"IOMaximumBandwidth", 0},
      {"Mounts", nullptr, true},
      {"MaskedPaths", nullptr},
      {"ReadonlyPaths", nullptr},
      {"Init", nullptr, true},
  };
  return kFields;
}

bool is_empty(const Json& value) {
  if (value.is_null()) return true;
  if (value.is_string() || value.is_array() || value.is_object()) return value.empty();
  if (value.is_boolean()) return !value.get<bool>();
  if (value.is_number()) return value == 0;
  return false;
}

std::string default_cgroupns_mode(const Json& hc, const HostInfo& host) {
  bool v2 = host.cgroup_mode == CgroupMode::kV2;
  if (hc.value("Privileged", false) && !v2) return "host";
  if (!host.daemon.cgroupns_mode.empty()) return host.daemon.cgroupns_mode;
  return v2 ? "private" : "host";
}

}  // namespace

std::vector<std::string> docker_masked_paths() {
  return {"/proc/asound",
          "/proc/acpi",
          "/proc/kcore",
          "/proc/keys",
          "/proc/latency_stats",
          "/proc/timer_list",
          "/proc/timer_stats",
          "/proc/sched_debug",
          "/proc/scsi",
          "/sys/firmware",
          "/sys/devices/virtual/powercap"};
}

std::vector<std::string> docker_readonly_paths() {
  return {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"};
}

Result<Json> adapt_host_config(const Json& host_config, const HostInfo& host) {
  Json hc = host_config.is_object() ? host_config : Json::object();
  std::vector<std::string> ignored_warnings;
  TRY(check_resources(hc, host, false, &ignored_warnings));

  if (TRY(get_string(hc, "NetworkMode", kWhere)).empty()) hc["NetworkMode"] = "default";
  Json policy = field(hc, "RestartPolicy") ? hc["RestartPolicy"] : Json::object();
  if (policy.value("Name", "").empty()) policy["Name"] = "no";
  if (!policy.contains("MaximumRetryCount")) policy["MaximumRetryCount"] = 0;
  hc["RestartPolicy"] = policy;

  int64_t memory = TRY(get_int(hc, "Memory", kWhere));
  if (memory > 0 && TRY(get_int(hc, "MemorySwap", kWhere)) == 0) hc["MemorySwap"] = memory * 2;
  if (TRY(get_int(hc, "ShmSize", kWhere)) == 0) hc["ShmSize"] = host.daemon.shm_size;
  if (TRY(get_string(hc, "IpcMode", kWhere)).empty()) hc["IpcMode"] = host.daemon.ipc_mode;
  if (TRY(get_string(hc, "CgroupnsMode", kWhere)).empty()) {
    hc["CgroupnsMode"] = default_cgroupns_mode(hc, host);
  }
  if (!TRY(get_optional_bool(hc, "OomKillDisable", kWhere))) hc["OomKillDisable"] = false;

  auto security_opts = TRY(get_strings(hc, "SecurityOpt", kWhere));
  auto security = TRY(parse_security_opts(security_opts, host.daemon));
  bool privileged = TRY(get_bool(hc, "Privileged", kWhere));
  if (field(hc, "MaskedPaths") == nullptr && !privileged) {
    hc["MaskedPaths"] =
        security.unconfined_system_paths ? Json::array() : Json(docker_masked_paths());
  }
  if (field(hc, "ReadonlyPaths") == nullptr && !privileged) {
    hc["ReadonlyPaths"] =
        security.unconfined_system_paths ? Json::array() : Json(docker_readonly_paths());
  }

  Json out = Json::object();
  for (const FieldDefault& f : host_config_fields()) {
    const Json* value = field(hc, f.name);
    if (value != nullptr) {
      // Init is a *bool: omitempty drops only nil, so false stays.
      bool drop = f.omit_empty && is_empty(*value) && std::string_view(f.name) != "Init";
      if (!drop) out[f.name] = *value;
    } else if (!f.omit_empty) {
      out[f.name] = f.zero;
    }
  }
  return out;
}

}  // namespace berth::cspec
