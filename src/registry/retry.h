// Retries with exponential backoff and jitter, for transient failures (network errors, 5xx,
// 429). Time and randomness are injected so the policy can be tested without sleeping.
#pragma once

#include <chrono>
#include <functional>
#include <optional>

#include "base/result.h"

namespace berth::registry {

using Milliseconds = std::chrono::milliseconds;

// What one attempt tells the retry loop besides its Status.
struct AttemptInfo {
  // The server asked us to wait this long (Retry-After on 429/503).
  std::optional<Milliseconds> retry_after;
  // The attempt moved the operation forward (bytes landed in the sink): the failure budget
  // starts over, so a long download over a flaky link still completes.
  bool made_progress = false;
  // The failure cannot be helped by trying again (the sink failed, the data is wrong).
  bool fatal = false;
};

class RetryPolicy {
 public:
  // `random` returns a value in [0, 1); defaults to a thread-local generator.
  RetryPolicy(int max_attempts, Milliseconds initial_backoff,
              Milliseconds max_backoff = Milliseconds(30'000),
              std::function<double()> random = nullptr);

  int max_attempts() const { return max_attempts_; }

  // The wait before the next attempt after `failures` consecutive failed attempts (1 after the
  // first), or nullopt when the operation should give up: not retryable, or out of attempts.
  // The delay is initial * 2^(failures-1), capped, scaled by a jitter factor in [0.5, 1.5);
  // a server's Retry-After wins when larger (capped at max_backoff too).
  std::optional<Milliseconds> next_delay(int failures, const Error& error,
                                         const AttemptInfo& info) const;

 private:
  int max_attempts_;
  Milliseconds initial_;
  Milliseconds max_;
  std::function<double()> random_;
};

using SleepFn = std::function<void(Milliseconds)>;
// Told before each wait, e.g. to show "Retrying in 2 seconds".
using RetryNotifyFn = std::function<void(Milliseconds delay, int failures, const Error& error)>;

// Runs `attempt` until it succeeds, fails for good, or the policy gives up; returns the last
// Status. `sleep` defaults to std::this_thread::sleep_for.
Status run_with_retries(const RetryPolicy& policy,
                        const std::function<Status(AttemptInfo&)>& attempt,
                        const RetryNotifyFn& notify = nullptr, const SleepFn& sleep = nullptr);

// Parses a Retry-After value in seconds ("120"); HTTP dates are ignored (nullopt).
std::optional<Milliseconds> parse_retry_after(std::string_view value);

}  // namespace berth::registry
