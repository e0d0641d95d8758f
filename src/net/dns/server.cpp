#include "net/dns/server.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/log.h"
#include "net/dns/message.h"
#include "net/netns.h"

namespace berth::net::dns {

struct DnsServer::Sandbox {
  uint64_t id = 0;
  std::string container;
  UniqueFd netns;
  UniqueFd udp;
  UniqueFd tcp;
  std::mutex mu;  // guards upstreams
  std::vector<Upstream> upstreams;
};

struct DnsServer::Job {
  std::shared_ptr<Sandbox> sandbox;
  bool tcp = false;
  std::vector<uint8_t> query;  // UDP
  sockaddr_storage peer{};     // UDP
  socklen_t peer_len = 0;
  UniqueFd conn;  // TCP
};

namespace {

using Clock = std::chrono::steady_clock;
constexpr uint64_t kWakeTag = ~uint64_t{0};
constexpr size_t kMaxQueriesPerConnection = 64;

sockaddr_storage listen_addr(const IpAddress& address, uint16_t port, socklen_t* len) {
  sockaddr_storage ss{};
  auto b = address.bytes();
  if (address.is_v4()) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    std::memcpy(&sin->sin_addr, b.data(), 4);
    *len = sizeof(*sin);
  } else {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(port);
    std::memcpy(&sin6->sin6_addr, b.data(), 16);
    *len = sizeof(*sin6);
  }
  return ss;
}

Result<UniqueFd> bound_socket(const IpAddress& address, uint16_t port, int type) {
  int domain = address.is_v4() ? AF_INET : AF_INET6;
  UniqueFd fd(::socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) return errno_error("socket");
  int one = 1;
  if (type == SOCK_STREAM) ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  socklen_t len = 0;
  sockaddr_storage ss = listen_addr(address, port, &len);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0) {
    return errno_error(fmt::format("bind {} {}:{}", type == SOCK_STREAM ? "tcp" : "udp",
                                   address.to_string(), port));
  }
  if (type == SOCK_STREAM && ::listen(fd.get(), 64) != 0) return errno_error("listen");
  return fd;
}

int remaining_ms(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

// Reads or writes exactly `len` bytes on a non-blocking socket before `deadline`.
// Returns false on timeout, EOF or error.
bool io_exact(int fd, uint8_t* data, size_t len, bool writing, Clock::time_point deadline) {
  size_t done = 0;
  while (done < len) {
    pollfd p{fd, static_cast<short>(writing ? POLLOUT : POLLIN), 0};
    int n = ::poll(&p, 1, remaining_ms(deadline));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    ssize_t got = writing ? ::send(fd, data + done, len - done, MSG_NOSIGNAL)
                          : ::recv(fd, data + done, len - done, 0);
    if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (got <= 0) return false;
    done += static_cast<size_t>(got);
  }
  return true;
}

}  // namespace

DnsServer::DnsServer(Resolver resolver, DnsServerOptions options)
    : resolver_(std::move(resolver)), options_(options) {}

Result<std::unique_ptr<DnsServer>> DnsServer::start(Resolver resolver, DnsServerOptions options) {
  std::unique_ptr<DnsServer> server(new DnsServer(std::move(resolver), options));
  server->epoll_ = UniqueFd(::epoll_create1(EPOLL_CLOEXEC));
  if (!server->epoll_) return errno_error("dns server: epoll_create1");
  server->wake_ = UniqueFd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!server->wake_) return errno_error("dns server: eventfd");
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kWakeTag;
  if (::epoll_ctl(server->epoll_.get(), EPOLL_CTL_ADD, server->wake_.get(), &ev) != 0) {
    return errno_error("dns server: epoll_ctl");
  }
  DnsServer* self = server.get();
  server->loop_ = std::thread([self] { self->run_loop(); });
  for (size_t i = 0; i < std::max<size_t>(options.workers, 1); ++i) {
    server->workers_.emplace_back([self] { self->run_worker(); });
  }
  return server;
}

