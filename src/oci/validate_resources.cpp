// Validation of linux.resources (config.json's, or the resources.json `update` takes).
#include <cctype>
#include <charconv>

#include "oci/runtime_spec_validate.h"
#include "oci/validate_internal.h"

namespace berth::oci {

namespace {

constexpr std::string_view kPrefix = "linux.resources";

std::string field_of(std::string_view rest) {
  return fmt::format("{}.{}", kPrefix, rest);
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) return false;
  }
  return true;
}

// A cpuset list as cpuset.cpus takes it: "0-3,8,10-11". Empty means "inherit".
bool is_cpu_list(std::string_view list) {
  if (list.empty()) return true;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    std::string_view item =
        list.substr(start, comma == std::string_view::npos ? list.npos : comma - start);
    size_t dash = item.find('-');
    if (dash == std::string_view::npos) {
      if (!all_digits(item)) return false;
    } else {
      std::string_view low = item.substr(0, dash);
      std::string_view high = item.substr(dash + 1);
      if (!all_digits(low) || !all_digits(high)) return false;
      uint64_t low_value = 0;
      uint64_t high_value = 0;
      if (std::from_chars(low.data(), low.data() + low.size(), low_value).ec != std::errc() ||
          std::from_chars(high.data(), high.data() + high.size(), high_value).ec != std::errc() ||
          low_value > high_value) {
        return false;
      }
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return true;
}

Status validate_device_rules(const std::vector<DeviceCgroupRule>& rules) {
  for (size_t i = 0; i < rules.size(); ++i) {
    const DeviceCgroupRule& rule = rules[i];
    std::string field = field_of(fmt::format("devices[{}]", i));
    if (!rule.type.empty() && rule.type != "a" && rule.type != "c" && rule.type != "b") {
      return invalid_field(field + ".type", "must be a, c or b, got {:?}", rule.type);
    }
    if (rule.access.find_first_not_of("rwm") != std::string::npos) {
      return invalid_field(field + ".access", "must be made of r, w and m, got {:?}", rule.access);
    }
    // -1 is runc's spelling of "any"; other negative numbers mean nothing.
    if (rule.major && *rule.major < -1) {
      return invalid_field(field + ".major", "must not be negative, got {}", *rule.major);
    }
    if (rule.minor && *rule.minor < -1) {
      return invalid_field(field + ".minor", "must not be negative, got {}", *rule.minor);
    }
  }
  return {};
}

// Memory values are byte counts or -1 for "unlimited".
Status check_memory_value(std::string_view name, const std::optional<int64_t>& value) {
  if (value && *value < -1) {
    return invalid_field(field_of(fmt::format("memory.{}", name)),
                         "must be -1 (unlimited) or a byte count, got {}", *value);
  }
  return {};
}

Status validate_memory(const MemoryResources& memory) {
  TRY(check_memory_value("limit", memory.limit));
  TRY(check_memory_value("reservation", memory.reservation));
  TRY(check_memory_value("swap", memory.swap));
  TRY(check_memory_value("kernel", memory.kernel));
  TRY(check_memory_value("kernelTCP", memory.kernel_tcp));
  // swap is memory+swap (cgroup v1's memsw), so it cannot be below the memory limit.
  // 0 leaves swap unset and -1 lifts its limit.
  if (memory.limit && memory.swap && *memory.limit > 0 && *memory.swap > 0 &&
      *memory.swap < *memory.limit) {
    return invalid_field(field_of("memory.swap"),
                         "memory+swap limit must be at least the memory limit");
  }
  if (memory.swappiness && *memory.swappiness > 100) {
    return invalid_field(field_of("memory.swappiness"), "must be between 0 and 100, got {}",
                         *memory.swappiness);
  }
  return {};
}

Status validate_cpu(const CpuResources& cpu) {
  if (cpu.period && *cpu.period == 0) {
    return invalid_field(field_of("cpu.period"), "must be greater than zero");
  }
  if (cpu.quota && *cpu.quota < -1) {
    return invalid_field(field_of("cpu.quota"), "must be -1 (unlimited) or positive, got {}",
                         *cpu.quota);
  }
  if (cpu.burst && cpu.quota && *cpu.quota > 0 && *cpu.burst > static_cast<uint64_t>(*cpu.quota)) {
    return invalid_field(field_of("cpu.burst"), "{} exceeds the quota {}", *cpu.burst, *cpu.quota);
  }
  if (cpu.idle && *cpu.idle != 0 && *cpu.idle != 1) {
    return invalid_field(field_of("cpu.idle"), "must be 0 or 1, got {}", *cpu.idle);
  }
  if (!is_cpu_list(cpu.cpus)) {
    return invalid_field(field_of("cpu.cpus"), "not a CPU list like \"0-3,8\": {:?}", cpu.cpus);
  }
  if (!is_cpu_list(cpu.mems)) {
    return invalid_field(field_of("cpu.mems"), "not a memory node list like \"0-1\": {:?}",
                         cpu.mems);
  }
  return {};
}

Status check_block_device(std::string_view field, int64_t major, int64_t minor) {
  if (major < 0) return invalid_field(fmt::format("{}.major", field), "must not be negative");
  if (minor < 0) return invalid_field(fmt::format("{}.minor", field), "must not be negative");
  return {};
}

Status check_throttles(std::string_view name, const std::vector<ThrottleDevice>& devices) {
  for (size_t i = 0; i < devices.size(); ++i) {
    TRY(check_block_device(field_of(fmt::format("blockIO.{}[{}]", name, i)), devices[i].major,
                           devices[i].minor));
  }
  return {};
}

Status validate_block_io(const BlockIoResources& block_io) {
  for (size_t i = 0; i < block_io.weight_device.size(); ++i) {
    const WeightDevice& device = block_io.weight_device[i];
    std::string field = field_of(fmt::format("blockIO.weightDevice[{}]", i));
    TRY(check_block_device(field, device.major, device.minor));
    if (!device.weight && !device.leaf_weight) {
      return invalid_field(field, "needs weight or leafWeight");
    }
  }
  TRY(check_throttles("throttleReadBpsDevice", block_io.throttle_read_bps_device));
  TRY(check_throttles("throttleWriteBpsDevice", block_io.throttle_write_bps_device));
  TRY(check_throttles("throttleReadIOPSDevice", block_io.throttle_read_iops_device));
  TRY(check_throttles("throttleWriteIOPSDevice", block_io.throttle_write_iops_device));
  return {};
}

// "<size><K|M|G>B" with no leading zero: the suffix of the hugetlb.<size>.* files.
bool is_page_size(std::string_view size) {
  if (size.size() < 3 || size.back() != 'B') return false;
  char unit = size[size.size() - 2];
  if (unit != 'K' && unit != 'M' && unit != 'G') return false;
  std::string_view number = size.substr(0, size.size() - 2);
  return all_digits(number) && number.front() != '0';
}

Status validate_hugepages(const std::vector<HugepageLimit>& limits) {
  for (size_t i = 0; i < limits.size(); ++i) {
    if (!is_page_size(limits[i].page_size)) {
      return invalid_field(field_of(fmt::format("hugepageLimits[{}].pageSize", i)),
                           "must look like 2MB or 1GB, got {:?}", limits[i].page_size);
    }
  }
  return {};
}

Status validate_network(const NetworkResources& network) {
  for (size_t i = 0; i < network.priorities.size(); ++i) {
    if (network.priorities[i].name.empty()) {
      return invalid_field(field_of(fmt::format("network.priorities[{}].name", i)), "required");
    }
  }
  return {};
}

// Keys name files in the container's cgroup directory: they must not climb out of it, and the
// files that move processes belong to the runtime.
Status validate_unified(const std::map<std::string, std::string>& unified) {
  for (const auto& [key, value] : unified) {
    std::string field = field_of(fmt::format("unified.{}", key));
    size_t dot = key.find('.');
    if (key.find('/') != std::string::npos || dot == std::string::npos || dot == 0 ||
        dot + 1 == key.size()) {
      return invalid_field(field, "must be a cgroup v2 file name like \"memory.max\"");
    }
    if (key == "cgroup.procs" || key == "cgroup.threads") {
      return invalid_field(field, "is managed by the runtime");
    }
  }
  return {};
}

Status validate_rdma(const std::map<std::string, RdmaLimit>& rdma) {
  for (const auto& [device, limit] : rdma) {
    if (!limit.hca_handles && !limit.hca_objects) {
      return invalid_field(field_of(fmt::format("rdma.{}", device)),
                           "needs hcaHandles or hcaObjects");
    }
  }
  return {};
}

}  // namespace

Status validate_resources(const Resources& resources) {
  TRY(validate_device_rules(resources.devices));
  if (resources.memory) TRY(validate_memory(*resources.memory));
  if (resources.cpu) TRY(validate_cpu(*resources.cpu));
  if (resources.block_io) TRY(validate_block_io(*resources.block_io));
  TRY(validate_hugepages(resources.hugepage_limits));
  if (resources.network) TRY(validate_network(*resources.network));
  TRY(validate_unified(resources.unified));
  TRY(validate_rdma(resources.rdma));
  return {};
}

}  // namespace berth::oci
