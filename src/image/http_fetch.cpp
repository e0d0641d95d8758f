#include "image/http_fetch.h"

#include <memory>
#include <mutex>
#include <optional>

#include <curl/curl.h>
#include <fmt/format.h>

namespace berth::image {

namespace {

struct Transfer {
  store::Writer* sink;
  const TransferProgressFn* progress;
  std::optional<Error> sink_error;
  int64_t received = 0;
  int64_t total = 0;
};

size_t on_data(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  auto st = t->sink->write(std::string_view(data, n));
  if (!st.ok()) {
    t->sink_error = std::move(st).error();
    return 0;  // makes curl fail with CURLE_WRITE_ERROR
  }
  t->received += static_cast<int64_t>(n);
  if (*t->progress) (*t->progress)(t->received, t->total);
  return n;
}

int on_progress(void* user, curl_off_t dltotal, curl_off_t, curl_off_t, curl_off_t) {
  static_cast<Transfer*>(user)->total = static_cast<int64_t>(dltotal);
  return 0;
}

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

Status http_fetch(const std::string& url, store::Writer& sink, const TransferProgressFn& progress) {
  if (!url.starts_with("http://") && !url.starts_with("https://")) {
    return make_error(ErrorCode::kInvalidArgument, "{}: only http and https URLs are supported",
                      url);
  }
  init_curl_once();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Error(ErrorCode::kInternal, "curl_easy_init failed");
  Transfer t{&sink, &progress, std::nullopt, 0, 0};
  char errbuf[CURL_ERROR_SIZE] = {};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
  // A transfer slower than 1 byte/s for a minute is dead.
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "berth/" BERTH_VERSION);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
  CURLcode rc = curl_easy_perform(c);
  if (t.sink_error) return std::move(*t.sink_error);
  if (rc != CURLE_OK) {
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    std::string detail = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc);
    ErrorCode code = status == 404 ? ErrorCode::kNotFound : ErrorCode::kUnavailable;
    return Error(code, fmt::format("GET {}: {}", url, detail));
  }
  return {};
}

}  // namespace berth::image
