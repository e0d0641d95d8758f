#include "http/request.h"

#include <algorithm>
#include <cstring>

#include "base/strings.h"

namespace berth::http {

class Request::ChunkReader final : public BodyReader {
 public:
  explicit ChunkReader(Request* request) : request_(request) {}
  Result<size_t> read(char* buf, size_t len) override {
    return request_->read_body_chunk(buf, len);
  }

 private:
  Request* request_;
};

Request::Request(std::string method, std::string target, Headers headers, std::string body)
    : method_(std::move(method)), target_(std::move(target)), headers_(std::move(headers)) {
  parse_target();
  content_length_ = body.size();
  body_ = std::move(body);
  buffered_ = true;
}

Request::Request(std::string method, std::string target, Headers headers,
                 std::unique_ptr<BodyReader> body, PeerInfo peer, int http_version)
    : method_(std::move(method)),
      target_(std::move(target)),
      headers_(std::move(headers)),
      peer_(std::move(peer)),
      http_version_(http_version),
      source_(std::move(body)) {
  parse_target();
  chunked_ = headers_.has_token("Transfer-Encoding", "chunked");
  if (!chunked_) {
    auto length = parse_uint64(trim(headers_.value("Content-Length")));
    content_length_ = length.ok() ? *length : 0;
  }
}

Request::Request(Request&& other) noexcept {
  *this = std::move(other);
}

Request& Request::operator=(Request&& other) noexcept {
  if (this == &other) return *this;
  method_ = std::move(other.method_);
  target_ = std::move(other.target_);
  path_ = std::move(other.path_);
  raw_query_ = std::move(other.raw_query_);
  query_ = std::move(other.query_);
  target_error_ = std::move(other.target_error_);
  headers_ = std::move(other.headers_);
  peer_ = std::move(other.peer_);
  http_version_ = other.http_version_;
  params_ = std::move(other.params_);
  api_version_ = std::move(other.api_version_);
  content_length_ = other.content_length_;
  chunked_ = other.chunked_;
  source_ = std::move(other.source_);
  reader_.reset();  // bound to `other`; recreated on demand
  other.reader_.reset();
  body_ = std::move(other.body_);
  buffered_ = other.buffered_;
  replay_offset_ = other.replay_offset_;
  body_read_ = other.body_read_;
  return *this;
}

Request::~Request() = default;

void Request::parse_target() {
  std::string_view target = target_;
  // Absolute-form targets ("http://host/path") carry the path after the authority.
  if (size_t scheme = target.find("://"); scheme != std::string_view::npos && target[0] != '/') {
    size_t slash = target.find('/', scheme + 3);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  auto [raw_path, query] = split_once(target, '?');
  raw_query_ = std::string(query);
  auto path = percent_decode(raw_path, false);
  if (!path.ok()) {
    target_error_ = path.error();
    path_ = std::string(raw_path);
  } else {
    path_ = path.take();
  }
  auto params = QueryParams::parse(query);
  if (!params.ok()) {
    if (!target_error_) target_error_ = params.error();
  } else {
    query_ = params.take();
  }
}

std::string_view Request::param(std::string_view name) const {
  for (const auto& [k, v] : params_) {
    if (k == name) return v;
  }
  return {};
}

void Request::set_route(std::string path, PathParams params, std::string api_version) {
  path_ = std::move(path);
  params_ = std::move(params);
  api_version_ = std::move(api_version);
}

Result<size_t> Request::read_body_chunk(char* buf, size_t len) {
  if (len == 0) return size_t{0};
  if (buffered_) {
    size_t n = std::min(len, body_.size() - replay_offset_);
    if (n > 0) std::memcpy(buf, body_.data() + replay_offset_, n);
    replay_offset_ += n;
    return n;
  }
  if (!source_) return size_t{0};
  size_t n = TRY(source_->read(buf, len));
  body_read_ += n;
  return n;
}

BodyReader& Request::body_reader() {
  if (!reader_) reader_ = std::make_unique<ChunkReader>(this);
  return *reader_;
}

Status Request::buffer_body(uint64_t limit) {
  if (buffered_ && body_.size() <= limit) return {};
  if ((content_length_ && *content_length_ > limit) || body_.size() > limit) {
    // content_length_ is unset for a chunked body already buffered past the limit.
    return make_error(ErrorCode::kResourceExhausted,
                      "request body is {} bytes, larger than the limit of {} bytes",
                      content_length_ ? *content_length_ : body_.size(), limit);
  }
  std::string body;
  char buf[16384];
  while (true) {
    size_t n = TRY(read_body_chunk(buf, sizeof(buf)));
    if (n == 0) break;
    if (body.size() + n > limit) {
      return make_error(ErrorCode::kResourceExhausted,
                        "request body is larger than the limit of {} bytes", limit);
    }
    body.append(buf, n);
  }
  body_ = std::move(body);
  buffered_ = true;
  replay_offset_ = 0;
  return {};
}

}  // namespace berth::http
