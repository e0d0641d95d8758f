#include "http/detail/server_connection.h"

#include <limits>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "base/log.h"
#include "http/detail/server_exchange.h"
#include "http/detail/stream_hijack.h"
#include "http/detail/wire_format.h"
#include "http/request.h"

namespace berth::http::detail {

namespace {

// How long a closing connection waits for the client to close after our last byte.
constexpr std::chrono::milliseconds kLinger{1000};

Status status_of(const error_code& ec, std::string_view what) {
  if (!ec) return {};
  return error_from(ec, what);
}

std::string tls_peer_subject(TlsStream& tls) {
  X509* cert = SSL_get1_peer_certificate(tls.native_handle());
  if (!cert) return {};
  char buf[512];
  X509_NAME_oneline(X509_get_subject_name(cert), buf, sizeof(buf));
  X509_free(cert);
  return buf;
}

bool is_disconnect(const error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
         ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::operation_aborted || ec == asio::error::broken_pipe ||
         ec == ssl::error::stream_truncated;
}

Error body_error(const error_code& ec) {
  if (is_disconnect(ec)) {
    return Error(ErrorCode::kUnavailable, fmt::format("request body incomplete: {}", ec.message()));
  }
  return Error(ErrorCode::kInvalidArgument,
               fmt::format("malformed request body: {}", ec.message()));
}

// True when the request line in `buffer` ends in a well-formed "HTTP/<digit>.<digit>": as in
// Go's net/http, such a version we do not speak gets 505, any other request line 400.
bool has_http_version(const beast::flat_buffer& buffer) {
  auto bytes = buffer.data();
  std::string_view text(static_cast<const char*>(bytes.data()), bytes.size());
  std::string_view line = text.substr(0, text.find('\n'));
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  size_t space = line.rfind(' ');
  if (space == std::string_view::npos) return false;
  std::string_view v = line.substr(space + 1);
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  return v.size() == 8 && v.substr(0, 5) == "HTTP/" && digit(v[5]) && v[6] == '.' && digit(v[7]);
}

}  // namespace

ServerConnection::ServerConnection(std::shared_ptr<ServerState> server, AnyStream stream,
                                   PeerInfo peer)
    : server_(std::move(server)),
      core_(std::make_shared<StreamCore>(std::move(stream))),
      peer_(std::move(peer)),
      timer_(core_->executor()) {}

ServerConnection::~ServerConnection() {
  server_->remove(this);
}

void ServerConnection::start() {
  asio::dispatch(executor(), [self = shared_from_this()] {
    if (self->core_->stream().is_tls()) {
      self->handshake();
    } else {
      self->read_head();
    }
  });
}

void ServerConnection::handshake() {
  timer_.expires_after(server_->options.tls_handshake_timeout);
  timer_.async_wait([self = shared_from_this()](const error_code& ec) {
    if (!ec) self->close_now();
  });
  TlsStream* tls = core_->stream().tls();
  tls->async_handshake(ssl::stream_base::server, [self = shared_from_this()](const error_code& ec) {
    self->timer_.cancel();
    if (ec) {
      log::debug("http: TLS handshake with {} failed: {}", self->peer_.address, ec.message());
      self->close_now();
      return;
    }
    self->peer_.tls_subject = tls_peer_subject(*self->core_->stream().tls());
    self->read_head();
  });
}

void ServerConnection::read_head() {
  if (state_ == State::kClosed || state_ == State::kClosing) return;
  if (server_->stopping && core_->buffer().size() == 0) {
    close_now();
    return;
  }
  state_ = State::kReadingHead;
  parser_.emplace();
  parser_->header_limit(server_->options.max_header_bytes);
  // Bodies are limited where they are buffered (Router). Not boost::none: Beast 1.74 compares
  // Content-Length against the optional and treats "none" as smaller than any length.
  parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
  timer_.expires_after(server_->options.idle_timeout);
  timer_.async_wait([self = shared_from_this()](const error_code& ec) {
    if (!ec && self->state_ == State::kReadingHead) self->close_now();
  });
  bhttp::async_read_header(
      core_->stream(), core_->buffer(), *parser_,
      [self = shared_from_this()](const error_code& ec, size_t) { self->on_head(ec); });
}

void ServerConnection::on_head(error_code ec) {
  timer_.cancel();
  if (state_ != State::kReadingHead) return;
  if (ec) {
    if (is_disconnect(ec)) {
      close_now();
    } else if (ec == bhttp::error::header_limit) {
      reject(431, "request header fields too large");
    } else if (ec == bhttp::error::bad_version) {
      if (has_http_version(core_->buffer())) {
        reject(505, "unsupported protocol version");
      } else {
        reject(400, "malformed HTTP request: bad version");
      }
    } else {
      reject(400, fmt::format("malformed HTTP request: {}", ec.message()));
    }
    return;
  }
  dispatch();
}

void ServerConnection::reject(int status, std::string_view message) {
  state_ = State::kClosing;
  Response r = Response::error(status, message);
  r.headers.set("Content-Length", std::to_string(r.body.size()));
  r.headers.set("Connection", "close");
  core_->queue_write(response_head(status, "", r.headers) + r.body);
  core_->graceful_close(kLinger);
}

void ServerConnection::dispatch() {
  auto& message = parser_->get();
  Headers headers;
  for (const auto& field : message) headers.add(field.name_string(), field.value());

  ++exchange_id_;
  state_ = State::kInHandler;
  head_request_ = message.method() == bhttp::verb::head;
  keep_alive_ = message.keep_alive();
  version_ = static_cast<int>(message.version());
  expect_continue_ = iequals(headers.value("Expect"), "100-continue");
  upgrade_requested_ = headers.has("Upgrade");
  body_done_ = parser_->is_done();
  body_error_.reset();
  reply_ = Reply::kNone;
  close_after_ = false;
  next_pending_ = false;

  exchange_ = std::make_shared<ServerExchange>(shared_from_this(), exchange_id_);
  auto request = std::make_shared<Request>(
      std::string(message.method_string()), std::string(message.target()), std::move(headers),
      std::make_unique<ExchangeBodyReader>(exchange_), peer_, version_);
  if (body_done_) watch();

  server_->pool.submit([server = server_, exchange = exchange_, request]() mutable {
    try {
      server->handler(*request, *exchange);
    } catch (const std::exception& e) {
      log::error("http: handler for {} {} threw: {}", request->method(), request->target(),
                 e.what());
      if (!exchange->responded()) (void)exchange->send_error(500, "internal server error");
    }
    // The request (and its body reader) goes before the exchange is released.
    request.reset();
    exchange->finish();
  });
}

void ServerConnection::read_body(uint64_t id, char* buf, size_t len,
                                 std::function<void(Result<size_t>)> done) {
  if (!current(id)) return done(Error(ErrorCode::kFailedPrecondition, "request is over"));
  if (body_error_) return done(*body_error_);
  if (body_done_ || len == 0) return done(size_t{0});
  if (reply_ == Reply::kHijacked) return done(size_t{0});
  if (expect_continue_) {
    // The client waits for this before sending a body it was told might be refused.
    expect_continue_ = false;
    if (reply_ == Reply::kNone) core_->queue_write(std::string(kContinue));
  }
  read_body_step(buf, len, std::move(done), 0);
}

void ServerConnection::read_body_step(char* buf, size_t len,
                                      std::function<void(Result<size_t>)> done, size_t got) {
  auto& body = parser_->get().body();
  body.data = buf + got;
  body.size = len - got;
  bhttp::async_read_some(core_->stream(), core_->buffer(), *parser_,
                         [self = shared_from_this(), buf, len, got, done = std::move(done)](
                             error_code ec, size_t) mutable {
                           auto& b = self->parser_->get().body();
                           got = len - b.size;
                           b.data = nullptr;
                           b.size = 0;
                           if (ec == bhttp::error::need_buffer) ec = {};
                           if (ec) {
                             self->body_error_ = body_error(ec);
                             self->close_after_ = true;
                             if (is_disconnect(ec)) self->client_gone();
                             done(*self->body_error_);
                             return;
                           }
                           if (self->parser_->is_done()) self->body_done_ = true;
                           // Fill the handler's buffer while bytes are at hand: every return to the
                           // handler costs two thread switches, which dominate on a busy machine.
                           bool more_now = self->core_->buffer().size() > 0 ||
                                           self->core_->stream().available() > 0;
                           if (!self->body_done_ && (got == 0 || (got < len && more_now))) {
                             self->read_body_step(buf, len, std::move(done), got);
                             return;
                           }
                           if (self->body_done_) self->watch();
                           done(got);
                         });
}

bool ServerConnection::must_close() const {
  return close_after_ || !keep_alive_ || !body_done_ || body_error_ || server_->stopping;
}

void ServerConnection::send_response(uint64_t id, Response response,
                                     std::function<void(Status)> done) {
  if (!current(id) || reply_ != Reply::kNone) {
    return done(Error(ErrorCode::kFailedPrecondition, "a response has already been started"));
  }
  reply_ = Reply::kComplete;
  bool no_body = (response.status >= 100 && response.status < 200) || response.status == 204 ||
                 response.status == 304;
  Headers& h = response.headers;
  h.remove("Transfer-Encoding");
  if (no_body) {
    h.remove("Content-Length");
  } else {
    h.set("Content-Length", std::to_string(response.body.size()));
    if (!h.has("Content-Type") && !response.body.empty()) {
      h.set("Content-Type", "text/plain; charset=utf-8");
    }
  }
  if (!h.has("Date")) h.set("Date", http_date(std::chrono::system_clock::now()));
  if (must_close()) {
    close_after_ = true;
    h.set("Connection", "close");
  } else if (version_ == 10) {
    h.set("Connection", "keep-alive");
  }
  std::string bytes = response_head(response.status, "", h);
  if (!no_body && !head_request_) bytes += response.body;
  core_->queue_write(std::move(bytes), [done = std::move(done)](const error_code& ec) {
    done(status_of(ec, "write response"));
  });
}

void ServerConnection::begin_stream(uint64_t id, int status, Headers headers,
                                    std::function<void(Result<Framing>)> done) {
  if (!current(id) || reply_ != Reply::kNone) {
    return done(Error(ErrorCode::kFailedPrecondition, "a response has already been started"));
  }
  reply_ = Reply::kStreaming;
  headers.remove("Content-Length");
  headers.remove("Transfer-Encoding");
  // HTTP/1.0 has no chunked encoding: the body runs until the connection closes. A HEAD
  // request gets the head only.
  Framing framing = head_request_    ? Framing::kDiscard
                    : version_ >= 11 ? Framing::kChunked
                                     : Framing::kRaw;
  if (version_ >= 11) headers.set("Transfer-Encoding", "chunked");
  if (framing == Framing::kRaw || must_close()) {
    close_after_ = true;
    headers.set("Connection", "close");
  }
  core_->queue_write(response_head(status, "", headers),
                     [done = std::move(done), framing](const error_code& ec) {
                       if (ec) {
                         done(error_from(ec, "write response head"));
                       } else {
                         done(framing);
                       }
                     });
}

void ServerConnection::end_stream(uint64_t id, std::function<void(Status)> done) {
  if (!current(id) || reply_ != Reply::kStreaming) {
    return done(Error(ErrorCode::kFailedPrecondition, "no stream to end"));
  }
  reply_ = Reply::kStreamEnded;
  std::string last = version_ >= 11 && !head_request_ ? std::string(kLastChunk) : std::string();
  core_->queue_write(std::move(last), [done = std::move(done)](const error_code& ec) {
    done(status_of(ec, "end stream"));
  });
}

void ServerConnection::hijack(
    uint64_t id, const std::string& content_type, const Headers& headers,
    std::function<void(Result<std::unique_ptr<HijackedConnection>>)> done) {
  if (!current(id) || reply_ != Reply::kNone) {
    return done(Error(ErrorCode::kFailedPrecondition, "a response has already been started"));
  }
  if (!body_done_) {
    return done(Error(ErrorCode::kFailedPrecondition, "hijack before the request body was read"));
  }
  reply_ = Reply::kHijacked;
  // dockerd's exact heads: with an Upgrade header "101 UPGRADED", else the older "200 OK".
  Headers h;
  h.set("Content-Type", content_type);
  std::string head;
  if (upgrade_requested_) {
    h.set("Connection", "Upgrade");
    h.set("Upgrade", "tcp");
    h.merge_missing(headers);
    head = response_head(101, "UPGRADED", h);
  } else {
    h.merge_missing(headers);
    head = response_head(200, "OK", h);
  }
  core_->queue_write(std::move(head),
                     [self = shared_from_this(), done = std::move(done)](const error_code& ec) {
                       if (ec) return done(error_from(ec, "write hijack response"));
                       std::unique_ptr<HijackedConnection> conn =
                           std::make_unique<StreamHijackedConnection>(self->core_, self);
                       done(std::move(conn));
                     });
}

void ServerConnection::exchange_done(uint64_t id) {
  if (id != exchange_id_) return;
  exchange_.reset();  // the exchange holds this connection: always break the cycle
  if (state_ != State::kInHandler) return;
  switch (reply_) {
    case Reply::kHijacked:
      // The HijackedConnection owns the stream (and this connection) from here on.
      state_ = State::kHijacked;
      return;
    case Reply::kNone: {
      Response r;
      if (body_error_) {
        r = Response::error(body_error_->code() == ErrorCode::kResourceExhausted ? 413 : 400,
                            body_error_->message());
      } else {
        r = Response::error(500, "handler did not respond");
      }
      send_response(id, std::move(r), [](const Status&) {});
      break;
    }
    case Reply::kStreaming: end_stream(id, [](const Status&) {}); break;
    case Reply::kComplete:
    case Reply::kStreamEnded: break;
  }
  if (must_close() || gone_ || core_->broken()) {
    close_gracefully();
    return;
  }
  state_ = State::kReadingHead;
  if (watching_) {
    next_pending_ = true;  // the read in flight carries on as the next request's first read
  } else {
    read_head();
  }
}

void ServerConnection::watch() {
  if (watching_ || gone_ || state_ != State::kInHandler || reply_ == Reply::kHijacked) return;
  // Bytes already buffered mean the client has pipelined its next request: it is not gone,
  // and a read now could wait for bytes it sends only after our response.
  if (core_->buffer().size() > 0) return;
  watching_ = true;
  core_->read_more([self = shared_from_this()](const error_code& ec) { self->on_watch(ec); });
}

void ServerConnection::on_watch(const error_code& ec) {
  watching_ = false;
  if (state_ == State::kHijacked || reply_ == Reply::kHijacked || state_ == State::kClosed) return;
  if (ec) {
    client_gone();
    if (next_pending_ || state_ == State::kReadingHead) close_now();
    return;
  }
  if (next_pending_) {
    next_pending_ = false;
    read_head();
  }
  // Otherwise the handler is still running and the client has sent more: the start of its next
  // request (or of a hijacked stream). It is kept, and watching stops: a client that talks is
  // not gone, and reading further could wait forever for bytes it will send only after our
  // response.
}

void ServerConnection::client_gone() {
  if (gone_) return;
  gone_ = true;
  if (exchange_) exchange_->notify_gone();
}

void ServerConnection::close_now() {
  if (state_ == State::kClosed) return;
  state_ = State::kClosed;
  timer_.cancel();
  core_->close();
  client_gone();
}

void ServerConnection::close_gracefully() {
  state_ = State::kClosing;
  core_->graceful_close(kLinger);
}

void ServerConnection::close_if_idle() {
  asio::post(executor(), [self = shared_from_this()] {
    if (self->state_ == State::kReadingHead || self->state_ == State::kStarting) self->close_now();
  });
}

void ServerConnection::force_close() {
  asio::post(executor(), [self = shared_from_this()] {
    self->close_now();
    self->core_->close();  // hijacked and closing connections too
  });
}

}  // namespace berth::http::detail
