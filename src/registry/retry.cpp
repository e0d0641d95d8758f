#include "registry/retry.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <thread>

#include "base/strings.h"
#include "registry/registry_error.h"

namespace berth::registry {
namespace {

double thread_random() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

}  // namespace

RetryPolicy::RetryPolicy(int max_attempts, Milliseconds initial_backoff, Milliseconds max_backoff,
                         std::function<double()> random)
    : max_attempts_(std::max(1, max_attempts)),
      initial_(std::max(Milliseconds(0), initial_backoff)),
      max_(std::max(initial_, max_backoff)),
      random_(random ? std::move(random) : std::function<double()>(thread_random)) {}

std::optional<Milliseconds> RetryPolicy::next_delay(int failures, const Error& error,
                                                    const AttemptInfo& info) const {
  if (info.fatal || !is_retryable(error) || failures >= max_attempts_) return std::nullopt;
  double base = static_cast<double>(initial_.count()) * std::pow(2.0, std::max(0, failures - 1));
  base = std::min(base, static_cast<double>(max_.count()));
  double jitter = 0.5 + std::clamp(random_(), 0.0, 1.0);
  auto delay = Milliseconds(static_cast<int64_t>(std::min(base * jitter, double(max_.count()))));
  if (info.retry_after) delay = std::max(delay, std::min(*info.retry_after, max_));
  return delay;
}

Status run_with_retries(const RetryPolicy& policy,
                        const std::function<Status(AttemptInfo&)>& attempt,
                        const RetryNotifyFn& notify, const SleepFn& sleep) {
  int failures = 0;
  while (true) {
    AttemptInfo info;
    Status status = attempt(info);
    if (status.ok()) return status;
    failures = info.made_progress ? 1 : failures + 1;
    auto delay = policy.next_delay(failures, status.error(), info);
    if (!delay) return status;
    if (notify) notify(*delay, failures, status.error());
    if (sleep) {
      sleep(*delay);
    } else {
      std::this_thread::sleep_for(*delay);
    }
  }
}

std::optional<Milliseconds> parse_retry_after(std::string_view value) {
  auto seconds = parse_int64(trim(value));
  if (!seconds.ok() || *seconds < 0) return std::nullopt;
  return Milliseconds(std::min<int64_t>(*seconds, int64_t{24} * 3600) * 1000);
}

}  // namespace berth::registry
