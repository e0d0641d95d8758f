#include "cli/opts/network_attach.h"

#include <regex>

#include <fmt/format.h>

#include "base/strings.h"
#include "cli/opts/csv.h"

namespace berth::cli {

bool is_user_defined_network(std::string_view mode) {
  return !(mode == "default" || mode == "bridge" || mode == "host" || mode == "none" ||
           mode.starts_with("container:"));
}

std::string network_mode(const std::vector<NetworkAttachment>& networks) {
  return networks.empty() ? "default" : networks[0].target;
}

Result<NetworkAttachment> parse_network_attachment(std::string_view value) {
  static const std::regex kLong(R"(\w+=\w+(,\w+=\w+)*)");
  std::string text(value);
  NetworkAttachment n;
  if (!std::regex_search(text, kLong)) {
    n.target = text;
    return n;
  }
  auto invalid = [](std::string m) { return Error(ErrorCode::kInvalidArgument, std::move(m)); };
  std::vector<std::string> fields = TRY(parse_csv_record(text));
  n.aliases_set = true;
  for (const auto& field : fields) {
    std::string lower = to_lower(field);
    bool ok = false;
    auto [k, v] = split_once(lower, '=', &ok);
    if (!ok || k.empty()) return invalid(fmt::format("invalid field {}", field));
    std::string key(trim(k));
    std::string val(trim(v));
    if (key == "name") {
      n.target = val;
    } else if (key == "alias") {
      n.aliases.push_back(val);
    } else if (key == "ip") {
      n.ipv4 = val;
    } else if (key == "ip6") {
      n.ipv6 = val;
    } else if (key == "mac-address") {
      n.mac_address = val;
    } else if (key == "link-local-ip") {
      n.link_local_ips.push_back(val);
    } else if (key == "driver-opt") {
      bool has = false;
      auto [dk, dv] = split_once(val, '=', &has);
      if (!has || dk.empty()) return invalid("invalid key value pair format in driver options");
      n.driver_opts[std::string(trim(dk))] = std::string(trim(dv));
    } else if (key == "gw-priority") {
      auto p = parse_int64(val);
      if (!p.ok()) {
        return invalid(fmt::format("invalid gw-priority ({}): invalid syntax", val));
      }
      n.gw_priority = *p;
    } else {
      return invalid("invalid field key " + key);
    }
  }
  if (n.target.empty()) return invalid("network name/id is not specified");
  return n;
}

}  // namespace berth::cli
