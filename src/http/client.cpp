#include "http/client.h"

#include <algorithm>
#include <limits>
#include <mutex>
#include <vector>

#include "http/detail/client_connection.h"
#include "http/detail/stream_core.h"
#include "http/detail/stream_hijack.h"
#include "http/detail/tls_context.h"

namespace berth::http {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using detail::ClientConnection;
using detail::error_code;

namespace {

constexpr uint32_t kMaxResponseHead = 1u << 20;

bool is_stale_connection_error(const error_code& ec) {
  return ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == bhttp::error::end_of_stream ||
         ec == bhttp::error::partial_message;
}

}  // namespace

// --- requests ---

ClientRequest ClientRequest::get(std::string target) {
  ClientRequest r;
  r.target = std::move(target);
  return r;
}

ClientRequest ClientRequest::post(std::string target, std::string body,
                                  std::string_view content_type) {
  ClientRequest r;
  r.method = "POST";
  r.target = std::move(target);
  r.body = std::move(body);
  if (!content_type.empty()) r.headers.set("Content-Type", content_type);
  return r;
}

ClientRequest ClientRequest::post_json(std::string target, const Json& body) {
  return post(std::move(target), body.dump(), "application/json");
}

// --- the client ---

struct HttpClient::Impl : std::enable_shared_from_this<HttpClient::Impl> {
  ClientOptions options;
  detail::ClientEndpoint endpoint;
  std::shared_ptr<detail::ssl::context> tls;
  std::mutex mu;
  std::vector<std::unique_ptr<ClientConnection>> idle;

  Result<std::unique_ptr<ClientConnection>> take() {
    {
      std::lock_guard lock(mu);
      while (!idle.empty()) {
        std::unique_ptr<ClientConnection> conn = std::move(idle.back());
        idle.pop_back();
        if (conn->reusable()) {
          conn->reused = true;
          return conn;
        }
      }
    }
    return ClientConnection::dial(endpoint, tls.get(), options.tls ? &*options.tls : nullptr,
                                  options.connect_timeout);
  }

  void give_back(std::unique_ptr<ClientConnection> conn) {
    std::lock_guard lock(mu);
    if (idle.size() < options.max_idle_connections) idle.push_back(std::move(conn));
  }

  Result<std::unique_ptr<ResponseStream::Impl>> send(const ClientRequest& request);
};

struct ResponseStream::Impl {
  std::shared_ptr<HttpClient::Impl> client;
  std::unique_ptr<ClientConnection> conn;
  std::optional<bhttp::response_parser<bhttp::buffer_body>> parser;
  int status = 0;
  Headers headers;
  bool done = false;
  bool failed = false;
  bool reusable = true;
  std::atomic<bool> cancelled{false};
  std::string lines;  // read_line's buffer

  // Reads the response head into status/headers.
  error_code read_head() {
    error_code ec;
    bhttp::read_header(conn->stream(), conn->buffer(), *parser, ec);
    if (ec) return ec;
    auto& message = parser->get();
    status = static_cast<int>(message.result_int());
    for (const auto& field : message) headers.add(field.name_string(), field.value());
    reusable = reusable && message.keep_alive();
    // A 101's "body" is the raw stream, not for this parser.
    if (parser->is_done() && status != 101) finish();
    return {};
  }

  Result<size_t> read(char* buf, size_t len) {
    if (done || len == 0) return size_t{0};
    if (failed || !conn) return Error(ErrorCode::kUnavailable, "response stream failed");
    auto& body = parser->get().body();
    size_t got = 0;
    while (true) {
      body.data = buf;
      body.size = len;
      error_code ec;
      bhttp::read_some(conn->stream(), conn->buffer(), *parser, ec);
      got = len - body.size;
      body.data = nullptr;
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec) {
        failed = true;
        if (cancelled) return Error(ErrorCode::kCancelled, "response stream cancelled");
        return Error(ErrorCode::kUnavailable, fmt::format("read response body: {}", ec.message()));
      }
      if (parser->is_done()) {
        finish();
        break;
      }
      if (got > 0) break;
    }
    return got;
  }

  // The body is complete: the connection can serve another request.
  void finish() {
    done = true;
    std::lock_guard lock(conn_mu);
    if (conn && reusable && !cancelled && parser->keep_alive()) client->give_back(std::move(conn));
    conn.reset();
  }

  void cancel() {
    cancelled = true;
    std::lock_guard lock(conn_mu);
    if (conn) conn->abort();
  }

  std::mutex conn_mu;  // cancel() against finish() handing the connection back
};

Result<std::unique_ptr<ResponseStream::Impl>> HttpClient::Impl::send(const ClientRequest& request) {
  // A reused connection the server closed meanwhile fails on first use; a request that can be
  // sent again (its body is in memory) is retried once on a fresh connection.
  bool replayable = request.body_reader == nullptr;
  for (int attempt = 0;; ++attempt) {
    auto stream = std::make_unique<ResponseStream::Impl>();
    stream->client = shared_from_this();
    stream->conn = TRY(take());
    bool may_retry = stream->conn->reused && replayable && attempt == 0;
    stream->parser.emplace();
    stream->parser->header_limit(kMaxResponseHead);
    // Not boost::none, which Beast 1.74 compares wrongly against Content-Length.
    stream->parser->body_limit(std::numeric_limits<std::uint64_t>::max());
    if (request.method == "HEAD") stream->parser->skip(true);

    Status written =
        stream->conn->write_request(request, options.default_headers, endpoint.host_header);
    if (!written.ok()) {
      if (may_retry) continue;
      // The server may have answered before reading the whole body (413, 404): prefer that.
      stream->reusable = false;
      if (!stream->read_head()) return stream;
      return std::move(written).error();
    }
    if (error_code ec = stream->read_head()) {
      if (may_retry && is_stale_connection_error(ec)) continue;
      return Error(ErrorCode::kUnavailable, fmt::format("read response: {}", ec.message()));
    }
    return stream;
  }
}

