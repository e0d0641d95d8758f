// go-connections/nat's port specs as `-p` and `--expose` use them.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"

namespace berth::cli {

struct PortBinding {
  std::string host_ip;
  std::string host_port;
};

struct PortSpecs {
  std::set<std::string> exposed;                               // "80/tcp"
  std::map<std::string, std::vector<PortBinding>> bindings;  // "80/tcp" → host bindings
};

// nat.ParsePortRange: "80" or "8000-8010".
Result<std::pair<uint64_t, uint64_t>> parse_port_range(std::string_view ports);
// nat.SplitProtoPort: ("tcp", "80") for "80".
std::pair<std::string, std::string> split_proto_port(std::string_view raw);
// docker's convertToStandardNotation (long syntax "published=8080,target=80") then
// nat.ParsePortSpecs.
Result<PortSpecs> parse_port_specs(const std::vector<std::string>& publish);
// --expose values merged into `specs.exposed`.
Status add_exposed_ports(PortSpecs& specs, const std::vector<std::string>& expose);

}  // namespace berth::cli
