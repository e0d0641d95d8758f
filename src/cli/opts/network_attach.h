// docker's --network value (opts.NetworkOpt): a name, or the long syntax
// "name=x,alias=a,ip=...,driver-opt=k=v,gw-priority=n".
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace berth::cli {

struct NetworkAttachment {
  std::string target;
  std::vector<std::string> aliases;
  bool aliases_set = false;  // long syntax makes an empty, non-nil list
  std::map<std::string, std::string> driver_opts;
  std::vector<std::string> links;
  std::string ipv4;
  std::string ipv6;
  std::vector<std::string> link_local_ips;
  std::string mac_address;
  int64_t gw_priority = 0;
};

Result<NetworkAttachment> parse_network_attachment(std::string_view value);

// The network mode for HostConfig: the first --network, else "default".
std::string network_mode(const std::vector<NetworkAttachment>& networks);

// container.NetworkMode(x).IsUserDefined(): not default/bridge/host/none/container:.
bool is_user_defined_network(std::string_view mode);

}  // namespace berth::cli
