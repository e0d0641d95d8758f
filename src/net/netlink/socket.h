// An rtnetlink (NETLINK_ROUTE) socket over libmnl: sends one request and reads its
// acknowledgement or its dump. A socket acts on the network namespace it was created in, so
// open_in_netns() is how Berth configures a container's interfaces without moving a daemon
// thread into the container's namespace.
//
// Errors carry the netlink errno, the kernel's extended-ack message when it sent one, and what
// was attempted: "create veth vethab12cd3: netlink: File exists".
#pragma once

#include <linux/netlink.h>

#include <functional>
#include <memory>
#include <string_view>

#include "base/result.h"

struct mnl_socket;

namespace berth::net::netlink {

class Socket {
 public:
  // A socket in the calling thread's network namespace.
  static Result<Socket> open();
  // A socket in the network namespace `netns_fd` (created on a helper thread, see net/netns.h).
  static Result<Socket> open_in_netns(int netns_fd);

  Socket(Socket&&) noexcept;
  Socket& operator=(Socket&&) noexcept;
  ~Socket();

  // A zeroed request buffer with a netlink header (type, flags | NLM_F_REQUEST | NLM_F_ACK,
  // a fresh sequence number); the caller appends the family header and attributes.
  nlmsghdr* begin(uint16_t type, uint16_t flags);
  // Sends the request begun last and waits for the kernel's answer. `what` prefixes errors.
  Status request(std::string_view what);
  // The same, passing the answers before the acknowledgement (a GET) to `on_message`.
  Status request(std::string_view what, const std::function<Status(const nlmsghdr*)>& on_message);
  // Sends a dump request (NLM_F_DUMP) begun last and calls `on_message` for each answer;
  // a callback error stops the dump and is returned.
  Status dump(std::string_view what, const std::function<Status(const nlmsghdr*)>& on_message);

 private:
  explicit Socket(mnl_socket* nl);
  Status send_current(std::string_view what);
  // Reads answers for the current sequence number until the ACK or NLMSG_DONE.
  Status receive(std::string_view what, const std::function<Status(const nlmsghdr*)>* on_message);

  mnl_socket* nl_ = nullptr;
  uint32_t port_id_ = 0;
  uint32_t seq_ = 0;
  std::unique_ptr<char[]> send_buf_;
  std::unique_ptr<char[]> recv_buf_;
};

}  // namespace berth::net::netlink
