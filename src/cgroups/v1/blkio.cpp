// cgroup v1 blkio: proportional weights (CFQ or BFQ) and throttling; I/O statistics.
#include <fmt/format.h>

#include "base/strings.h"
#include "cgroups/cgroup_file.h"
#include "cgroups/v1/controllers.h"

namespace berth::cgroups::v1 {

namespace {

Status write_throttles(const std::string& dir, const char* name,
                       const std::vector<oci::ThrottleDevice>& devices) {
  for (const auto& device : devices) {
    TRY(write_cgroup_file(dir, name,
                          fmt::format("{}:{} {}", device.major, device.minor, device.rate)));
  }
  return {};
}

// "8:0 Read 4096", "8:0 4096" (no operation: time, sectors); "Total 4096" sums are skipped.
Result<std::vector<BlkioEntry>> read_blkio_entries(const std::string& dir,
                                                   const std::string& name) {
  std::vector<BlkioEntry> entries;
  if (!cgroup_file_exists(dir, name)) return entries;
  auto text = TRY(read_cgroup_file(dir, name));
  for (const auto& line : split(text, '\n')) {
    std::vector<std::string> fields;
    for (auto& field : split(line, ' ')) {
      if (!field.empty()) fields.push_back(field);
    }
    if (fields.size() < 2 || fields[0] == "Total") continue;
    bool found = false;
    auto [major, minor] = split_once(fields[0], ':', &found);
    if (!found) continue;
    BlkioEntry entry;
    entry.major = TRY(parse_uint64(major));
    entry.minor = TRY(parse_uint64(minor));
    if (fields.size() == 3) entry.op = fields[1];
    entry.value = TRY(parse_uint64(fields.back()));
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace

Status set_blkio(const std::string& dir, const oci::BlockIoResources& block_io) {
  // Kernels without CFQ (5.0+) offer only BFQ's files, and only when BFQ is loaded.
  bool cfq = cgroup_file_exists(dir, "blkio.weight");
  const char* weight_file = cfq ? "blkio.weight" : "blkio.bfq.weight";
  const char* weight_device_file = cfq ? "blkio.weight_device" : "blkio.bfq.weight_device";
  if (block_io.weight.value_or(0) != 0)
    TRY(write_cgroup_file(dir, weight_file, std::to_string(*block_io.weight)));
  if (block_io.leaf_weight.value_or(0) != 0)
    TRY(write_cgroup_file(dir, "blkio.leaf_weight", std::to_string(*block_io.leaf_weight)));
  for (const auto& device : block_io.weight_device) {
    if (device.weight.value_or(0) != 0) {
      TRY(write_cgroup_file(dir, weight_device_file,
                            fmt::format("{}:{} {}", device.major, device.minor, *device.weight)));
    }
    if (device.leaf_weight.value_or(0) != 0) {
      TRY(write_cgroup_file(
          dir, "blkio.leaf_weight_device",
          fmt::format("{}:{} {}", device.major, device.minor, *device.leaf_weight)));
    }
  }
  TRY(write_throttles(dir, "blkio.throttle.read_bps_device", block_io.throttle_read_bps_device));
  TRY(write_throttles(dir, "blkio.throttle.write_bps_device", block_io.throttle_write_bps_device));
  TRY(write_throttles(dir, "blkio.throttle.read_iops_device", block_io.throttle_read_iops_device));
  TRY(write_throttles(dir, "blkio.throttle.write_iops_device",
                      block_io.throttle_write_iops_device));
  return {};
}

Status stat_blkio(const std::string& dir, Stats& stats) {
  BlkioStats& blkio = stats.blkio;
  // Scheduler statistics when CFQ or BFQ keeps them, else the throttling layer's.
  std::string prefix = "blkio.throttle.";
  if (cgroup_file_exists(dir, "blkio.io_service_bytes_recursive")) {
    prefix = "blkio.";
  } else if (cgroup_file_exists(dir, "blkio.bfq.io_service_bytes_recursive")) {
    prefix = "blkio.bfq.";
  }
  blkio.io_service_bytes_recursive =
      TRY(read_blkio_entries(dir, prefix + "io_service_bytes_recursive"));
  blkio.io_serviced_recursive = TRY(read_blkio_entries(dir, prefix + "io_serviced_recursive"));
  if (prefix == "blkio.") {
    blkio.io_queued_recursive = TRY(read_blkio_entries(dir, "blkio.io_queued_recursive"));
    blkio.io_service_time_recursive =
        TRY(read_blkio_entries(dir, "blkio.io_service_time_recursive"));
    blkio.io_wait_time_recursive = TRY(read_blkio_entries(dir, "blkio.io_wait_time_recursive"));
    blkio.io_merged_recursive = TRY(read_blkio_entries(dir, "blkio.io_merged_recursive"));
    blkio.io_time_recursive = TRY(read_blkio_entries(dir, "blkio.time_recursive"));
    blkio.sectors_recursive = TRY(read_blkio_entries(dir, "blkio.sectors_recursive"));
  }
  return {};
}

}  // namespace berth::cgroups::v1
