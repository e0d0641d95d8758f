#include "registry/http_transport.h"

#include <algorithm>
#include <cstring>
#include <optional>

#include <curl/curl.h>

#include "base/file_util.h"
#include "base/strings.h"

namespace berth::registry {
namespace {

constexpr size_t kMaxErrorBody = size_t{64} * 1024;

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer {
  const HttpRequest* request = nullptr;
  HttpResponse response;
  std::optional<Error> callback_error;
  int64_t sent = 0;
  size_t string_offset = 0;
};

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  line = trim(line);
  if (line.starts_with("HTTP/")) {
    // A new response (after 1xx): start over.
    t->response.headers.clear();
    auto parts = split(line, ' ');
    auto code =
        parts.size() > 1 ? parse_int(parts[1]) : Result<int>(Error(ErrorCode::kUnknown, ""));
    t->response.status = code.ok() ? *code : 0;
    return size * count;
  }
  bool found = false;
  auto [name, value] = split_once(line, ':', &found);
  if (found) t->response.headers.add(std::string(trim(name)), std::string(trim(value)));
  return size * count;
}

size_t on_write(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  std::string_view chunk(data, n);
  int status = t->response.status;
  bool success = status >= 200 && status < 300;
  if (success && t->request->on_body) {
    Status st = t->request->on_body(t->response, chunk);
    if (!st.ok()) {
      t->callback_error = std::move(st).error();
      return 0;  // aborts the transfer
    }
    return n;
  }
  std::string& body = t->response.body;
  if (success && body.size() + n > t->request->max_body) {
    // Not kResourceExhausted: that would be retried, and the body will not shrink.
    t->callback_error = make_error(ErrorCode::kFailedPrecondition, "response body exceeds {} bytes",
                                   t->request->max_body);
    return 0;
  }
  if (!success) chunk = chunk.substr(0, kMaxErrorBody - std::min(kMaxErrorBody, body.size()));
  body.append(chunk);
  return n;
}

size_t on_read(char* buf, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const HttpRequest& r = *t->request;
  size_t want = size * count;
  size_t n = 0;
  if (r.body_reader) {
    int64_t left = r.body_size - t->sent;
    if (left <= 0) return 0;
    want = static_cast<size_t>(std::min<int64_t>(left, static_cast<int64_t>(want)));
    auto got = r.body_reader->read(buf, want);
    if (!got.ok()) {
      t->callback_error = std::move(got).error().context("read upload source");
      return CURL_READFUNC_ABORT;
    }
    if (*got == 0) {
      t->callback_error = make_error(
          ErrorCode::kDataLoss, "upload source ended after {} of {} bytes", t->sent, r.body_size);
      return CURL_READFUNC_ABORT;
    }
    n = *got;
  } else {
    n = std::min(want, r.body.size() - t->string_offset);
    std::memcpy(buf, r.body.data() + t->string_offset, n);
    t->string_offset += n;
  }
  t->sent += static_cast<int64_t>(n);
  if (r.on_sent) r.on_sent(t->sent);
  return n;
}

// The URL without its query, which for uploads holds long opaque state.
std::string url_for_message(const std::string& url) {
  return url.substr(0, url.find('?'));
}

Error transport_error(CURLcode code, const char* detail, long os_errno, const HttpRequest& r) {
  std::string what = detail && *detail ? detail : curl_easy_strerror(code);
  while (!what.empty() && what.back() == '\n') what.pop_back();
  // curl says "Couldn't connect to server"; the errno says why (refused, unreachable, ...).
  if (code == CURLE_COULDNT_CONNECT && os_errno != 0)
    what = "connect: " + to_lower(std::strerror(static_cast<int>(os_errno)));
  std::string message = fmt::format("{} {}: {}", r.method, url_for_message(r.url), what);
  ErrorCode ec = ErrorCode::kUnavailable;
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT: ec = ErrorCode::kDeadlineExceeded; break;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_CRL_BADFILE: ec = ErrorCode::kFailedPrecondition; break;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL: ec = ErrorCode::kInvalidArgument; break;
    case CURLE_OUT_OF_MEMORY: ec = ErrorCode::kResourceExhausted; break;
    default: break;
  }
  return Error(ec, std::move(message));
}