Result<HttpClient> HttpClient::create(ClientOptions options) {
  auto impl = std::make_shared<Impl>();
  impl->endpoint = TRY(detail::parse_client_endpoint(options.host, options.tls.has_value()));
  if (impl->endpoint.tls) {
    TlsClientConfig config = options.tls.value_or(TlsClientConfig{});
    if (!options.tls) options.tls = config;
    impl->tls = TRY(detail::make_client_tls_context(config));
  }
  impl->options = std::move(options);
  return HttpClient(std::move(impl));
}

const ClientOptions& HttpClient::options() const {
  return impl_->options;
}

void HttpClient::close_idle_connections() {
  std::lock_guard lock(impl_->mu);
  impl_->idle.clear();
}

Result<std::unique_ptr<ResponseStream>> HttpClient::stream(const ClientRequest& request) {
  auto impl = TRY(impl_->send(request));
  return std::make_unique<ResponseStream>(std::move(impl));
}

Result<Response> HttpClient::request(const ClientRequest& request) {
  auto stream = TRY(impl_->send(request));
  ResponseStream body(std::move(stream));
  Response response;
  response.status = body.status();
  response.headers = body.headers();
  response.body = TRY(body.read_all(impl_->options.max_response_bytes));
  return response;
}

Result<HijackResponse> HttpClient::hijack(ClientRequest request, bool upgrade) {
  if (upgrade) {
    request.headers.set("Connection", "Upgrade");
    request.headers.set("Upgrade", "tcp");
  }
  auto stream = TRY(impl_->send(request));
  HijackResponse out;
  out.status = stream->status;
  out.headers = stream->headers;
  if (out.status != 101 && out.status != 200) {
    ResponseStream body(std::move(stream));
    out.body = TRY(body.read_all(impl_->options.max_response_bytes));
    return out;
  }
  if (!stream->conn) {
    return Error(ErrorCode::kUnavailable, "hijack: the server closed the connection");
  }
  // The connection becomes the raw stream: bytes already read past the head come first, and
  // its io_context gets a thread of its own so reads and writes can overlap.
  std::unique_ptr<ClientConnection> conn = std::move(stream->conn);
  std::unique_ptr<asio::io_context> io = conn->release_io();
  auto core = std::make_shared<detail::StreamCore>(conn->release_stream());
  auto& leftover = conn->buffer();
  size_t n = leftover.size();
  core->buffer().commit(asio::buffer_copy(core->buffer().prepare(n), leftover.data()));
  conn.reset();
  auto owner = std::make_shared<detail::IoThread>(std::move(io));
  out.connection = std::make_unique<detail::StreamHijackedConnection>(core, owner);
  return out;
}

// --- response streams ---

ResponseStream::ResponseStream(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ResponseStream::~ResponseStream() = default;

int ResponseStream::status() const {
  return impl_->status;
}
const Headers& ResponseStream::headers() const {
  return impl_->headers;
}

Result<size_t> ResponseStream::read(char* buf, size_t len) {
  // Lines read ahead by read_line come first.
  if (!impl_->lines.empty()) {
    size_t n = std::min(len, impl_->lines.size());
    std::copy_n(impl_->lines.data(), n, buf);
    impl_->lines.erase(0, n);
    return n;
  }
  return impl_->read(buf, len);
}

Result<std::optional<std::string>> ResponseStream::read_line() {
  std::string& lines = impl_->lines;
  size_t scanned = 0;
  char buf[16384];
  while (true) {
    size_t eol = lines.find('\n', scanned);
    if (eol != std::string::npos) {
      std::string line = lines.substr(0, eol);
      lines.erase(0, eol + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return std::optional<std::string>(std::move(line));
    }
    scanned = lines.size();
    size_t n = TRY(impl_->read(buf, sizeof(buf)));
    if (n == 0) {
      if (lines.empty()) return std::optional<std::string>();
      std::string last = std::move(lines);
      lines.clear();
      return std::optional<std::string>(std::move(last));
    }
    lines.append(buf, n);
  }
}

Result<std::string> ResponseStream::read_all(uint64_t limit) {
  std::string out = std::move(impl_->lines);
  impl_->lines.clear();
  char buf[65536];
  while (true) {
    size_t n = TRY(impl_->read(buf, sizeof(buf)));
    if (n == 0) return out;
    if (out.size() + n > limit) {
      return make_error(ErrorCode::kResourceExhausted, "response body larger than {} bytes", limit);
    }
    out.append(buf, n);
  }
}

void ResponseStream::cancel() {
  impl_->cancel();
}

}  // namespace berth::http
