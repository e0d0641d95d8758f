#include "net/nft/firewall.h"

#include <algorithm>

#include "base/log.h"

namespace berth::net::nft {

Result<std::unique_ptr<Firewall>> Firewall::open(FirewallOptions options) {
  auto ctx = TRY(NftContext::create());
  return std::unique_ptr<Firewall>(new Firewall(std::move(ctx), std::move(options)));
}

std::vector<TableFamily> Firewall::families() const {
  if (options_.ipv6) return {TableFamily::kIp, TableFamily::kIp6};
  return {TableFamily::kIp};
}

Status Firewall::ensure() {
  std::lock_guard lock(mu_);
  std::string script;
  for (auto f : families()) script += ensure_table_commands(f, options_.table);
  Status status = ctx_.run(script);
  if (status.ok() || status.error().code() == ErrorCode::kPermissionDenied) {
    TRY_CTX(std::move(status), "create nft table " + options_.table);
    return ok_status();
  }
  // The tables exist in a shape this version does not expect (a set of another type, from
  // an older Berth): start them afresh. reconcile() puts the networks and ports back; flows
  // already established keep their NAT in conntrack meanwhile.
  log::warn("nft table {} does not match this version ({}); recreating it", options_.table,
            status.error().to_string());
  std::string fresh;
  for (auto f : families()) {
    if (ctx_.list_json(fmt::format("list table {} {}", table_family_name(f), options_.table))
            .ok()) {
      fresh += delete_table_commands(f, options_.table);
    }
    fresh += ensure_table_commands(f, options_.table);
  }
  TRY_CTX(ctx_.run(fresh), "create nft table " + options_.table);
  return ok_status();
}

Status Firewall::destroy() {
  std::lock_guard lock(mu_);
  for (auto f : families()) {
    auto listing =
        ctx_.list_json(fmt::format("list table {} {}", table_family_name(f), options_.table));
    if (!listing.ok()) {
      if (listing.error().code() == ErrorCode::kNotFound) continue;
      return std::move(listing).error();
    }
    TRY(ctx_.run(delete_table_commands(f, options_.table)));
  }
  return ok_status();
}

std::string Firewall::remove_network_script(const std::string& bridge) const {
  // Creating what may be missing and deleting it all in the same transaction makes removal
  // idempotent without first asking what exists.
  NetworkRules minimal;
  minimal.bridge = bridge;
  std::string script;
  for (auto f : families()) {
    script += add_network_commands(f, options_.table, minimal);
    script += remove_network_commands(f, options_.table, bridge);
  }
  return script;
}

Status Firewall::add_network(const NetworkRules& network) {
  TRY(validate_bridge_name(network.bridge));
  std::lock_guard lock(mu_);
  std::string script;
  for (auto f : families()) script += add_network_commands(f, options_.table, network);
  TRY_CTX(ctx_.run(script), "add firewall rules for bridge " + network.bridge);
  return ok_status();
}

Status Firewall::remove_network(const std::string& bridge) {
  TRY(validate_bridge_name(bridge));
  std::lock_guard lock(mu_);
  TRY_CTX(ctx_.run(remove_network_script(bridge)), "remove firewall rules for bridge " + bridge);
  return ok_status();
}

Status Firewall::add_ports(const std::string& owner, const std::vector<PortRule>& rules) {
  TRY(validate_owner(owner));
  for (const auto& rule : rules) {
    if (rule.host_ip.family() != rule.container_ip.family()) {
      return make_error(ErrorCode::kInvalidArgument,
                        "port rule {}:{} -> {}:{}: host and container addresses differ in family",
                        rule.host_ip.to_string(), rule.host_port, rule.container_ip.to_string(),
                        rule.container_port);
    }
    if (rule.family() == Family::kV6 && !options_.ipv6) {
      return Error(ErrorCode::kFailedPrecondition, "IPv6 port rule, but IPv6 is not managed");
    }
  }
  if (rules.empty()) return ok_status();
  std::lock_guard lock(mu_);
  std::string script;
  for (auto f : families()) script += add_port_commands(f, options_.table, owner, rules);
  TRY_CTX(ctx_.run(script), "publish ports of " + owner);
  return ok_status();
}

Status Firewall::remove_ports(const std::string& owner) {
  std::lock_guard lock(mu_);
  auto state = TRY(state_locked());
  auto it = state.ports.find(owner);
  if (it == state.ports.end()) return ok_status();
  std::string script;
  for (auto f : families()) script += remove_port_commands(f, options_.table, it->second);
  TRY_CTX(ctx_.run(script), "unpublish ports of " + owner);
  return ok_status();
}

Result<FirewallState> Firewall::state() {
  std::lock_guard lock(mu_);
  return state_locked();
}

Result<FirewallState> Firewall::state_locked() {
  FirewallState state;
  for (auto f : families()) {
    auto listing =
        ctx_.list_json(fmt::format("list table {} {}", table_family_name(f), options_.table));
    if (!listing.ok()) {
      if (listing.error().code() == ErrorCode::kNotFound) continue;
      return std::move(listing).error();
    }
    TRY(parse_table_listing(*listing, &state));
  }
  return state;
}

Result<ReconcileReport> Firewall::reconcile(
    const std::vector<NetworkRules>& networks,
    const std::map<std::string, std::vector<PortRule>>& ports) {
  for (const auto& n : networks) TRY(validate_bridge_name(n.bridge));
  for (const auto& [owner, rules] : ports) TRY(validate_owner(owner));
  TRY(ensure());
  std::lock_guard lock(mu_);
  auto current = TRY(state_locked());
  ReconcileReport report;
  std::string removals;
  std::string additions;

  for (const auto& bridge : current.bridges) {
    bool wanted = std::any_of(networks.begin(), networks.end(),
                              [&](const NetworkRules& n) { return n.bridge == bridge; });
    if (!wanted) {
      removals += remove_network_script(bridge);
      report.removed_networks.push_back(bridge);
    }
  }
  for (const auto& n : networks) {
    for (auto f : families()) additions += add_network_commands(f, options_.table, n);
  }

  const std::vector<PortRule> no_rules;
  for (const auto& [owner, have] : current.ports) {
    auto want_it = ports.find(owner);
    const auto& want = want_it == ports.end() ? no_rules : want_it->second;
    std::vector<PortRule> stale;
    for (const auto& rule : have) {
      if (std::find(want.begin(), want.end(), rule) == want.end()) stale.push_back(rule);
    }
    if (stale.empty()) continue;
    for (auto f : families()) removals += remove_port_commands(f, options_.table, stale);
    report.ports_removed += stale.size();
    if (stale.size() == have.size()) report.removed_owners.push_back(owner);
  }
  for (const auto& [owner, want] : ports) {
    auto have_it = current.ports.find(owner);
    std::vector<PortRule> missing;
    for (const auto& rule : want) {
      bool present =
          have_it != current.ports.end() &&
          std::find(have_it->second.begin(), have_it->second.end(), rule) != have_it->second.end();
      if (!present) missing.push_back(rule);
    }
    if (missing.empty()) continue;
    for (auto f : families()) additions += add_port_commands(f, options_.table, owner, missing);
    report.ports_added += missing.size();
  }

  // Removals first: a port that moved to another container is deleted, then added anew.
  std::string script = removals + additions;
  if (!script.empty()) TRY_CTX(ctx_.run(script), "reconcile firewall");
  return report;
}

}  // namespace berth::net::nft
