#include "registry/client_internal.h"

#include <algorithm>

#include "base/log.h"
#include "registry/registry_error.h"

namespace berth::registry {

Status expect_status(const HttpResponse& response, std::initializer_list<int> expected,
                     AttemptInfo* info) {
  if (std::find(expected.begin(), expected.end(), response.status) != expected.end()) return {};
  if (info && (response.status == 429 || response.status == 503)) {
    if (auto after = response.headers.get("Retry-After"))
      info->retry_after = parse_retry_after(*after);
  }
  return registry_error(response.status, response.body);
}

Status try_endpoints(Session& session, const std::vector<EndpointPtr>& endpoints,
                     const std::function<Status(Endpoint&, AttemptInfo&)>& attempt,
                     const RetryNotifyFn& notify) {
  const RetryPolicy& full = session.retry_policy();
  RetryPolicy once(1, Milliseconds(0));
  Status last = make_error(ErrorCode::kInternal, "no registry endpoint");
  for (const auto& ep : endpoints) {
    bool fatal = false;
    last = run_with_retries(
        ep->is_mirror ? once : full,
        [&](AttemptInfo& info) {
          Status st = attempt(*ep, info);
          fatal = !st.ok() && info.fatal;
          return st;
        },
        notify);
    if (last.ok() || fatal) return last;
    if (ep->is_mirror)
      log::info("registry mirror {} failed, trying the next endpoint: {}", ep->host,
                last.error().to_string());
  }
  return last;
}

void ProgressReporter::bytes(const char* status, int64_t current, bool force) {
  if (!fn_) return;
  int64_t step = std::max<int64_t>(total_ / 100, int64_t{32} * 1024);
  if (!force && last_ >= 0 && current - last_ < step && current != total_) return;
  last_ = current;
  fn_(Progress{id_, status, current, total_});
}

void ProgressReporter::status(std::string status, int64_t current, int64_t total) {
  if (fn_) fn_(Progress{id_, std::move(status), current, total});
}

RetryNotifyFn ProgressReporter::retry_notifier() {
  return [this](Milliseconds delay, int, const Error& error) {
    log::debug("retrying {} in {} ms: {}", id_, delay.count(), error.to_string());
    int64_t seconds = std::max<int64_t>(1, (delay.count() + 999) / 1000);
    status(fmt::format("Retrying in {} second{}", seconds, seconds == 1 ? "" : "s"));
    last_ = -1;
  };
}

}  // namespace berth::registry
