// The network service: the net module's bridge networks, IPAM, firewall, port publisher and
// embedded DNS server wired together behind the /networks API and the container lifecycle's
// NetworkHooks. One file per concern: network_service.cpp (start-up, restore, lookups),
// network_create.cpp (create/remove/prune/list/inspect), network_sandbox.cpp (a container's
// start and stop), network_connect.cpp (connect/disconnect), network_files.cpp (/etc/hosts,
// /etc/resolv.conf), network_dns.cpp (the embedded server's names), network_views.cpp (JSON).
//
// Locking: mu_ guards everything below it. Callers that hold a container's mutex may call in
// (lifecycle hooks, connect); the service never takes a container's mutex while holding mu_.
// The embedded DNS server's threads take mu_ only, for name lookups.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "daemon/container_service.h"
#include "daemon/network.h"
#include "daemon/network_store.h"
#include "daemon/sandbox.h"
#include "net/bridge_network.h"
#include "net/dns/server.h"
#include "net/ipam.h"
#include "net/netlink/socket.h"
#include "net/nft/firewall.h"
#include "net/port_allocator.h"
#include "net/port_publisher.h"
#include "net/resolv_conf.h"

namespace berth::daemon {

struct NetworkServiceOptions {
  const DaemonConfig* config = nullptr;
  state::Database* database = nullptr;
  ContainerStore* containers = nullptr;
  EventBus* events = nullptr;
  std::string host_resolv_conf = "/etc/resolv.conf";
  std::string host_hosts_file = "/etc/hosts";
};

// HostConfig.NetworkMode with "" and "default" read as "bridge".
std::string effective_network_mode(const Container& c);

class NetworkService final : public NetworkHooks {
 public:
  // Opens the tables, the firewall and the DNS server, creates the predefined networks on the
  // first run, and restores what exists from an earlier run: bridges, the ports and DNS
  // registrations of running containers, the firewall's rules (reconciled: stale ones go).
  static Result<std::unique_ptr<NetworkService>> open(NetworkServiceOptions options);
  ~NetworkService() override;
  NetworkService(const NetworkService&) = delete;
  NetworkService& operator=(const NetworkService&) = delete;

  // NetworkHooks.
  Status prepare(Container& c) override;
  Result<std::string> setup(Container& c) override;
  void teardown(Container& c) override;
  std::string hosts_file(const Container& c) override;
  std::string resolv_conf(const Container& c) override;

  // The /networks API. Bodies and answers are the Engine API's JSON.
  Result<Json> create(const Json& body);
  Status remove(const std::string& ref);
  Result<Json> list(const std::string& filters);
  Result<Json> inspect(const std::string& ref);
  Result<Json> prune(const std::string& filters);
  Status connect(const std::string& network_ref, const Json& body);
  Status disconnect(const std::string& network_ref, const Json& body);

 private:
  explicit NetworkService(NetworkServiceOptions options) : options_(std::move(options)) {}

  // network_service.cpp
  Status start_up();
  Status ensure_predefined_locked();
  Result<Network> make_default_bridge_locked(const std::string& id);
  void restore_bridges_locked();
  void restore_sandboxes_locked(const std::set<std::string>& alive);
  void sweep_netns_dir_locked();
  Result<const Network*> find_locked(const std::string& ref) const;
  const Network* find_by_id_locked(const std::string& id) const;
  const Network* default_bridge_locked() const;
  net::BridgeConfig bridge_config_locked(const Network& network) const;
  std::vector<std::string> bridge_names_locked() const;
  Result<std::vector<net::Prefix>> host_prefixes_locked();
  void publish_event(const std::string& action, const Network& network,
                     const std::string& container = "");

  // network_sandbox.cpp
  using Attachment = std::pair<const Network*, Json>;  // a network and its EndpointSettings
  Result<std::vector<Attachment>> attachments_locked(const Container& c) const;
  Result<EndpointState> attach_locked(Sandbox& sandbox, const Network& network, const Json& config,
                                      const Container& c, int netns_fd,
                                      const std::string& ifname, bool gateway);
  void detach_locked(const EndpointState& endpoint);
  void release_sandbox_locked(Sandbox& sandbox);
  Status update_dns_locked(Sandbox& sandbox, const Container& c, int netns_fd);
  Result<std::vector<net::PortSpec>> port_specs(const Container& c) const;
  Status validate_endpoint_config(const Network& network, const Json& config) const;

  // network_files.cpp
  Result<net::GeneratedResolvConf> generate_resolv_locked(const Container& c,
                                                          const Sandbox* sandbox) const;
  std::string hosts_locked(const Container& c, const Sandbox* sandbox) const;
  std::string other_container_file(const std::string& mode, bool hosts) const;

  // network_dns.cpp
  net::dns::Resolver make_resolver();
  std::optional<std::vector<net::IpAddress>> lookup(const std::string& container,
                                                    const std::string& name);
  std::optional<std::string> reverse(const std::string& container, const net::IpAddress& address);

  // network_views.cpp
  Json network_json_locked(const Network& network, bool with_containers) const;
  Json settings_json_locked(const Container& c, const Sandbox* sandbox) const;
  Json endpoint_json_locked(const Network& network, const Json& config,
                            const EndpointState* endpoint) const;
  bool has_endpoints_locked(const std::string& network_id) const;

  NetworkServiceOptions options_;
  std::string netns_dir_;
  std::unique_ptr<NetworkStore> store_;
  std::unique_ptr<net::nft::Firewall> firewall_;
  std::unique_ptr<net::PortAllocator> allocator_;
  std::unique_ptr<net::PortPublisher> publisher_;

  mutable std::mutex mu_;
  std::optional<net::netlink::Socket> host_;
  net::Ipam ipam_;
  std::map<std::string, Network> networks_;   // by id
  std::map<std::string, Sandbox> sandboxes_;  // by container id

  // Last: destroyed first, so its threads stop before the state they look up goes.
  std::unique_ptr<net::dns::DnsServer> dns_;
};

}  // namespace berth::daemon
