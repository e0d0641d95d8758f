// The network service's tables: networks, the sandboxes of running containers, and IPAM's
// state. Every change of a network or sandbox is written in one transaction together with
// the IPAM state it changed, so the database never names an address IPAM does not hold.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "daemon/network.h"
#include "daemon/sandbox.h"
#include "state/database.h"

namespace berth::daemon {

class NetworkStore {
 public:
  static Result<std::unique_ptr<NetworkStore>> open(state::Database& db);

  Result<std::vector<Network>> load_networks();
  Result<std::vector<Sandbox>> load_sandboxes();
  // IPAM's to_json(), or null on the first run.
  Result<Json> load_ipam();

  Status put_network(const Network& network, const Json& ipam);
  Status delete_network(const std::string& id, const Json& ipam);
  Status put_sandbox(const Sandbox& sandbox, const Json& ipam);
  Status delete_sandbox(const std::string& container_id, const Json& ipam);

 private:
  explicit NetworkStore(state::Database& db) : db_(db) {}
  Status save_ipam(state::Session& session, const Json& ipam);

  state::Database& db_;
};

}  // namespace berth::daemon
