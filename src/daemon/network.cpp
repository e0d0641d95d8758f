#include "daemon/network.h"

namespace berth::daemon {
namespace {

Json pool_to_json(const IpamPoolConfig& p) {
  return {{"subnet", p.subnet}, {"ip_range", p.ip_range}, {"gateway", p.gateway},
          {"aux", p.aux_addresses}};
}

IpamPoolConfig pool_from_json(const Json& j) {
  IpamPoolConfig p;
  p.subnet = j.value("subnet", std::string());
  p.ip_range = j.value("ip_range", std::string());
  p.gateway = j.value("gateway", std::string());
  p.aux_addresses = j.value("aux", std::map<std::string, std::string>());
  return p;
}

}  // namespace

Json Network::to_record() const {
  Json pools = Json::array();
  for (const auto& p : ipam_config) pools.push_back(pool_to_json(p));
  return {{"id", id},
          {"name", name},
          {"driver", driver},
          {"created", created_ns},
          {"internal", internal},
          {"attachable", attachable},
          {"ipv6", enable_ipv6},
          {"ipam_driver", ipam_driver},
          {"ipam_options", ipam_options},
          {"ipam_config", pools},
          {"options", options},
          {"labels", labels},
          {"bridge", bridge},
          {"mtu", mtu},
          {"icc", icc},
          {"masquerade", masquerade},
          {"default_bridge", default_bridge}};
}

Result<Network> Network::from_record(const Json& j) {
  try {
    Network n;
    n.id = j.at("id").get<std::string>();
    n.name = j.at("name").get<std::string>();
    n.driver = j.value("driver", std::string("bridge"));
    n.created_ns = j.value("created", int64_t{0});
    n.internal = j.value("internal", false);
    n.attachable = j.value("attachable", false);
    n.enable_ipv6 = j.value("ipv6", false);
    n.ipam_driver = j.value("ipam_driver", std::string("default"));
    n.ipam_options = j.value("ipam_options", std::map<std::string, std::string>());
    if (j.contains("ipam_config")) {
      for (const auto& p : j["ipam_config"]) n.ipam_config.push_back(pool_from_json(p));
    }
    n.options = j.value("options", std::map<std::string, std::string>());
    n.labels = j.value("labels", std::map<std::string, std::string>());
    n.bridge = j.value("bridge", std::string());
    n.mtu = j.value("mtu", 0);
    n.icc = j.value("icc", true);
    n.masquerade = j.value("masquerade", true);
    n.default_bridge = j.value("default_bridge", false);
    return n;
  } catch (const Json::exception& e) {
    return make_error(ErrorCode::kDataLoss, "corrupt network record: {}", e.what());
  }
}

}  // namespace berth::daemon
