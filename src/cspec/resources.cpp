#include "cspec/resources.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cerrno>
#include <cstring>

#include "cspec/docker_json.h"

namespace berth::cspec {
namespace {

constexpr std::string_view kWhere = "HostConfig";
constexpr uint64_t kNanoCpuPeriod = 100000;  // 100ms in microseconds

struct DeviceNumbers {
  int64_t major = 0;
  int64_t minor = 0;
};

Result<DeviceNumbers> device_numbers(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return make_error(ErrorCode::kInvalidArgument, "stat {}: {}", path, std::strerror(errno));
  }
  return DeviceNumbers{static_cast<int64_t>(major(st.st_rdev)),
                       static_cast<int64_t>(minor(st.st_rdev))};
}

const Json* list_field(const Json& host_config, std::string_view key) {
  const Json* list = field(host_config, key);
  return list != nullptr && list->is_array() ? list : nullptr;
}

Result<std::vector<oci::ThrottleDevice>> throttle_devices(const Json& host_config,
                                                          std::string_view key) {
  std::vector<oci::ThrottleDevice> out;
  const Json* list = list_field(host_config, key);
  if (list == nullptr) return out;
  for (const Json& item : *list) {
    std::string path = TRY(get_string(item, "Path", "ThrottleDevice"));
    int64_t rate = TRY(get_int(item, "Rate", "ThrottleDevice"));
    DeviceNumbers numbers = TRY(device_numbers(path));
    oci::ThrottleDevice device;
    device.major = numbers.major;
    device.minor = numbers.minor;
    device.rate = static_cast<uint64_t>(rate);
    out.push_back(device);
  }
  return out;
}

Result<std::optional<oci::MemoryResources>> memory(const Json& hc) {
  oci::MemoryResources out;
  int64_t limit = TRY(get_int(hc, "Memory", kWhere));
  int64_t reservation = TRY(get_int(hc, "MemoryReservation", kWhere));
  int64_t swap = TRY(get_int(hc, "MemorySwap", kWhere));
  auto swappiness = TRY(get_optional_int(hc, "MemorySwappiness", kWhere));
  auto oom_kill_disable = TRY(get_optional_bool(hc, "OomKillDisable", kWhere));
  int64_t kernel_tcp = TRY(get_int(hc, "KernelMemoryTCP", kWhere));
  if (limit > 0) out.limit = limit;
  if (reservation > 0) out.reservation = reservation;
  if (swap > 0) out.swap = swap;
  if (swappiness && *swappiness >= 0) out.swappiness = static_cast<uint64_t>(*swappiness);
  if (oom_kill_disable) out.disable_oom_killer = *oom_kill_disable;
  if (kernel_tcp != 0) out.kernel_tcp = kernel_tcp;
  if (out == oci::MemoryResources{}) return std::optional<oci::MemoryResources>();
  return std::optional<oci::MemoryResources>(out);
}

Result<std::optional<oci::CpuResources>> cpu(const Json& hc) {
  oci::CpuResources out;
  int64_t shares = TRY(get_int(hc, "CpuShares", kWhere));
  if (shares < 0) return make_error(ErrorCode::kInvalidArgument, "shares: invalid argument");
  if (shares > 0) out.shares = static_cast<uint64_t>(shares);
  out.cpus = TRY(get_string(hc, "CpusetCpus", kWhere));
  out.mems = TRY(get_string(hc, "CpusetMems", kWhere));
  int64_t nano_cpus = TRY(get_int(hc, "NanoCpus", kWhere));
  if (nano_cpus > 0) {
    out.period = kNanoCpuPeriod;
    out.quota = nano_cpus * static_cast<int64_t>(kNanoCpuPeriod) / 1'000'000'000;
  }
  int64_t period = TRY(get_int(hc, "CpuPeriod", kWhere));
  if (period != 0) out.period = static_cast<uint64_t>(period);
  int64_t quota = TRY(get_int(hc, "CpuQuota", kWhere));
  if (quota != 0) out.quota = quota;
  int64_t rt_period = TRY(get_int(hc, "CpuRealtimePeriod", kWhere));
  if (rt_period != 0) out.realtime_period = static_cast<uint64_t>(rt_period);
  int64_t rt_runtime = TRY(get_int(hc, "CpuRealtimeRuntime", kWhere));
  if (rt_runtime != 0) out.realtime_runtime = rt_runtime;
  if (out == oci::CpuResources{}) return std::optional<oci::CpuResources>();
  return std::optional<oci::CpuResources>(out);
}

Result<oci::BlockIoResources> block_io(const Json& hc) {
  oci::BlockIoResources out;
  int64_t weight = TRY(get_int(hc, "BlkioWeight", kWhere));
  if (weight != 0) out.weight = static_cast<uint16_t>(weight);
  if (const Json* list = list_field(hc, "BlkioWeightDevice")) {
    for (const Json& item : *list) {
      std::string path = TRY(get_string(item, "Path", "WeightDevice"));
      int64_t device_weight = TRY(get_int(item, "Weight", "WeightDevice"));
      DeviceNumbers numbers = TRY(device_numbers(path));
      oci::WeightDevice device;
      device.major = numbers.major;
      device.minor = numbers.minor;
      device.weight = static_cast<uint16_t>(device_weight);
      out.weight_device.push_back(device);
    }
  }
  out.throttle_read_bps_device = TRY(throttle_devices(hc, "BlkioDeviceReadBps"));
  out.throttle_write_bps_device = TRY(throttle_devices(hc, "BlkioDeviceWriteBps"));
  out.throttle_read_iops_device = TRY(throttle_devices(hc, "BlkioDeviceReadIOps"));
  out.throttle_write_iops_device = TRY(throttle_devices(hc, "BlkioDeviceWriteIOps"));
  return out;
}

}  // namespace

Result<oci::Resources> container_resources(const Json& host_config) {
  oci::Resources out;
  out.memory = TRY(memory(host_config));
  out.cpu = TRY(cpu(host_config));
  out.block_io = TRY(block_io(host_config));
  auto pids_limit = TRY(get_optional_int(host_config, "PidsLimit", kWhere));
  if (pids_limit) {
    oci::PidsResources pids;
    pids.limit = *pids_limit <= 0 ? -1 : *pids_limit;
    out.pids = pids;
  }
  return out;
}

}  // namespace berth::cspec
