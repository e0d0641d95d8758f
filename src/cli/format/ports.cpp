#include "cli/format/ports.h"

#include <algorithm>
#include <map>
#include <vector>

#include <fmt/format.h>

namespace berth::cli {
namespace {

struct Port {
  std::string ip;
  int private_port = 0;
  int public_port = 0;
  std::string type;
};

struct Group {
  int first;
  int last;
};

std::string form_group(const std::string& key, int start, int last) {
  std::string ip;
  std::string type = key;
  if (size_t slash = key.find('/'); slash != std::string::npos) {
    // docker splits the key on "/" and takes parts[0] and parts[1]; an IPv6 key has no "/".
    ip = key.substr(0, slash);
    type = key.substr(slash + 1);
    if (size_t more = type.find('/'); more != std::string::npos) type = type.substr(0, more);
  }
  std::string group = std::to_string(start);
  if (start != last) group += "-" + std::to_string(last);
  if (!ip.empty()) group = join_host_port(ip, group) + "->" + group;
  return group + "/" + type;
}

}  // namespace

std::string join_host_port(const std::string& host, const std::string& port) {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + port;
  return host + ":" + port;
}

std::string displayable_ports(const Json& json) {
  std::vector<Port> ports;
  if (json.is_array()) {
    for (const auto& p : json) {
      Port port;
      port.ip = p.value("IP", "");
      port.private_port = p.value("PrivatePort", 0);
      port.public_port = p.value("PublicPort", 0);
      port.type = p.value("Type", "");
      ports.push_back(std::move(port));
    }
  }
  std::sort(ports.begin(), ports.end(), [](const Port& a, const Port& b) {
    if (a.private_port != b.private_port) return a.private_port < b.private_port;
    if (a.ip != b.ip) return a.ip < b.ip;
    if (a.public_port != b.public_port) return a.public_port < b.public_port;
    return a.type < b.type;
  });
  std::map<std::string, Group> groups;
  std::vector<std::string> keys;
  std::vector<std::string> result;
  std::vector<std::string> host_mappings;
  for (const Port& port : ports) {
    int current = port.private_port;
    std::string key = port.type;
    if (!port.ip.empty()) {
      if (port.public_port != current) {
        host_mappings.push_back(fmt::format("{}->{}/{}",
                                            join_host_port(port.ip, std::to_string(port.public_port)),
                                            port.private_port, port.type));
        continue;
      }
      key = port.ip + "/" + port.type;
    }
    auto it = groups.find(key);
    if (it == groups.end()) {
      groups[key] = {current, current};
      keys.push_back(key);
      continue;
    }
    if (current == it->second.last + 1) {
      it->second.last = current;
      continue;
    }
    result.push_back(form_group(key, it->second.first, it->second.last));
    it->second = {current, current};
  }
  for (const auto& key : keys) {
    result.push_back(form_group(key, groups[key].first, groups[key].last));
  }
  result.insert(result.end(), host_mappings.begin(), host_mappings.end());
  std::string out;
  for (size_t i = 0; i < result.size(); ++i) {
    if (i) out += ", ";
    out += result[i];
  }
  return out;
}

}  // namespace berth::cli
