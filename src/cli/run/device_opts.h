// docker's device-related option values: --device, --gpus, --blkio-weight-device,
// --device-{read,write}-{bps,iops}, and --cpus (opts.NanoCPUs).
#pragma once

#include <string>
#include <string_view>

#include "base/json.h"
#include "base/result.h"

namespace berth::cli {

Result<OrderedJson> parse_gpu_request(std::string_view value);
Result<OrderedJson> parse_weight_device(std::string_view value);
Result<OrderedJson> parse_throttle_bps_device(std::string_view value);
Result<OrderedJson> parse_throttle_iops_device(std::string_view value);

// opts.ParseCPUs: a rational number of CPUs as nano-CPUs; "value is too precise" beyond 1e-9.
Result<int64_t> parse_cpus(std::string_view value);
// big.Rat(nanos, 1e9).FloatString(3).
std::string cpus_string(int64_t nanos);

// CDI device names ("vendor.com/class=name") go to DeviceRequests, not Devices.
bool is_cdi_device_name(std::string_view device);
// validateDevice + parseLinuxDevice: {PathOnHost, PathInContainer, CgroupPermissions}.
Result<OrderedJson> parse_linux_device(std::string_view device);

}  // namespace berth::cli
