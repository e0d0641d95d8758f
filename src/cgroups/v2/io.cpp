// cgroup v2 io: weights (BFQ's io.bfq.weight when BFQ is in use, else io.weight) and io.max.
#include <algorithm>
#include <iterator>

#include <fmt/format.h>

#include "base/log.h"
#include "base/strings.h"
#include "cgroups/cgroup_file.h"
#include "cgroups/conversions.h"
#include "cgroups/v2/controllers.h"

namespace berth::cgroups::v2 {

namespace {

Status write_limits(const std::string& dir, const char* key,
                    const std::vector<oci::ThrottleDevice>& devices) {
  for (const auto& device : devices) {
    TRY(write_cgroup_file(
        dir, "io.max", fmt::format("{}:{} {}={}", device.major, device.minor, key, device.rate)));
  }
  return {};
}

// io.stat keys that have a cgroup v1 blkio column.
struct Column {
  std::string_view key;
  std::vector<BlkioEntry> BlkioStats::*table;
  const char* op;
};
constexpr Column kColumns[] = {
    {"rbytes", &BlkioStats::io_service_bytes_recursive, "Read"},
    {"wbytes", &BlkioStats::io_service_bytes_recursive, "Write"},
    {"rios", &BlkioStats::io_serviced_recursive, "Read"},
    {"wios", &BlkioStats::io_serviced_recursive, "Write"},
};

}  // namespace

Status set_io(const std::string& dir, const oci::BlockIoResources& b) {
  // BFQ takes blkio's 10..1000 scale as is; io.weight (1..10000) needs the conversion.
  bool bfq = cgroup_file_exists(dir, "io.bfq.weight");
  const char* weight_file = bfq ? "io.bfq.weight" : "io.weight";
  auto weight = [&](uint16_t value) {
    return bfq ? uint64_t{value} : blkio_weight_to_io_weight(value);
  };
  if (b.weight.value_or(0) != 0)
    TRY(write_cgroup_file(dir, weight_file, std::to_string(weight(*b.weight))));
  bool leaf = b.leaf_weight.value_or(0) != 0;
  for (const auto& device : b.weight_device) {
    leaf = leaf || device.leaf_weight.value_or(0) != 0;
    if (device.weight.value_or(0) == 0) continue;
    TRY(write_cgroup_file(
        dir, weight_file,
        fmt::format("{}:{} {}", device.major, device.minor, weight(*device.weight))));
  }
  if (leaf) log::warn("blockIO leafWeight is not supported on cgroup v2; ignored");
  TRY(write_limits(dir, "rbps", b.throttle_read_bps_device));
  TRY(write_limits(dir, "wbps", b.throttle_write_bps_device));
  TRY(write_limits(dir, "riops", b.throttle_read_iops_device));
  TRY(write_limits(dir, "wiops", b.throttle_write_iops_device));
  return {};
}

// io.stat: "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0", mapped onto v1's tables.
Status stat_io(const std::string& dir, Stats& stats) {
  auto text = TRY(read_cgroup_file(dir, "io.stat"));
  for (const auto& line : split(text, '\n')) {
    auto fields = split(std::string(trim(line)), ' ');
    bool found = false;
    auto [major, minor] = split_once(fields[0], ':', &found);
    if (!found) continue;
    uint64_t major_number = TRY(parse_uint64(major));
    uint64_t minor_number = TRY(parse_uint64(minor));
    for (size_t i = 1; i < fields.size(); ++i) {
      auto [key_part, value] = split_once(fields[i], '=');
      std::string_view key = key_part;
      auto column = std::find_if(std::begin(kColumns), std::end(kColumns),
                                 [&](const Column& c) { return c.key == key; });
      if (column == std::end(kColumns)) continue;  // discard counters have no v1 column
      (stats.blkio.*column->table)
          .push_back({major_number, minor_number, column->op, TRY(parse_uint64(value))});
    }
  }
  return {};
}

}  // namespace berth::cgroups::v2
