#include "http/detail/client_connection.h"

#include <poll.h>
#include <sys/socket.h>

#include "base/strings.h"
#include "http/detail/wire_format.h"

namespace berth::http::detail {

namespace {

constexpr size_t kUploadChunk = size_t{256} * 1024;

Error dial_error(const ClientEndpoint& endpoint, const error_code& ec) {
  std::string where = endpoint.is_unix ? "unix " + endpoint.path
                                       : fmt::format("tcp {}:{}", endpoint.host, endpoint.port);
  return Error(code_from_errno(ec.value()), fmt::format("dial {}: {}", where, ec.message()));
}

Status write_all(AnyStream& stream, const std::vector<asio::const_buffer>& buffers) {
  error_code ec;
  asio::write(stream, buffers, ec);
  if (ec) return Error(ErrorCode::kUnavailable, fmt::format("write request: {}", ec.message()));
  return {};
}

bool is_ip_literal(const std::string& host) {
  error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

}  // namespace

Result<ClientEndpoint> parse_client_endpoint(std::string_view host, bool tls_configured) {
  ClientEndpoint out;
  if (host.starts_with("unix://") || host.starts_with("/")) {
    out.path = std::string(host.starts_with("/") ? host : host.substr(7));
    if (out.path.empty()) return make_error(ErrorCode::kInvalidArgument, "empty unix socket path");
    // dockerd ignores the Host header on unix sockets; docker's client sends this one.
    out.host_header = "api.moby.localhost";
    return out;
  }
  std::string_view rest;
  if (host.starts_with("tcp://")) {
    rest = host.substr(6);
    out.tls = tls_configured;
  } else if (host.starts_with("http://")) {
    rest = host.substr(7);
    out.tls = tls_configured;
  } else if (host.starts_with("https://")) {
    rest = host.substr(8);
    out.tls = true;
  } else {
    return make_error(ErrorCode::kInvalidArgument, "unsupported host \"{}\"", host);
  }
  if (size_t slash = rest.find('/'); slash != std::string_view::npos) rest = rest.substr(0, slash);
  out.is_unix = false;
  std::string_view port_text;
  if (rest.starts_with("[")) {
    size_t close = rest.find(']');
    if (close == std::string_view::npos) {
      return make_error(ErrorCode::kInvalidArgument, "bad host \"{}\"", host);
    }
    out.host = std::string(rest.substr(1, close - 1));
    if (close + 1 < rest.size() && rest[close + 1] == ':') port_text = rest.substr(close + 2);
  } else {
    auto [h, p] = split_once(rest, ':');
    out.host = std::string(h);
    port_text = p;
  }
  if (out.host.empty()) out.host = "localhost";
  out.port = out.tls ? 2376 : 2375;  // docker's defaults
  if (!port_text.empty()) {
    auto port = parse_int(port_text);
    if (!port.ok() || *port <= 0 || *port > 65535) {
      return make_error(ErrorCode::kInvalidArgument, "bad port in \"{}\"", host);
    }
    out.port = static_cast<uint16_t>(*port);
  }
  out.host_header = out.host.find(':') != std::string::npos
                        ? fmt::format("[{}]:{}", out.host, out.port)
                        : fmt::format("{}:{}", out.host, out.port);
  return out;
}

Result<std::unique_ptr<ClientConnection>> ClientConnection::dial(
    const ClientEndpoint& endpoint, ssl::context* tls, const TlsClientConfig* tls_config,
    std::chrono::milliseconds timeout) {
  std::unique_ptr<ClientConnection> conn(new ClientConnection());
  conn->io_ = std::make_unique<asio::io_context>(1);
  error_code ec;
  if (endpoint.is_unix) {
    UnixSocket socket(*conn->io_);
    socket.connect(asio::local::stream_protocol::endpoint(endpoint.path), ec);
    if (ec) return dial_error(endpoint, ec);
    conn->fd_ = socket.native_handle();
    conn->stream_.emplace(std::move(socket));
    return conn;
  }

  asio::ip::tcp::resolver resolver(*conn->io_);
  auto results = resolver.resolve(endpoint.host, std::to_string(endpoint.port), ec);
  if (ec) return dial_error(endpoint, ec);
  TcpSocket socket(*conn->io_);
  // Connect asynchronously only to bound the wait.
  error_code connect_ec = asio::error::timed_out;
  asio::async_connect(socket, results,
                      [&](const error_code& e, const asio::ip::tcp::endpoint&) { connect_ec = e; });
  conn->io_->run_for(timeout);
  if (!conn->io_->stopped()) {
    socket.close(ec);
    conn->io_->run();  // let the cancelled connect complete
  }
  conn->io_->restart();
  if (connect_ec) return dial_error(endpoint, connect_ec);
  socket.set_option(asio::ip::tcp::no_delay(true), ec);
  conn->fd_ = socket.native_handle();

  if (!endpoint.tls) {
    conn->stream_.emplace(std::move(socket));
    return conn;
  }
  TlsStream stream(std::move(socket), *tls);
  if (!is_ip_literal(endpoint.host)) {
    SSL_set_tlsext_host_name(stream.native_handle(), endpoint.host.c_str());
  }
  if (tls_config && !tls_config->insecure_skip_verify && tls_config->verify_server_name) {
    stream.set_verify_callback(ssl::host_name_verification(endpoint.host));
  }
  stream.handshake(ssl::stream_base::client, ec);
  if (ec) {
    return Error(ErrorCode::kUnavailable, fmt::format("TLS handshake with {}:{}: {}", endpoint.host,
                                                      endpoint.port, ec.message()));
  }
  conn->stream_.emplace(std::move(stream));
  return conn;
}

Status ClientConnection::write_request(const ClientRequest& request, const Headers& defaults,
                                       std::string_view host_header) {
  Headers headers = request.headers;
  if (!headers.has("Host")) headers.set("Host", host_header);
  headers.merge_missing(defaults);
  headers.remove("Transfer-Encoding");
  bool chunked = false;
  if (request.body_reader) {
    if (request.body_length) {
      headers.set("Content-Length", std::to_string(*request.body_length));
    } else {
      headers.remove("Content-Length");
      headers.set("Transfer-Encoding", "chunked");
      chunked = true;
    }
  } else if (!request.body.empty() || request.method == "POST" || request.method == "PUT" ||
             request.method == "PATCH") {
    headers.set("Content-Length", std::to_string(request.body.size()));
  }
  std::string head = request_head(request.method, request.target, headers);
  if (!request.body_reader) {
    return write_all(*stream_, {asio::buffer(head), asio::buffer(request.body)});
  }

  TRY(write_all(*stream_, {asio::buffer(head)}));
  std::vector<char> buf(kUploadChunk);
  uint64_t sent = 0;
  while (true) {
    size_t n = TRY_CTX(request.body_reader->read(buf.data(), buf.size()), "read request body");
    if (n == 0) break;
    sent += n;
    if (chunked) {
      std::string size_line = fmt::format("{:x}\r\n", n);
      TRY(write_all(*stream_, {asio::buffer(size_line), asio::buffer(buf.data(), n),
                               asio::buffer("\r\n", 2)}));
    } else {
      TRY(write_all(*stream_, {asio::buffer(buf.data(), n)}));
    }
  }
  if (chunked) return write_all(*stream_, {asio::buffer(kLastChunk.data(), kLastChunk.size())});
  if (request.body_length && sent != *request.body_length) {
    return make_error(ErrorCode::kInvalidArgument, "request body was {} bytes, announced {}", sent,
                      *request.body_length);
  }
  return {};
}

bool ClientConnection::reusable() {
  if (!stream_ || !stream_->is_open() || buffer_.size() > 0) return false;
  struct pollfd pfd {};
  pfd.fd = fd_;
  pfd.events = POLLIN;
  // Readable while idle means EOF or stray bytes: either way not a clean connection.
  return ::poll(&pfd, 1, 0) == 0;
}

void ClientConnection::abort() {
  if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
}

}  // namespace berth::http::detail
