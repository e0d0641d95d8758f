#include "net/port_publisher.h"

#include "base/scope_exit.h"
#include "base/strings.h"

namespace berth::net {

nft::PortRule PublishedPort::rule() const {
  return nft::PortRule{protocol, host_ip, host_port, container_ip, container_port};
}

Json PublishedPort::to_json() const {
  return Json{{"proto", std::string(protocol_name(protocol))},
              {"container_port", container_port},
              {"host_ip", host_ip.to_string()},
              {"host_port", host_port},
              {"container_ip", container_ip.to_string()}};
}

Result<PublishedPort> PublishedPort::from_json(const Json& json) {
  try {
    PublishedPort p;
    p.protocol = TRY(parse_protocol(json.at("proto").get<std::string>()));
    p.container_port = json.at("container_port").get<uint16_t>();
    p.host_ip = TRY(IpAddress::parse(json.at("host_ip").get<std::string>()));
    p.host_port = json.at("host_port").get<uint16_t>();
    p.container_ip = TRY(IpAddress::parse(json.at("container_ip").get<std::string>()));
    return p;
  } catch (const Json::exception& e) {
    return make_error(ErrorCode::kDataLoss, "published port: {}", e.what());
  }
}

void PortPublisher::release_locked(const std::vector<PublishedPort>& ports) {
  for (const auto& p : ports) allocator_.release(p.protocol, p.host_ip, p.host_port);
}

Result<std::vector<PublishedPort>> PortPublisher::publish(const std::string& container,
                                                          const std::vector<PortSpec>& specs,
                                                          std::optional<IpAddress> container_v4,
                                                          std::optional<IpAddress> container_v6) {
  std::lock_guard lock(mu_);
  if (published_.contains(container)) {
    return make_error(ErrorCode::kAlreadyExists, "ports of {} are already published", container);
  }
  std::vector<PublishedPort> done;
  auto undo = ScopeExit([&] { release_locked(done); });

  for (const auto& spec : specs) {
    std::vector<IpAddress> host_ips;
    if (spec.host_ip.empty()) {
      if (container_v4) host_ips.push_back(IpAddress::any(Family::kV4));
      if (container_v6) host_ips.push_back(IpAddress::any(Family::kV6));
    } else {
      auto host_ip = TRY(IpAddress::parse(spec.host_ip));
      if (host_ip.is_v6() && host_ip.is_loopback()) {
        // IPv6 has no route_localnet: ::1 cannot be forwarded to a container without a proxy.
        return make_error(ErrorCode::kInvalidArgument,
                          "cannot publish {} on [::1]: IPv6 loopback is not forwarded to "
                          "containers; publish on 127.0.0.1 or another address",
                          spec.port_key());
      }
      host_ips.push_back(host_ip);
    }
    uint16_t first_port = 0;  // what the first family got, tried first for the second
    for (const auto& host_ip : host_ips) {
      const auto& container_ip = host_ip.is_v4() ? container_v4 : container_v6;
      if (!container_ip) {
        return make_error(ErrorCode::kInvalidArgument,
                          "cannot publish {} on {}: the container has no {} address",
                          spec.port_key(), host_ip.to_string(), family_name(host_ip.family()));
      }
      std::optional<uint16_t> port;
      bool exact = spec.host_port_first != 0 && spec.host_port_first == spec.host_port_last;
      if (first_port != 0 && !exact) {
        auto same = allocator_.reserve(spec.protocol, host_ip, first_port, first_port);
        if (same.ok()) port = *same;
      }
      if (!port) {
        port = TRY(
            allocator_.reserve(spec.protocol, host_ip, spec.host_port_first, spec.host_port_last));
      }
      if (first_port == 0) first_port = *port;
      done.push_back({spec.protocol, spec.container_port, host_ip, *port, *container_ip});
    }
  }

  std::vector<nft::PortRule> rules;
  rules.reserve(done.size());
  for (const auto& p : done) rules.push_back(p.rule());
  TRY(firewall_.add_ports(container, rules));
  undo.dismiss();
  published_[container] = done;
  return done;
}

Status PortPublisher::unpublish(const std::string& container) {
  std::lock_guard lock(mu_);
  TRY(firewall_.remove_ports(container));
  auto it = published_.find(container);
  if (it == published_.end()) return ok_status();
  release_locked(it->second);
  published_.erase(it);
  return ok_status();
}

Status PortPublisher::restore(const std::string& container,
                              const std::vector<PublishedPort>& ports) {
  std::lock_guard lock(mu_);
  std::vector<std::string> lost;
  for (const auto& p : ports) {
    if (!allocator_.adopt(p.protocol, p.host_ip, p.host_port)) {
      lost.push_back(host_port_string(p.host_ip, p.host_port) + "/" +
                     std::string(protocol_name(p.protocol)));
    }
  }
  published_[container] = ports;
  if (!lost.empty()) {
    return make_error(ErrorCode::kConflict,
                      "ports of {} taken by another program while berthd was down: {}", container,
                      join(lost, ", "));
  }
  return ok_status();
}

std::map<std::string, std::vector<nft::PortRule>> PortPublisher::desired_rules() {
  std::lock_guard lock(mu_);
  std::map<std::string, std::vector<nft::PortRule>> out;
  for (const auto& [container, ports] : published_) {
    auto& rules = out[container];
    for (const auto& p : ports) rules.push_back(p.rule());
  }
  return out;
}

std::vector<PublishedPort> PortPublisher::published(const std::string& container) {
  std::lock_guard lock(mu_);
  auto it = published_.find(container);
  return it == published_.end() ? std::vector<PublishedPort>{} : it->second;
}

}  // namespace berth::net
