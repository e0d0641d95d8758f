#include "http/detail/listener.h"

#include <grp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <future>

#include "base/log.h"
#include "base/strings.h"
#include "http/detail/server_connection.h"
#include "http/detail/tls_context.h"

namespace berth::http::detail {

namespace {

// After a failed accept (EMFILE, ENFILE, ENOBUFS) wait a little rather than spin.
constexpr std::chrono::milliseconds kAcceptRetry{100};

template <typename Acceptor>
class AcceptLoop : public Listener, public std::enable_shared_from_this<AcceptLoop<Acceptor>> {
 public:
  using Socket = typename Acceptor::protocol_type::socket;

  AcceptLoop(std::shared_ptr<ServerState> server, Acceptor acceptor, std::string endpoint)
      : server_(std::move(server)),
        acceptor_(std::move(acceptor)),
        retry_(acceptor_.get_executor()),
        endpoint_(std::move(endpoint)) {}

  void start() override {
    asio::post(acceptor_.get_executor(), [self = this->shared_from_this()] { self->accept(); });
  }

  void close() override {
    std::promise<void> done;
    asio::post(acceptor_.get_executor(), [self = this->shared_from_this(), &done] {
      error_code ignored;
      self->acceptor_.close(ignored);
      self->retry_.cancel();
      done.set_value();
    });
    done.get_future().wait();
    on_closed();
  }

  std::string endpoint() const override { return endpoint_; }

 protected:
  virtual void on_closed() {}
  // Wraps an accepted socket into a connection (TLS, peer info).
  virtual std::shared_ptr<ServerConnection> make_connection(Socket socket) = 0;

  std::shared_ptr<ServerState> server_;
  Acceptor acceptor_;

 private:
  void accept() {
    acceptor_.async_accept(asio::make_strand(server_->io),
                           [self = this->shared_from_this()](const error_code& ec, Socket socket) {
                             self->on_accept(ec, std::move(socket));
                           });
  }

  void on_accept(const error_code& ec, Socket socket) {
    if (!acceptor_.is_open() || ec == asio::error::operation_aborted) return;
    if (ec) {
      log::warn("http: accept on {}: {}", endpoint_, ec.message());
      retry_.expires_after(kAcceptRetry);
      retry_.async_wait([self = this->shared_from_this()](const error_code& wait_ec) {
        if (!wait_ec) self->accept();
      });
      return;
    }
    if (server_->stopping) {
      error_code ignored;
      socket.close(ignored);
    } else {
      auto connection = make_connection(std::move(socket));
      server_->add(connection);
      connection->start();
    }
    accept();
  }

  asio::steady_timer retry_;
  std::string endpoint_;
};

class UnixListener final : public AcceptLoop<asio::local::stream_protocol::acceptor> {
 public:
  UnixListener(std::shared_ptr<ServerState> server, asio::local::stream_protocol::acceptor a,
               std::string path)
      : AcceptLoop(std::move(server), std::move(a), "unix://" + path), path_(std::move(path)) {}

 private:
  void on_closed() override { ::unlink(path_.c_str()); }

  std::shared_ptr<ServerConnection> make_connection(UnixSocket socket) override {
    PeerInfo peer;
    peer.transport = PeerInfo::Transport::kUnix;
    peer.address = path_;
    struct ucred cred {};
    socklen_t len = sizeof(cred);
    if (::getsockopt(socket.native_handle(), SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0) {
      peer.pid = cred.pid;
      peer.uid = cred.uid;
      peer.gid = cred.gid;
    }
    return std::make_shared<ServerConnection>(server_, AnyStream(std::move(socket)),
                                              std::move(peer));
  }

  std::string path_;
};

class TcpListener final : public AcceptLoop<asio::ip::tcp::acceptor> {
 public:
  TcpListener(std::shared_ptr<ServerState> server, asio::ip::tcp::acceptor a, std::string endpoint,
              std::shared_ptr<ssl::context> tls)
      : AcceptLoop(std::move(server), std::move(a), std::move(endpoint)), tls_(std::move(tls)) {
    error_code ec;
    port_ = acceptor_.local_endpoint(ec).port();
  }

  uint16_t port() const override { return port_; }

