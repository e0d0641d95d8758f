// The embedded DNS server (Docker's 127.0.0.11): one server per daemon, serving every
// container on a user-defined network.
//
// For each container, a UDP and a TCP socket bound to 127.0.0.11:53 are created inside the
// container's network namespace (127.0.0.0/8 is local on its lo, so the bind works and no
// DNAT is needed) and then served from this server's threads in the daemon's namespace:
// sockets keep the namespace they were made in. One epoll thread receives queries and accepts
// connections; a few worker threads answer them (net/dns/responder.h) or forward them
// (net/dns/forwarder.h). Forwarding sockets are made in the daemon's (host) namespace, which is
// what reaches the host's resolvers, a 127.0.0.53 stub included; upstreams marked
// host_namespace=false get their sockets made in the container's namespace instead.
//
// Containers sharing a network namespace (--network container:x) share its registration:
// register the namespace once, under the id of the container that owns it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"
#include "net/dns/forwarder.h"
#include "net/dns/responder.h"
#include "net/ip_address.h"

namespace berth::net::dns {

struct DnsServerOptions {
  IpAddress listen_address = IpAddress::v4(0x7f00000b);  // 127.0.0.11
  uint16_t port = 53;
  size_t workers = 4;
  std::chrono::milliseconds upstream_timeout{4000};
  std::chrono::milliseconds tcp_idle_timeout{5000};
  size_t max_queued = 1024;  // queries beyond this are dropped (the client retries)
};

class DnsServer {
 public:
  static Result<std::unique_ptr<DnsServer>> start(Resolver resolver, DnsServerOptions options = {});
  ~DnsServer();  // stops and joins every thread; closes every socket
  DnsServer(const DnsServer&) = delete;
  DnsServer& operator=(const DnsServer&) = delete;

  // Starts answering inside the namespace `netns_fd` (duplicated; the caller keeps its fd)
  // for `container`, forwarding unknown names to `upstreams` (none: SERVFAIL, as for
  // --internal networks).
  Status add_container(const std::string& container, int netns_fd, std::vector<Upstream> upstreams);
  Status set_upstreams(const std::string& container, std::vector<Upstream> upstreams);
  // Stops answering for it (no error when unknown). Queries in flight finish.
  void remove_container(const std::string& container);
  bool has_container(const std::string& container);

 private:
  struct Sandbox;
  struct Job;

  DnsServer(Resolver resolver, DnsServerOptions options);
  void run_loop();
  void run_worker();
  void receive_udp(const std::shared_ptr<Sandbox>& sandbox);
  void accept_tcp(const std::shared_ptr<Sandbox>& sandbox);
  void enqueue(Job job);
  void serve_udp(Job& job);
  void serve_tcp(Job& job);
  // The answer for one query, forwarding when needed; empty: send nothing.
  std::vector<uint8_t> answer(Sandbox& sandbox, std::span<const uint8_t> query, bool over_udp);

  Resolver resolver_;
  DnsServerOptions options_;
  RoundRobin rotation_;
  UniqueFd epoll_;
  UniqueFd wake_;  // eventfd: stop

  std::mutex mu_;  // guards everything below
  std::condition_variable jobs_ready_;
  std::deque<Job> jobs_;
  bool stopping_ = false;
  uint64_t next_id_ = 1;
  std::map<uint64_t, std::shared_ptr<Sandbox>> by_id_;
  std::map<std::string, uint64_t> by_container_;

  std::thread loop_;
  std::vector<std::thread> workers_;
};

}  // namespace berth::net::dns
