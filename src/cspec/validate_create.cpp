#include "cspec/validate_create.h"

#include "cspec/devices.h"
#include "cspec/docker_json.h"
#include "cspec/mount_request.h"
#include "cspec/net_checks.h"
#include "cspec/resource_checks.h"
#include "cspec/security_opts.h"
#include "cspec/tmpfs_options.h"
#include "cspec/ulimits.h"

namespace berth::cspec {
namespace {

constexpr std::string_view kWhere = "HostConfig";

// What the docker CLI refuses before sending; checked here for other clients.
Status validate_client_side(const Json& hc) {
  for (const DeviceMapping& mapping : TRY(read_device_mappings(hc))) {
    TRY(validate_device_mapping(mapping));
  }
  for (const std::string& rule : TRY(get_strings(hc, "DeviceCgroupRules", kWhere))) {
    TRY(parse_device_cgroup_rule(rule));
  }
  TRY(validate_ulimits(hc));
  for (const auto& [destination, options] : TRY(get_string_map(hc, "Tmpfs", kWhere))) {
    TRY(tmpfs_mount_options(options));
  }
  for (const std::string& server : TRY(get_strings(hc, "Dns", kWhere))) {
    if (ip_family(server) == IpFamily::kNone) {
      return make_error(ErrorCode::kInvalidArgument, "IP address is not correctly formatted: {}",
                        server);
    }
  }
  TRY(get_string_map(hc, "Sysctls", kWhere));
  return {};
}

}  // namespace

Result<std::vector<std::string>> validate_create_request(const CreateRequest& request,
                                                         const HostInfo& host) {
  std::vector<std::string> warnings;
  Json hc = request.host_config.is_object() ? request.host_config : Json::object();
  TRY(validate_network_mode(request.config, hc));
  TRY(validate_container_config(request.config));
  TRY(validate_host_config(hc, host));
  TRY(check_resources(hc, host, false, &warnings));
  TRY(validate_platform_settings(hc, host, &warnings));
  TRY(validate_networking_config(request.networking_config));
  auto security_opts = TRY(get_strings(hc, "SecurityOpt", kWhere));
  TRY(parse_security_opts(security_opts, host.daemon));
  TRY(read_mount_requests(hc, host.daemon));
  TRY(validate_client_side(hc));
  return warnings;
}

Status validate_create_request(const Json& config, const Json& host_config, const HostInfo& host) {
  CreateRequest request;
  request.config = config;
  request.host_config = host_config.is_null() ? Json::object() : host_config;
  TRY(validate_create_request(request, host));
  return {};
}

}  // namespace berth::cspec