struct HeaderList {
  curl_slist* list = nullptr;
  ~HeaderList() { curl_slist_free_all(list); }
  void add(const std::string& line) { list = curl_slist_append(list, line.c_str()); }
};

}  // namespace

HttpTransport::HttpTransport(TransportOptions options) : options_(std::move(options)) {
  global_init();
}

HttpTransport::~HttpTransport() {
  for (void* h : idle_) curl_easy_cleanup(static_cast<CURL*>(h));
}

void* HttpTransport::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      void* h = idle_.back();
      idle_.pop_back();
      return h;
    }
  }
  return curl_easy_init();
}

void HttpTransport::release(void* handle) {
  // Reset clears options but keeps the handle's live connections for the next request.
  curl_easy_reset(static_cast<CURL*>(handle));
  std::lock_guard lock(mutex_);
  if (idle_.size() < 32) {
    idle_.push_back(handle);
    return;
  }
  curl_easy_cleanup(static_cast<CURL*>(handle));
}

const std::string& HttpTransport::system_ca_pem(void* handle) {
  std::lock_guard lock(mutex_);
  if (!system_ca_loaded_) {
    system_ca_loaded_ = true;
    char* path = nullptr;
    // The bundle libcurl would use by default; a CA blob replaces it, so we prepend it.
    if (curl_easy_getinfo(static_cast<CURL*>(handle), CURLINFO_CAINFO, &path) == CURLE_OK && path) {
      auto pem = read_file(path);
      if (pem.ok()) system_ca_pem_ = pem.take();
    }
  }
  return system_ca_pem_;
}

Result<HttpResponse> HttpTransport::perform(const HttpRequest& r) {
  CURL* curl = static_cast<CURL*>(acquire());
  if (!curl) return make_error(ErrorCode::kResourceExhausted, "curl_easy_init failed");
  struct Release {
    HttpTransport* self;
    CURL* curl;
    ~Release() { self->release(curl); }
  } release_on_exit{this, curl};

  Transfer t;
  t.request = &r;
  char errbuf[CURL_ERROR_SIZE] = {};
  HeaderList headers;
  for (const auto& [name, value] : r.headers.fields())
    headers.add(fmt::format("{}: {}", name, value));
  headers.add("Expect:");  // no 100-continue round trip before uploads

  curl_easy_setopt(curl, CURLOPT_URL, r.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  // Larger buffers: fewer callbacks (and sink writes) per layer.
  curl_easy_setopt(curl, CURLOPT_BUFFERSIZE, 128L * 1024);
  curl_easy_setopt(curl, CURLOPT_UPLOAD_BUFFERSIZE, 128L * 1024);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, options_.stall_timeout_s);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);

  if (r.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (r.method == "GET") {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else {
    // Every other method goes out as an upload of a known length (0 for none), so that a
    // POST/PUT/PATCH/DELETE carries an exact Content-Length.
    int64_t size = r.body_reader ? r.body_size : static_cast<int64_t>(r.body.size());
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, r.method.c_str());
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(curl, CURLOPT_READDATA, &t);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(size));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.list);

  std::string ca_blob;
  if (!r.tls.verify) {
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  } else if (!r.tls.extra_ca_pem.empty()) {
    ca_blob = system_ca_pem(curl) + "\n" + r.tls.extra_ca_pem;
    curl_blob blob{ca_blob.data(), ca_blob.size(), CURL_BLOB_COPY};
    curl_easy_setopt(curl, CURLOPT_CAINFO_BLOB, &blob);
  }
  if (!r.tls.client_cert_path.empty()) {
    curl_easy_setopt(curl, CURLOPT_SSLCERT, r.tls.client_cert_path.c_str());
    curl_easy_setopt(curl, CURLOPT_SSLKEY, r.tls.client_key_path.c_str());
  }

  CURLcode rc = curl_easy_perform(curl);
  if (t.callback_error) return std::move(*t.callback_error);
  if (rc != CURLE_OK) {
    long os_errno = 0;
    curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno);
    return transport_error(rc, errbuf, os_errno, r);
  }
  return std::move(t.response);
}

}  // namespace berth::registry
