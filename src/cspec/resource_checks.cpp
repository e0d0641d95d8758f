#include "cspec/resource_checks.h"

#include <map>

#include "base/strings.h"
#include "cspec/docker_json.h"

namespace berth::cspec {
namespace {

constexpr std::string_view kWhere = "HostConfig";
constexpr int64_t kMinMemory = 6 * 1024 * 1024;

Error invalid(std::string message) {
  return Error(ErrorCode::kInvalidArgument, std::move(message));
}

// pkg/parsers' ParseUintList: "0-3,8" to a set; "" is empty.
Result<std::map<int64_t, bool>> parse_uint_list(const std::string& value, int64_t maximum) {
  std::map<int64_t, bool> out;
  if (value.empty()) return out;
  auto bad = [&value] { return invalid(fmt::format("invalid format: {}", value)); };
  auto number = [](std::string_view text) -> std::optional<int64_t> {
    if (text.empty() || text.front() == '+') return std::nullopt;
    auto parsed = parse_int64(text);
    if (!parsed.ok()) return std::nullopt;
    return *parsed;
  };
  for (const std::string& item : split(value, ',')) {
    bool range = false;
    auto [low_text, high_text] = split_once(item, '-', &range);
    auto low = number(low_text);
    auto high = range ? number(high_text) : low;
    if (!low || !high || *high < *low) return bad();
    if (maximum != 0 && *high > maximum) {
      return invalid(fmt::format("value of out range, maximum is {}", maximum));
    }
    if (*high - *low > 1'000'000) return bad();
    for (int64_t i = *low; i <= *high; ++i) out[i] = true;
  }
  return out;
}

// sysinfo's isCpusetListAvailable.
Result<bool> cpuset_available(const std::string& provided, const std::string& available) {
  auto parsed_available = TRY(parse_uint_list(available, 0));
  int64_t max_cpus = 8192;
  if (!parsed_available.empty()) max_cpus = std::max(max_cpus, parsed_available.rbegin()->first);
  auto parsed_provided = TRY(parse_uint_list(provided, max_cpus));
  for (const auto& [cpu, set] : parsed_provided) {
    if (!parsed_available.count(cpu)) return false;
  }
  return true;
}

bool has_list(const Json& hc, const char* key) {
  const Json* list = field(hc, key);
  return list != nullptr && list->is_array() && !list->empty();
}

Status check_memory(Json& hc, const HostInfo& host, bool update, std::vector<std::string>* warn) {
  const CgroupFeatures& f = host.cgroup;
  auto swappiness = TRY(get_optional_int(hc, "MemorySwappiness", kWhere));
  if (swappiness && *swappiness == -1) {
    hc["MemorySwappiness"] = nullptr;
    swappiness.reset();
  }
  int64_t memory = TRY(get_int(hc, "Memory", kWhere));
  int64_t swap = TRY(get_int(hc, "MemorySwap", kWhere));
  if (memory != 0 && memory < kMinMemory) return invalid("Minimum memory limit allowed is 6MB");
  if (memory > 0 && !f.memory_limit) {
    warn->push_back(
        "Your kernel does not support memory limit capabilities or the cgroup is not mounted. "
        "Limitation discarded.");
    hc["Memory"] = memory = 0;
    hc["MemorySwap"] = swap = -1;
  }
  if (memory > 0 && swap != -1 && !f.swap_limit) {
    warn->push_back(
        "Your kernel does not support swap limit capabilities or the cgroup is not mounted. "
        "Memory limited without swap.");
    hc["MemorySwap"] = swap = -1;
  }
  if (memory > 0 && swap > 0 && swap < memory) {
    return invalid("Minimum memoryswap limit should be larger than memory limit, see usage");
  }
  if (memory == 0 && swap > 0 && !update) {
    return invalid("You should always set the Memory limit when using Memoryswap limit, see usage");
  }
  if (swappiness && !f.memory_swappiness) {
    warn->push_back(
        "Your kernel does not support memory swappiness capabilities or the cgroup is not "
        "mounted. Memory swappiness discarded.");
    hc["MemorySwappiness"] = nullptr;
    swappiness.reset();
  }
  if (swappiness && (*swappiness < 0 || *swappiness > 100)) {
    return invalid(
        fmt::format("Invalid value: {}, valid memory swappiness range is 0-100", *swappiness));
  }
  int64_t reservation = TRY(get_int(hc, "MemoryReservation", kWhere));
  if (reservation > 0 && !f.memory_reservation) {
    warn->push_back(
        "Your kernel does not support memory soft limit capabilities or the cgroup is not "
        "mounted. Limitation discarded.");
    hc["MemoryReservation"] = reservation = 0;
  }
  if (reservation > 0 && reservation < kMinMemory) {
    return invalid("Minimum memory reservation allowed is 6MB");
  }
  if (memory > 0 && reservation > 0 && memory < reservation) {
    return invalid("Minimum memory limit can not be less than memory reservation limit, see usage");
  }
  // Kernel memory limits are gone from cgroup v2 and from kernels since 5.4; runc ignores them.
  if (TRY(get_int(hc, "KernelMemory", kWhere)) > 0) {
    warn->push_back(
        "Your kernel does not support kernel memory limit capabilities or the cgroup is not "
        "mounted. Limitation discarded.");
    hc["KernelMemory"] = 0;
  }
  if (TRY(get_int(hc, "KernelMemoryTCP", kWhere)) > 0 && !f.kernel_memory_tcp) {
    warn->push_back(
        "Your kernel does not support kernel memory TCP limit capabilities or the cgroup is not "
        "mounted. Limitation discarded.");
    hc["KernelMemoryTCP"] = 0;
  }
  auto oom_kill_disable = TRY(get_optional_bool(hc, "OomKillDisable", kWhere));
  if (oom_kill_disable && !f.oom_kill_disable) {
    if (*oom_kill_disable) {
      warn->push_back("Your kernel does not support OomKillDisable. OomKillDisable discarded.");
    }
    hc["OomKillDisable"] = nullptr;
    oom_kill_disable.reset();
  }
  if (oom_kill_disable && *oom_kill_disable && memory == 0) {
    warn->push_back(
        "OOM killer is disabled for the container, but no memory limit is set, this can result "
        "in the system running out of resources.");
  }
  auto pids = TRY(get_optional_int(hc, "PidsLimit", kWhere));
  if (pids && !f.pids_limit) {
    if (*pids > 0) {
      warn->push_back(
          "Your kernel does not support PIDs limit capabilities or the cgroup is not mounted. "
          "PIDs limit discarded.");
    }
    hc["PidsLimit"] = nullptr;
  }
  return {};
}

Status check_cpu(Json& hc, const HostInfo& host, std::vector<std::string>* warn) {
  const CgroupFeatures& f = host.cgroup;
  int64_t nano_cpus = TRY(get_int(hc, "NanoCpus", kWhere));
  int64_t period = TRY(get_int(hc, "CpuPeriod", kWhere));
  int64_t quota = TRY(get_int(hc, "CpuQuota", kWhere));
  if (nano_cpus > 0 && period > 0) {
    return invalid("Conflicting options: Nano CPUs and CPU Period cannot both be set");
  }
  if (nano_cpus > 0 && quota > 0) {
    return invalid("Conflicting options: Nano CPUs and CPU Quota cannot both be set");
  }
  if (nano_cpus > 0 && !f.cpu_cfs) {
    return invalid(
        "NanoCPUs can not be set, as your kernel does not support CPU CFS scheduler or the "
        "cgroup is not mounted");
  }
  if (nano_cpus != 0 && (nano_cpus < 0 || nano_cpus > int64_t{host.ncpu} * 1'000'000'000)) {
    return invalid(fmt::format(
        "range of CPUs is from 0.01 to {0}.00, as there are only {0} CPUs available", host.ncpu));
  }
  if (TRY(get_int(hc, "CpuShares", kWhere)) > 0 && !f.cpu_shares) {
    warn->push_back(
        "Your kernel does not support CPU shares or the cgroup is not mounted. Shares discarded.");
    hc["CpuShares"] = 0;
  }
  if ((period != 0 || quota != 0) && !f.cpu_cfs) {
    warn->push_back("Your kernel does not support CPU CFS scheduler. CPU period/quota discarded.");
    hc["CpuPeriod"] = period = 0;
    hc["CpuQuota"] = quota = 0;
  }
  if (period != 0 && (period < 1000 || period > 1000000)) {
    return invalid(
        "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
  }
  if (quota > 0 && quota < 1000) {
    return invalid("CPU cfs quota can not be less than 1ms (i.e. 1000)");
  }
  if (TRY(get_int(hc, "CpuPercent", kWhere)) > 0) {
    warn->push_back("linux does not support CPU percent. Percent discarded.");
    hc["CpuPercent"] = 0;
  }
  std::string cpus = TRY(get_string(hc, "CpusetCpus", kWhere));
  std::string mems = TRY(get_string(hc, "CpusetMems", kWhere));
  if ((!cpus.empty() || !mems.empty()) && !f.cpuset) {
    warn->push_back(
        "Your kernel does not support cpuset or the cgroup is not mounted. Cpuset discarded.");
    hc["CpusetCpus"] = cpus = "";
    hc["CpusetMems"] = mems = "";
  }
  auto cpus_ok = cpuset_available(cpus, host.cpuset_cpus);
  if (!cpus_ok.ok()) {
    return invalid(
        fmt::format("Invalid value {} for cpuset cpus: {}", cpus, cpus_ok.error().message()));
  }
  if (!*cpus_ok) {
    return invalid(fmt::format("Requested CPUs are not available - requested {}, available: {}",
                               cpus, host.cpuset_cpus));
  }
  auto mems_ok = cpuset_available(mems, host.cpuset_mems);
  if (!mems_ok.ok()) {
    return invalid(
        fmt::format("Invalid value {} for cpuset mems: {}", mems, mems_ok.error().message()));
  }
  if (!*mems_ok) {
    return invalid(
        fmt::format("Requested memory nodes are not available - requested {}, available: {}", mems,
                    host.cpuset_mems));
  }
  return {};
}

Status check_block_io(Json& hc, const HostInfo& host, std::vector<std::string>* warn) {
  const CgroupFeatures& f = host.cgroup;
  int64_t weight = TRY(get_int(hc, "BlkioWeight", kWhere));
  if (weight > 0 && !f.blkio_weight) {
    warn->push_back(
        "Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight "
        "discarded.");
    hc["BlkioWeight"] = weight = 0;
  }
  if (weight != 0 && (weight < 10 || weight > 1000)) {
    return invalid("Range of blkio weight is from 10 to 1000");
  }
  if (has_list(hc, "BlkioWeightDevice") && !f.blkio_weight_device) {
    warn->push_back(
        "Your kernel does not support Block I/O weight_device or the cgroup is not mounted. "
        "Weight-device discarded.");
    hc["BlkioWeightDevice"] = Json::array();
  }
  struct Throttle {
    const char* key;
    const char* warning;
  };
  constexpr Throttle kThrottles[] = {
      {"BlkioDeviceReadBps",
       "Your kernel does not support BPS Block I/O read limit or the cgroup is not mounted. "
       "Block I/O BPS read limit discarded."},
      {"BlkioDeviceWriteBps",
       "Your kernel does not support BPS Block I/O write limit or the cgroup is not mounted. "
       "Block I/O BPS write limit discarded."},
      {"BlkioDeviceReadIOps",
       "Your kernel does not support IOPS Block read limit or the cgroup is not mounted. Block "
       "I/O IOPS read limit discarded."},
      {"BlkioDeviceWriteIOps",
       "Your kernel does not support IOPS Block write limit or the cgroup is not mounted. Block "
       "I/O IOPS write limit discarded."},
  };
  for (const Throttle& throttle : kThrottles) {
    if (has_list(hc, throttle.key) && !f.blkio_throttle) {
      warn->push_back(throttle.warning);
      hc[throttle.key] = Json::array();
    }
  }
  return {};
}

}  // namespace

Status check_resources(Json& host_config, const HostInfo& host, bool update,
                       std::vector<std::string>* warnings) {
  Json& hc = host_config;
  if (TRY(get_int(hc, "IOMaximumBandwidth", kWhere)) != 0) {
    return invalid(
        "Invalid QoS settings: linux does not support configuration of maximum bandwidth");
  }
  if (TRY(get_int(hc, "IOMaximumIOps", kWhere)) != 0) {
    return invalid("Invalid QoS settings: linux does not support configuration of maximum IOPs");
  }
  int64_t rt_period = TRY(get_int(hc, "CpuRealtimePeriod", kWhere));
  int64_t rt_runtime = TRY(get_int(hc, "CpuRealtimeRuntime", kWhere));
  if ((rt_period != 0 || rt_runtime != 0) && !host.cgroup.cpu_realtime) {
    return invalid("Your kernel does not support CPU real-time scheduler");
  }
  if (rt_period != 0 && rt_runtime != 0 && rt_runtime > rt_period) {
    return invalid("cpu real-time runtime cannot be higher than cpu real-time period");
  }
  TRY(check_memory(hc, host, update, warnings));
  TRY(check_cpu(hc, host, warnings));
  TRY(check_block_io(hc, host, warnings));
  if (TRY(get_int(hc, "CpuShares", kWhere)) < 0) return invalid("shares: invalid argument");
  return {};
}

}  // namespace berth::cspec
