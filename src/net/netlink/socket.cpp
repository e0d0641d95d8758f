#include "net/netlink/socket.h"

#include <sys/socket.h>
#include <time.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include <libmnl/libmnl.h>

#include "net/netns.h"

namespace berth::net::netlink {
namespace {

constexpr size_t kSendBufferSize = 8192;
// Dump answers come in skbs of up to 32 KiB; a bigger buffer never truncates one.
constexpr size_t kRecvBufferSize = size_t{64} * 1024;

#ifndef NETLINK_EXT_ACK
constexpr int NETLINK_EXT_ACK = 11;
#endif
#ifndef NETLINK_CAP_ACK
constexpr int NETLINK_CAP_ACK = 10;
#endif

// The extended-ack message (NLMSGERR_ATTR_MSG) of an error answer, if the kernel sent one.
std::string extack_message(const nlmsghdr* nlh) {
  if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS)) return "";
  const auto* err = static_cast<const nlmsgerr*>(mnl_nlmsg_get_payload(nlh));
  // With NETLINK_CAP_ACK the original request is not echoed (NLM_F_CAPPED).
  size_t offset = sizeof(nlmsgerr);
  if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) offset += err->msg.nlmsg_len - sizeof(nlmsghdr);
  size_t payload = mnl_nlmsg_get_payload_len(nlh);
  if (offset >= payload) return "";
  const auto* attr = reinterpret_cast<const nlattr*>(
      static_cast<const char*>(mnl_nlmsg_get_payload(nlh)) + MNL_ALIGN(offset));
  size_t left = payload - MNL_ALIGN(offset);
  while (left >= sizeof(nlattr) && mnl_attr_ok(attr, static_cast<int>(left))) {
    if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG) {
      const char* s = mnl_attr_get_str(attr);
      return std::string(s, strnlen(s, mnl_attr_get_payload_len(attr)));
    }
    left -= MNL_ALIGN(attr->nla_len);
    attr = mnl_attr_next(attr);
  }
  return "";
}

}  // namespace

Socket::Socket(mnl_socket* nl)
    : nl_(nl),
      port_id_(mnl_socket_get_portid(nl)),
      seq_(static_cast<uint32_t>(::time(nullptr))),
      send_buf_(new char[kSendBufferSize]),
      recv_buf_(new char[kRecvBufferSize]) {}

Result<Socket> Socket::open() {
  mnl_socket* nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
  if (!nl) return errno_error("open netlink socket");
  if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
    int err = errno;
    mnl_socket_close(nl);
    return errno_error(err, "bind netlink socket");
  }
  int one = 1;
  // Best effort: older kernels lack them and then errors carry only the errno.
  mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
  mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
  return Socket(nl);
}

Result<Socket> Socket::open_in_netns(int netns_fd) {
  return call_in_netns<Socket>(netns_fd, [] { return open(); });
}

Socket::Socket(Socket&& other) noexcept
    : nl_(std::exchange(other.nl_, nullptr)),
      port_id_(other.port_id_),
      seq_(other.seq_),
      send_buf_(std::move(other.send_buf_)),
      recv_buf_(std::move(other.recv_buf_)) {}

Socket& Socket::operator=(Socket&& other) noexcept {
  if (this != &other) {
    if (nl_) mnl_socket_close(nl_);
    nl_ = std::exchange(other.nl_, nullptr);
    port_id_ = other.port_id_;
    seq_ = other.seq_;
    send_buf_ = std::move(other.send_buf_);
    recv_buf_ = std::move(other.recv_buf_);
  }
  return *this;
}

Socket::~Socket() {
  if (nl_) mnl_socket_close(nl_);
}

nlmsghdr* Socket::begin(uint16_t type, uint16_t flags) {
  std::memset(send_buf_.get(), 0, kSendBufferSize);
  nlmsghdr* nlh = mnl_nlmsg_put_header(send_buf_.get());
  nlh->nlmsg_type = type;
  nlh->nlmsg_flags = static_cast<uint16_t>(flags | NLM_F_REQUEST | NLM_F_ACK);
  nlh->nlmsg_seq = ++seq_;
  return nlh;
}

Status Socket::send_current(std::string_view what) {
  auto* nlh = reinterpret_cast<nlmsghdr*>(send_buf_.get());
  if (nlh->nlmsg_len > kSendBufferSize) {
    return make_error(ErrorCode::kInternal, "{}: netlink request too large", what);
  }
  if (mnl_socket_sendto(nl_, nlh, nlh->nlmsg_len) < 0) {
    return errno_error(std::string(what) + ": netlink send");
  }
  return ok_status();
}

Status Socket::receive(std::string_view what,
                       const std::function<Status(const nlmsghdr*)>* on_message) {
  Status callback_error;
  for (;;) {
    ssize_t n = mnl_socket_recvfrom(nl_, recv_buf_.get(), kRecvBufferSize);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_error(std::string(what) + ": netlink receive");
    }
    int len = static_cast<int>(n);
    for (auto* nlh = reinterpret_cast<const nlmsghdr*>(recv_buf_.get()); mnl_nlmsg_ok(nlh, len);
         nlh = mnl_nlmsg_next(nlh, &len)) {
      // Answers to an earlier request that timed out or was abandoned are skipped.
      if (nlh->nlmsg_seq != seq_ || nlh->nlmsg_pid != port_id_) continue;
      if (nlh->nlmsg_type == NLMSG_ERROR) {
        if (mnl_nlmsg_get_payload_len(nlh) < sizeof(nlmsgerr)) {
          return make_error(ErrorCode::kInternal, "{}: truncated netlink error", what);
        }
        int err = -static_cast<const nlmsgerr*>(mnl_nlmsg_get_payload(nlh))->error;
        if (err == 0) return callback_error;  // the ACK
        std::string message = std::string(what) + ": netlink";
        std::string extack = extack_message(nlh);
        if (!extack.empty()) message += " (" + extack + ")";
        return errno_error(err, message);
      }
      if (nlh->nlmsg_type == NLMSG_DONE) {
        // A dump that failed part-way says so in NLMSG_DONE's payload.
        if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int)) {
          int err = *static_cast<const int*>(mnl_nlmsg_get_payload(nlh));
          if (err < 0) return errno_error(-err, std::string(what) + ": netlink dump");
        }
        return callback_error;
      }
      if (on_message && callback_error.ok()) callback_error = (*on_message)(nlh);
    }
  }
}

Status Socket::request(std::string_view what) {
  TRY(send_current(what));
  return receive(what, nullptr);
}

Status Socket::request(std::string_view what,
                       const std::function<Status(const nlmsghdr*)>& on_message) {
  TRY(send_current(what));
  return receive(what, &on_message);
}

Status Socket::dump(std::string_view what,
                    const std::function<Status(const nlmsghdr*)>& on_message) {
  auto* nlh = reinterpret_cast<nlmsghdr*>(send_buf_.get());
  // A dump ends with NLMSG_DONE rather than an ACK.
  nlh->nlmsg_flags = static_cast<uint16_t>((nlh->nlmsg_flags & ~NLM_F_ACK) | NLM_F_DUMP);
  TRY(send_current(what));
  return receive(what, &on_message);
}

}  // namespace berth::net::netlink