DnsServer::~DnsServer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    jobs_.clear();
  }
  jobs_ready_.notify_all();
  uint64_t one = 1;
  (void)!::write(wake_.get(), &one, sizeof(one));
  if (loop_.joinable()) loop_.join();
  for (auto& w : workers_) {
    if (w.joinable()) w.join();
  }
}

Status DnsServer::add_container(const std::string& container, int netns_fd,
                                std::vector<Upstream> upstreams) {
  std::string what = "dns: serve container " + container;
  {
    std::lock_guard lock(mu_);
    if (by_container_.contains(container)) {
      return make_error(ErrorCode::kAlreadyExists, "{}: already served", what);
    }
  }
  auto sandbox = std::make_shared<Sandbox>();
  sandbox->container = container;
  sandbox->upstreams = std::move(upstreams);
  sandbox->netns = UniqueFd(::fcntl(netns_fd, F_DUPFD_CLOEXEC, 0));
  if (!sandbox->netns) return errno_error(what + ": dup netns fd");
  IpAddress address = options_.listen_address;
  uint16_t port = options_.port;
  auto udp =
      call_in_netns<UniqueFd>(netns_fd, [&] { return bound_socket(address, port, SOCK_DGRAM); });
  if (!udp.ok()) return std::move(udp).error().with_context(what);
  auto tcp =
      call_in_netns<UniqueFd>(netns_fd, [&] { return bound_socket(address, port, SOCK_STREAM); });
  if (!tcp.ok()) return std::move(tcp).error().with_context(what);
  sandbox->udp = std::move(udp).take();
  sandbox->tcp = std::move(tcp).take();

  std::lock_guard lock(mu_);
  if (by_container_.contains(container)) {
    return make_error(ErrorCode::kAlreadyExists, "{}: already served", what);
  }
  sandbox->id = next_id_++;
  for (int is_tcp = 0; is_tcp < 2; ++is_tcp) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = (sandbox->id << 1) | static_cast<uint64_t>(is_tcp);
    int fd = is_tcp ? sandbox->tcp.get() : sandbox->udp.get();
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) != 0) {
      int err = errno;
      ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, sandbox->udp.get(), nullptr);
      return errno_error(err, what + ": epoll_ctl");
    }
  }
  by_id_[sandbox->id] = sandbox;
  by_container_[container] = sandbox->id;
  return ok_status();
}

Status DnsServer::set_upstreams(const std::string& container, std::vector<Upstream> upstreams) {
  std::shared_ptr<Sandbox> sandbox;
  {
    std::lock_guard lock(mu_);
    auto it = by_container_.find(container);
    if (it == by_container_.end()) {
      return make_error(ErrorCode::kNotFound, "dns: container {} is not served", container);
    }
    sandbox = by_id_[it->second];
  }
  std::lock_guard lock(sandbox->mu);
  sandbox->upstreams = std::move(upstreams);
  return ok_status();
}

void DnsServer::remove_container(const std::string& container) {
  std::lock_guard lock(mu_);
  auto it = by_container_.find(container);
  if (it == by_container_.end()) return;
  auto sandbox = by_id_[it->second];
  ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, sandbox->udp.get(), nullptr);
  ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, sandbox->tcp.get(), nullptr);
  by_id_.erase(it->second);
  by_container_.erase(it);
  // Jobs in flight hold the sandbox; its sockets close when the last one finishes.
}

bool DnsServer::has_container(const std::string& container) {
  std::lock_guard lock(mu_);
  return by_container_.contains(container);
}

void DnsServer::run_loop() {
  epoll_event events[32];
  for (;;) {
    int n = ::epoll_wait(epoll_.get(), events, 32, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      log::error("dns server: epoll_wait: {}", std::strerror(errno));
      return;
    }
    for (int i = 0; i < n; ++i) {
      uint64_t tag = events[i].data.u64;
      if (tag == kWakeTag) return;
      std::shared_ptr<Sandbox> sandbox;
      {
        std::lock_guard lock(mu_);
        if (stopping_) return;
        auto it = by_id_.find(tag >> 1);
        if (it == by_id_.end()) continue;  // removed meanwhile
        sandbox = it->second;
      }
      if (tag & 1) {
        accept_tcp(sandbox);
      } else {
        receive_udp(sandbox);
      }
    }
  }
}

