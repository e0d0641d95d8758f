// Berth's firewall on the kernel: the rules of net/nft/ruleset.h applied through libnftables,
// each operation one nft transaction (it applies completely or not at all). Thread-safe.
//
// The daemon calls
//   ensure()                    at start-up, before anything else (creates the tables);
//   add_network/remove_network  when a bridge network is created/removed;
//   add_ports/remove_ports      when a container with published ports starts/stops;
//   reconcile(...)              at start-up with what its database says should exist: stale
//                               networks and ports (of containers gone while it was down) are
//                               removed, missing ones added;
//   destroy()                   not in normal operation (tests, an explicit cleanup).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/result.h"
#include "net/nft/firewall_state.h"
#include "net/nft/nft_context.h"
#include "net/nft/ruleset.h"

namespace berth::net::nft {

struct FirewallOptions {
  std::string table = "berth";  // tests use their own name so they never touch the daemon's
  bool ipv6 = true;             // manage `ip6 <table>` as well
};

struct ReconcileReport {
  std::vector<std::string> removed_networks;
  std::vector<std::string> removed_owners;  // containers whose every port rule was stale
  size_t ports_added = 0;
  size_t ports_removed = 0;
};

class Firewall {
 public:
  static Result<std::unique_ptr<Firewall>> open(FirewallOptions options = {});

  const FirewallOptions& options() const { return options_; }

  Status ensure();
  Status destroy();

  // Idempotent: rewrites the network's chains when it exists.
  Status add_network(const NetworkRules& network);
  // Idempotent: no error when the network has no rules.
  Status remove_network(const std::string& bridge);

  // Adds all of `rules` or none. `owner` is the container id.
  Status add_ports(const std::string& owner, const std::vector<PortRule>& rules);
  // Removes every port rule of `owner`, in one transaction. No error when it has none.
  Status remove_ports(const std::string& owner);

  Result<FirewallState> state();
  Result<ReconcileReport> reconcile(const std::vector<NetworkRules>& networks,
                                    const std::map<std::string, std::vector<PortRule>>& ports);

 private:
  Firewall(NftContext ctx, FirewallOptions options)
      : ctx_(std::move(ctx)), options_(std::move(options)) {}
  std::vector<TableFamily> families() const;
  Result<FirewallState> state_locked();
  std::string remove_network_script(const std::string& bridge) const;

  std::mutex mu_;
  NftContext ctx_;
  FirewallOptions options_;
};

}  // namespace berth::net::nft
