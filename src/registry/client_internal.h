// Pieces the Client's operations share (not part of the public API).
#pragma once

#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "base/result.h"
#include "registry/http_transport.h"
#include "registry/retry.h"
#include "registry/session.h"
#include "registry/types.h"

namespace berth::registry {

// Ok when the response's status is one of `expected`; otherwise the registry's error (and, for
// 429/503, the server's Retry-After in `info`).
Status expect_status(const HttpResponse& response, std::initializer_list<int> expected,
                     AttemptInfo* info = nullptr);

// Runs `attempt` against each endpoint in order (mirrors first) until one succeeds. The
// registry itself gets the full retry policy; mirrors one attempt each, so that a mirror that
// is down costs one failure, not a backoff series. Fatal failures stop the walk.
Status try_endpoints(Session& session, const std::vector<EndpointPtr>& endpoints,
                     const std::function<Status(Endpoint&, AttemptInfo&)>& attempt,
                     const RetryNotifyFn& notify = nullptr);

// Reports byte progress about every 1% (and at the end), plus status changes.
class ProgressReporter {
 public:
  ProgressReporter(const ProgressFn& fn, std::string id, int64_t total)
      : fn_(fn), id_(std::move(id)), total_(total) {}
  // Byte progress under `status`; throttled unless `force`.
  void bytes(const char* status, int64_t current, bool force = false);
  void status(std::string status, int64_t current = 0, int64_t total = 0);
  // "Retrying in N seconds".
  RetryNotifyFn retry_notifier();

 private:
  const ProgressFn& fn_;
  std::string id_;
  int64_t total_;
  int64_t last_ = -1;
};

}  // namespace berth::registry