void DnsServer::receive_udp(const std::shared_ptr<Sandbox>& sandbox) {
  uint8_t buf[65536];
  for (;;) {
    Job job;
    job.peer_len = sizeof(job.peer);
    ssize_t n = ::recvfrom(sandbox->udp.get(), buf, sizeof(buf), 0,
                           reinterpret_cast<sockaddr*>(&job.peer), &job.peer_len);
    if (n < 0) return;  // EAGAIN: drained
    job.sandbox = sandbox;
    job.query.assign(buf, buf + n);
    enqueue(std::move(job));
  }
}

void DnsServer::accept_tcp(const std::shared_ptr<Sandbox>& sandbox) {
  for (;;) {
    int fd = ::accept4(sandbox->tcp.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    Job job;
    job.sandbox = sandbox;
    job.tcp = true;
    job.conn = UniqueFd(fd);
    enqueue(std::move(job));
  }
}

void DnsServer::enqueue(Job job) {
  {
    std::lock_guard lock(mu_);
    if (stopping_ || jobs_.size() >= options_.max_queued) return;
    jobs_.push_back(std::move(job));
  }
  jobs_ready_.notify_one();
}

void DnsServer::run_worker() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mu_);
      jobs_ready_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
      if (stopping_) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    if (job.tcp) {
      serve_tcp(job);
    } else {
      serve_udp(job);
    }
  }
}

std::vector<uint8_t> DnsServer::answer(Sandbox& sandbox, std::span<const uint8_t> query,
                                       bool over_udp) {
  Decision d = respond(query, sandbox.container, resolver_, rotation_, over_udp);
  if (d.kind != Decision::Kind::kForward) return std::move(d.response);
  std::vector<Upstream> upstreams;
  {
    std::lock_guard lock(sandbox.mu);
    upstreams = sandbox.upstreams;
  }
  ForwardOptions options;
  options.timeout = options_.upstream_timeout;
  int netns = sandbox.netns.get();
  options.make_container_socket = [netns](int domain, int type) {
    return call_in_netns<UniqueFd>(netns, [&]() -> Result<UniqueFd> {
      UniqueFd fd(::socket(domain, type, 0));
      if (!fd) return errno_error("socket in container namespace");
      return fd;
    });
  };
  auto forwarded = forward_query(query, upstreams, over_udp, d.max_udp_size, options);
  if (forwarded.ok()) return std::move(forwarded).take();
  log::debug("dns: {}: {}", sandbox.container, forwarded.error().to_string());
  return error_response(query, kRcodeServFail);
}

void DnsServer::serve_udp(Job& job) {
  auto response = answer(*job.sandbox, job.query, true);
  if (response.empty()) return;
  ::sendto(job.sandbox->udp.get(), response.data(), response.size(), 0,
           reinterpret_cast<sockaddr*>(&job.peer), job.peer_len);
}

void DnsServer::serve_tcp(Job& job) {
  int fd = job.conn.get();
  for (size_t i = 0; i < kMaxQueriesPerConnection; ++i) {
    auto deadline = Clock::now() + options_.tcp_idle_timeout;
    uint8_t len_bytes[2];
    if (!io_exact(fd, len_bytes, 2, false, deadline)) return;
    size_t len = (static_cast<size_t>(len_bytes[0]) << 8) | len_bytes[1];
    std::vector<uint8_t> query(len);
    if (!io_exact(fd, query.data(), len, false, deadline)) return;
    auto response = answer(*job.sandbox, query, false);
    if (response.empty() || response.size() > 65535) return;
    std::vector<uint8_t> out(2 + response.size());
    out[0] = static_cast<uint8_t>(response.size() >> 8);
    out[1] = static_cast<uint8_t>(response.size() & 0xff);
    std::memcpy(out.data() + 2, response.data(), response.size());
    if (!io_exact(fd, out.data(), out.size(), true, Clock::now() + options_.tcp_idle_timeout)) {
      return;
    }
  }
}

}  // namespace berth::net::dns
