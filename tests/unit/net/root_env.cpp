#include "root_env.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include <fmt/format.h>

#include "base/file_util.h"
#include "base/strings.h"
#include "net/endpoint.h"
#include "net/netlink/address.h"
#include "net/netlink/link.h"
#include "net/netlink/route.h"
#include "net/netns.h"
#include "net/sysctl.h"
#include "sys/syscalls.h"

namespace berth::net::testing {
namespace {

constexpr const char* kBusybox = "/bin/busybox";

sockaddr_storage sockaddr_of(const IpAddress& address, uint16_t port, socklen_t* len) {
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

IpAddress address_of(const sockaddr_storage& ss) {
  if (ss.ss_family == AF_INET) {
    const auto* sin = reinterpret_cast<const sockaddr_in*>(&ss);
    return IpAddress::from_bytes(Family::kV4, reinterpret_cast<const uint8_t*>(&sin->sin_addr));
  }
  const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(&ss);
  return IpAddress::from_bytes(Family::kV6, reinterpret_cast<const uint8_t*>(&sin6->sin6_addr));
}

Result<UniqueFd> make_socket(int netns_fd, int domain, int type) {
  auto create = [=]() -> Result<UniqueFd> {
    UniqueFd fd(::socket(domain, type | SOCK_CLOEXEC, 0));
    if (!fd) return errno_error("socket");
    return fd;
  };
  if (netns_fd < 0) return create();
  return call_in_netns<UniqueFd>(netns_fd, create);
}

bool wait_fd(int fd, short events, int timeout_ms) {
  pollfd p{fd, events, 0};
  return ::poll(&p, 1, timeout_ms) > 0;
}

}  // namespace

void NetRootTest::SetUp() {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  if (!path_exists(kBusybox)) GTEST_SKIP() << "needs " << kBusybox;
  work_dir_ = fmt::format("/run/berth-nettest-{}", ::getpid());
  netns_dir_ = work_dir_ + "/netns";
  ASSERT_TRUE(ensure_netns_dir(netns_dir_).ok());
  auto saved = read_sysctl("net.ipv4.ip_forward");
  saved_ip_forward_ = saved.ok() ? std::string(trim(*saved)) : "";
  auto saved6 = read_sysctl("net.ipv6.conf.all.forwarding");
  saved_ipv6_forwarding_ = saved6.ok() ? std::string(trim(*saved6)) : "";

  nft::FirewallOptions options;
  options.table = unique("fw");
  auto fw = nft::Firewall::open(options);
  ASSERT_TRUE(fw.ok()) << fw.error().to_string();
  firewall_ = std::move(fw).take();
  auto ensured = firewall_->ensure();
  ASSERT_TRUE(ensured.ok()) << ensured.error().to_string();

  auto sock = netlink::Socket::open();
  ASSERT_TRUE(sock.ok()) << sock.error().to_string();
  host_.emplace(std::move(sock).take());
  auto prefixes = netlink::host_prefixes(*host_);
  ASSERT_TRUE(prefixes.ok()) << prefixes.error().to_string();
  host_prefixes_ = *prefixes;
}

void NetRootTest::TearDown() {
  stop_ = true;
  for (auto& e : echoes_) {
    if (e->thread.joinable()) e->thread.join();
  }
  echoes_.clear();
  for (pid_t pid : children_) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
  children_.clear();
  if (host_) {
    for (auto it = links_.rbegin(); it != links_.rend(); ++it) {
      (void)netlink::delete_link(*host_, *it);
    }
  }
  containers_.clear();  // closes namespace fds
  outside_netns_.reset();
  if (!netns_dir_.empty()) {
    for (const auto& name : {"outside"}) (void)remove_netns(netns_dir_ + "/" + name);
    for (int i = 0; i < next_suffix_; ++i) {
      (void)remove_netns(fmt::format("{}/c{}", netns_dir_, i));
    }
    ::umount2(netns_dir_.c_str(), MNT_DETACH);
    (void)remove_all(work_dir_);
  }
  if (firewall_) {
    EXPECT_TRUE(firewall_->destroy().ok());
  }
  // Forwarding goes back to what it was, unless another bridge (a daemon running meanwhile on
  // this machine) may now depend on it.
  bool other_bridges = false;
  if (host_) {
    for (const auto& link : netlink::list_links(*host_).value_or({})) {
      if (link.kind == "bridge" && !link.name.starts_with(unique(""))) other_bridges = true;
    }
  }
  if (!other_bridges) {
    if (!saved_ip_forward_.empty()) (void)write_sysctl("net.ipv4.ip_forward", saved_ip_forward_);
    if (!saved_ipv6_forwarding_.empty()) {
      (void)write_sysctl("net.ipv6.conf.all.forwarding", saved_ipv6_forwarding_);
    }
  }
}

std::string NetRootTest::unique(const std::string& suffix) const {
  return fmt::format("bt{:04x}{}", ::getpid() & 0xffff, suffix);
}

TestNetwork& NetRootTest::make_network(const std::string& suffix, bool internal, bool ipv6) {
  auto network = std::make_unique<TestNetwork>();
  network->id = unique(suffix);
  auto pool = ipam_.add_pool(network->id, PoolRequest{}, host_prefixes_);
  EXPECT_TRUE(pool.ok()) << pool.error().to_string();
  network->subnet = pool->subnet;
  network->gateway = *pool->gateway;
  network->config.name = network->id;
  network->config.mtu = 1450;
  network->config.gateway_v4 = InterfaceAddress{network->gateway, network->subnet.length()};
  network->config.internal = internal;
  if (ipv6) {
    PoolRequest request;
    request.family = Family::kV6;
    auto pool6 = ipam_.add_pool(network->id, request, host_prefixes_);
    EXPECT_TRUE(pool6.ok()) << pool6.error().to_string();
    network->subnet_v6 = pool6->subnet;
    network->gateway_v6 = *pool6->gateway;
    network->config.gateway_v6 = InterfaceAddress{*pool6->gateway, pool6->subnet.length()};
  }
  links_.push_back(network->id);
  auto status = setup_bridge(*host_, *firewall_, network->config);
  EXPECT_TRUE(status.ok()) << status.error().to_string();
  networks_.push_back(std::move(network));
  return *networks_.back();
}

std::string NetRootTest::new_netns_path() {
  return fmt::format("{}/c{}", netns_dir_, next_suffix_++);
}

TestContainer& NetRootTest::make_container(TestNetwork& network, const std::string& suffix) {
  auto c = std::make_unique<TestContainer>();
  int n = next_suffix_;
  c->name = suffix;
  c->netns_path = new_netns_path();
  auto created = create_netns(c->netns_path);
  EXPECT_TRUE(created.ok()) << created.error().to_string();
  auto fd = open_netns(c->netns_path);
  EXPECT_TRUE(fd.ok());
  c->netns = std::move(fd).take();
  auto address = ipam_.allocate(network.id, Family::kV4);
  EXPECT_TRUE(address.ok());
  c->address = *address;
  c->host_ifname = unique(fmt::format("v{}", n));
  links_.push_back(c->host_ifname);

  EndpointConfig config;
  config.bridge = network.id;
  config.host_ifname = c->host_ifname;
  config.netns_fd = c->netns.get();
  config.mac = MacAddress::from_ipv4(c->address);
  config.address_v4 = InterfaceAddress{c->address, network.subnet.length()};
  if (!network.config.internal) config.gateway_v4 = network.gateway;
  if (network.subnet_v6) {
    auto v6 = ipam_.allocate(network.id, Family::kV6);
    EXPECT_TRUE(v6.ok());
    c->address_v6 = *v6;
    config.address_v6 = InterfaceAddress{*v6, network.subnet_v6->length()};
    if (!network.config.internal) config.gateway_v6 = network.gateway_v6;
  }
  config.mtu = network.config.mtu;
  auto endpoint = attach_endpoint(*host_, config);
  EXPECT_TRUE(endpoint.ok()) << endpoint.error().to_string();
  containers_.push_back(std::move(c));
  return *containers_.back();
}

void NetRootTest::make_outside() {
  // 198.18.0.0/15 is for benchmarking, never routed; pick a /30 no host route covers.
  uint32_t base = 0xc6120000u + ((static_cast<uint32_t>(::getpid()) * 4u) & 0x1fffcu);
  outside_host_address_ = IpAddress::v4(base + 1);
  outside_address_ = IpAddress::v4(base + 2);
  std::string path = netns_dir_ + "/outside";
  ASSERT_TRUE(create_netns(path).ok());
  outside_netns_ = open_netns(path).take();
  std::string host_end = unique("out");
  links_.push_back(host_end);
  netlink::VethSpec veth;
  veth.name = host_end;
  veth.peer_name = "eth0";
  veth.peer_netns_fd = outside_netns_.get();
  ASSERT_TRUE(netlink::create_veth(*host_, veth).ok());
  ASSERT_TRUE(netlink::add_address(*host_, host_end, {outside_host_address_, 30}).ok());
  ASSERT_TRUE(netlink::set_link_up(*host_, host_end).ok());
  uint64_t net6 = static_cast<uint64_t>(::getpid()) & 0xffff;
  outside_host_address_v6_ = IpAddress::from_number(
      Family::kV6, (Uint128{0xfd5be47dffffULL} << 80) | (Uint128{net6} << 64) | 1);
  outside_address_v6_ = IpAddress::from_number(Family::kV6, outside_host_address_v6_.number() + 1);
  ASSERT_TRUE(netlink::add_address(*host_, host_end, {outside_host_address_v6_, 64}).ok());
  auto inside = netlink::Socket::open_in_netns(outside_netns_.get()).take();
  ASSERT_TRUE(netlink::add_address(inside, "eth0", {outside_address_, 30}).ok());
  ASSERT_TRUE(netlink::add_address(inside, "eth0", {outside_address_v6_, 64}).ok());
  ASSERT_TRUE(netlink::set_link_up(inside, "eth0").ok());
}

IpAddress NetRootTest::host_address() {
  auto addresses = netlink::list_addresses(*host_, Family::kV4);
  auto links = netlink::list_links(*host_);
  if (addresses.ok() && links.ok()) {
    for (const auto& a : *addresses) {
      if (a.address.address.is_loopback() || a.scope != 0) continue;
      std::string name;
      for (const auto& l : *links) {
        if (l.index == a.index) name = l.name;
      }
      if (name.starts_with("bt") || name.starts_with("br-") || name.starts_with("docker")) continue;
      return a.address.address;
    }
  }
  return outside_host_address_;
}

IpAddress NetRootTest::host_address_v6() {
  auto addresses = netlink::list_addresses(*host_, Family::kV6);
  auto links = netlink::list_links(*host_);
  if (addresses.ok() && links.ok()) {
    for (const auto& a : *addresses) {
      const IpAddress& ip = a.address.address;
      if (ip.is_loopback() || ip.is_link_local() || a.scope != 0) continue;
      std::string name;
      for (const auto& l : *links) {
        if (l.index == a.index) name = l.name;
      }
      if (name.starts_with("bt") || name.starts_with("br-") || name.starts_with("docker")) continue;
      return ip;
    }
  }
  return outside_host_address_v6_;
}

pid_t NetRootTest::spawn(int netns_fd, const std::vector<std::string>& args) {
  std::vector<std::string> full = {kBusybox};
  full.insert(full.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : full) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    if (netns_fd >= 0 && sys::raw_setns(netns_fd, CLONE_NEWNET) != 0) ::_exit(126);
    int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execv(kBusybox, argv.data());
    ::_exit(127);
  }
  children_.push_back(pid);
  return pid;
}

CommandResult NetRootTest::run(int netns_fd, const std::vector<std::string>& args, int timeout_ms) {
  std::vector<std::string> full = {kBusybox};
  full.insert(full.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : full) argv.push_back(a.data());
  argv.push_back(nullptr);
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return {};
  pid_t pid = ::fork();
  if (pid == 0) {
    if (netns_fd >= 0 && sys::raw_setns(netns_fd, CLONE_NEWNET) != 0) ::_exit(126);
    ::dup2(fds[1], 1);
    ::dup2(fds[1], 2);
    ::execv(kBusybox, argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  CommandResult result;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  char buf[4096];
  for (;;) {
    int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                    deadline - std::chrono::steady_clock::now())
                                    .count());
    if (left <= 0 || !wait_fd(fds[0], POLLIN, left)) {
      ::kill(pid, SIGKILL);
      break;
    }
    ssize_t n = ::read(fds[0], buf, sizeof(buf));
    if (n <= 0) break;
    result.output.append(buf, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

void NetRootTest::start_httpd(int netns_fd, uint16_t port, const std::string& body) {
  std::string home = fmt::format("{}/www{}", work_dir_, port);
  ASSERT_TRUE(make_dirs(home).ok());
  ASSERT_TRUE(write_file(home + "/index.html", body).ok());
  spawn(netns_fd, {"httpd", "-f", "-p", std::to_string(port), "-h", home});
  // Wait until it listens (connect from inside the namespace).
  for (int i = 0; i < 100; ++i) {
    if (http_get(netns_fd, IpAddress::v4(0x7f000001), port, 200).ok()) return;
    ::usleep(20 * 1000);
  }
  FAIL() << "httpd on port " << port << " did not come up";
}

void NetRootTest::start_udp_echo(int netns_fd, uint16_t port) {
  auto echo = std::make_unique<UdpEcho>();
  auto fd = make_socket(netns_fd, AF_INET, SOCK_DGRAM);
  ASSERT_TRUE(fd.ok());
  echo->fd = std::move(fd).take();
  socklen_t len = 0;
  auto ss = sockaddr_of(IpAddress::any(Family::kV4), port, &len);
  ASSERT_EQ(::bind(echo->fd.get(), reinterpret_cast<sockaddr*>(&ss), len), 0);
  int sock = echo->fd.get();
  echo->thread = std::thread([this, sock] {
    char buf[2048];
    while (!stop_) {
      if (!wait_fd(sock, POLLIN, 50)) continue;
      sockaddr_storage peer{};
      socklen_t peer_len = sizeof(peer);
      ssize_t n =
          ::recvfrom(sock, buf, sizeof(buf), 0, reinterpret_cast<sockaddr*>(&peer), &peer_len);
      if (n <= 0) continue;
      std::string reply = "echo:" + std::string(buf, static_cast<size_t>(n));
      ::sendto(sock, reply.data(), reply.size(), 0, reinterpret_cast<sockaddr*>(&peer), peer_len);
    }
  });
  echoes_.push_back(std::move(echo));
}

Result<UniqueFd> connect_tcp(int netns_fd, const IpAddress& address, uint16_t port,
                             int timeout_ms) {
  auto fd =
      TRY(make_socket(netns_fd, address.is_v4() ? AF_INET : AF_INET6, SOCK_STREAM | SOCK_NONBLOCK));
  socklen_t len = 0;
  auto ss = sockaddr_of(address, port, &len);
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0) {
    if (errno != EINPROGRESS) return errno_error("connect");
    if (!wait_fd(fd.get(), POLLOUT, timeout_ms)) {
      return Error(ErrorCode::kDeadlineExceeded, "connect timed out");
    }
    int err = 0;
    socklen_t err_len = sizeof(err);
    ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &err_len);
    if (err != 0) return errno_error(err, "connect");
  }
  return fd;
}

Result<std::string> http_get(int netns_fd, const IpAddress& address, uint16_t port,
                             int timeout_ms) {
  auto fd = TRY(connect_tcp(netns_fd, address, port, timeout_ms));
  std::string request = "GET /index.html HTTP/1.0\r\n\r\n";
  if (::send(fd.get(), request.data(), request.size(), MSG_NOSIGNAL) < 0) {
    return errno_error("send");
  }
  std::string response;
  char buf[4096];
  for (;;) {
    if (!wait_fd(fd.get(), POLLIN, timeout_ms)) {
      return Error(ErrorCode::kDeadlineExceeded, "read timed out");
    }
    ssize_t n = ::recv(fd.get(), buf, sizeof(buf), 0);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      return errno_error("recv");
    }
    if (n == 0) break;
    response.append(buf, static_cast<size_t>(n));
  }
  return response;
}

Result<std::string> udp_exchange(int netns_fd, const IpAddress& address, uint16_t port,
                                 const std::string& payload, int timeout_ms) {
  auto fd = TRY(make_socket(netns_fd, address.is_v4() ? AF_INET : AF_INET6, SOCK_DGRAM));
  socklen_t len = 0;
  auto ss = sockaddr_of(address, port, &len);
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0)
    return errno_error("connect");
  if (::send(fd.get(), payload.data(), payload.size(), 0) < 0) return errno_error("send");
  if (!wait_fd(fd.get(), POLLIN, timeout_ms)) {
    return Error(ErrorCode::kDeadlineExceeded, "no answer");
  }
  char buf[2048];
  ssize_t n = ::recv(fd.get(), buf, sizeof(buf), 0);
  if (n < 0) return errno_error("recv");
  return std::string(buf, static_cast<size_t>(n));
}