 private:
  std::shared_ptr<ServerConnection> make_connection(TcpSocket socket) override {
    PeerInfo peer;
    peer.transport = PeerInfo::Transport::kTcp;
    error_code ec;
    auto remote = socket.remote_endpoint(ec);
    if (!ec) {
      peer.address = remote.address().is_v6()
                         ? fmt::format("[{}]:{}", remote.address().to_string(), remote.port())
                         : fmt::format("{}:{}", remote.address().to_string(), remote.port());
    }
    socket.set_option(asio::ip::tcp::no_delay(true), ec);
    if (tls_) {
      peer.tls = true;
      return std::make_shared<ServerConnection>(
          server_, AnyStream(TlsStream(std::move(socket), *tls_)), std::move(peer));
    }
    return std::make_shared<ServerConnection>(server_, AnyStream(std::move(socket)),
                                              std::move(peer));
  }

  std::shared_ptr<ssl::context> tls_;
  uint16_t port_ = 0;
};

Result<gid_t> resolve_group(const std::string& group) {
  if (auto numeric = parse_uint64(group); numeric.ok()) return static_cast<gid_t>(*numeric);
  struct group entry {};
  struct group* found = nullptr;
  std::vector<char> buf(16384);
  int rc = ::getgrnam_r(group.c_str(), &entry, buf.data(), buf.size(), &found);
  if (rc != 0 || !found) {
    return make_error(ErrorCode::kNotFound, "group {} not found", group);
  }
  return found->gr_gid;
}

// A socket file left by a daemon that died is removed; one that still accepts is in use.
Status remove_stale_socket(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return {};
  if (!S_ISSOCK(st.st_mode)) {
    return make_error(ErrorCode::kAlreadyExists, "{} exists and is not a socket", path);
  }
  asio::io_context io;
  UnixSocket probe(io);
  error_code ec;
  probe.connect(asio::local::stream_protocol::endpoint(path), ec);
  if (!ec) return make_error(ErrorCode::kAlreadyExists, "{} is in use by another server", path);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return errno_error(fmt::format("remove stale socket {}", path));
  }
  return {};
}

}  // namespace

Result<std::shared_ptr<Listener>> listen_unix(std::shared_ptr<ServerState> server,
                                              const UnixSocketSpec& spec) {
  TRY(remove_stale_socket(spec.path));
  asio::local::stream_protocol::acceptor acceptor(server->io);
  error_code ec;
  acceptor.open(asio::local::stream_protocol(), ec);
  if (!ec) acceptor.bind(asio::local::stream_protocol::endpoint(spec.path), ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error(code_from_errno(ec.value()),
                 fmt::format("listen on unix socket {}: {}", spec.path, ec.message()));
  }
  if (::chmod(spec.path.c_str(), spec.mode) != 0) {
    return errno_error(fmt::format("chmod {}", spec.path));
  }
  if (!spec.group.empty()) {
    gid_t gid = TRY_CTX(resolve_group(spec.group), fmt::format("socket {}", spec.path));
    if (::chown(spec.path.c_str(), static_cast<uid_t>(-1), gid) != 0) {
      return errno_error(fmt::format("chown {} to group {}", spec.path, spec.group));
    }
  }
  return std::shared_ptr<Listener>(
      std::make_shared<UnixListener>(std::move(server), std::move(acceptor), spec.path));
}

Result<std::shared_ptr<Listener>> listen_tcp(std::shared_ptr<ServerState> server,
                                             const TcpSocketSpec& spec) {
  std::shared_ptr<ssl::context> tls;
  if (spec.tls) tls = TRY(make_server_tls_context(*spec.tls));

  error_code ec;
  asio::ip::tcp::resolver resolver(server->io);
  std::string host = spec.host;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  auto results =
      resolver.resolve(host, std::to_string(spec.port), asio::ip::tcp::resolver::passive, ec);
  if (ec || results.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "resolve {}: {}", spec.host, ec.message());
  }
  asio::ip::tcp::endpoint endpoint = results.begin()->endpoint();
  asio::ip::tcp::acceptor acceptor(server->io);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error(code_from_errno(ec.value()),
                 fmt::format("listen on {}:{}: {}", spec.host, spec.port, ec.message()));
  }
  auto bound = acceptor.local_endpoint(ec);
  std::string address = bound.address().is_v6() ? fmt::format("[{}]", bound.address().to_string())
                                                : bound.address().to_string();
  std::string name = fmt::format("tcp://{}:{}", address, bound.port());
  return std::shared_ptr<Listener>(
      std::make_shared<TcpListener>(std::move(server), std::move(acceptor), name, std::move(tls)));
}

}  // namespace berth::http::detail