Result<UniqueFd> listen_tcp(int netns_fd, const IpAddress& address, uint16_t port) {
  auto fd = TRY(make_socket(netns_fd, address.is_v4() ? AF_INET : AF_INET6, SOCK_STREAM));
  int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  socklen_t len = 0;
  auto ss = sockaddr_of(address, port, &len);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0) return errno_error("bind");
  if (::listen(fd.get(), 16) != 0) return errno_error("listen");
  return fd;
}

Result<IpAddress> accept_peer(int listen_fd, int timeout_ms) {
  if (!wait_fd(listen_fd, POLLIN, timeout_ms)) {
    return Error(ErrorCode::kDeadlineExceeded, "nobody connected");
  }
  sockaddr_storage peer{};
  socklen_t len = sizeof(peer);
  UniqueFd conn(::accept4(listen_fd, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_CLOEXEC));
  if (!conn) return errno_error("accept");
  return address_of(peer);
}

std::string nft_list(const std::string& family, const std::string& table) {
  std::string cmd = fmt::format("nft list table {} {} 2>/dev/null", family, table);
  std::string out;
  FILE* f = ::popen(cmd.c_str(), "r");
  if (!f) return out;
  char buf[4096];
  size_t n;
  while ((n = ::fread(buf, 1, sizeof(buf), f)) > 0) out.append(buf, n);
  ::pclose(f);
  return out;
}

}  // namespace berth::net::testing
