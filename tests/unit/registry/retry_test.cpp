#include "registry/retry.h"

#include <gtest/gtest.h>

namespace berth::registry {
namespace {

using std::chrono::milliseconds;

Error transient() {
  return Error(ErrorCode::kUnavailable, "connection refused");
}

TEST(RetryPolicyTest, ExponentialWithJitter) {
  double r = 0.5;  // jitter factor 1.0
  RetryPolicy policy(5, milliseconds(200), milliseconds(1000), [&] { return r; });
  AttemptInfo none;
  EXPECT_EQ(policy.next_delay(1, transient(), none), milliseconds(200));
  EXPECT_EQ(policy.next_delay(2, transient(), none), milliseconds(400));
  EXPECT_EQ(policy.next_delay(3, transient(), none), milliseconds(800));
  EXPECT_EQ(policy.next_delay(4, transient(), none), milliseconds(1000));  // capped
  EXPECT_EQ(policy.next_delay(5, transient(), none), std::nullopt);        // out of attempts
  r = 0.0;                                                                 // factor 0.5
  EXPECT_EQ(policy.next_delay(2, transient(), none), milliseconds(200));
  r = 0.999;  // factor ~1.5
  EXPECT_EQ(policy.next_delay(2, transient(), none), milliseconds(599));
}

TEST(RetryPolicyTest, GivesUpOnPermanentErrors) {
  RetryPolicy policy(4, milliseconds(10), milliseconds(1000), [] { return 0.5; });
  AttemptInfo none;
  EXPECT_EQ(policy.next_delay(1, Error(ErrorCode::kNotFound, "x"), none), std::nullopt);
  EXPECT_EQ(policy.next_delay(1, Error(ErrorCode::kPermissionDenied, "x"), none), std::nullopt);
  EXPECT_EQ(policy.next_delay(1, Error(ErrorCode::kDataLoss, "x"), none), std::nullopt);
  AttemptInfo fatal;
  fatal.fatal = true;
  EXPECT_EQ(policy.next_delay(1, transient(), fatal), std::nullopt);
  EXPECT_EQ(policy.next_delay(1, Error(ErrorCode::kResourceExhausted, "429"), none),
            milliseconds(10));
}

TEST(RetryPolicyTest, RetryAfterWinsWhenLonger) {
  RetryPolicy policy(4, milliseconds(100), milliseconds(5000), [] { return 0.5; });
  AttemptInfo info;
  info.retry_after = milliseconds(3000);
  EXPECT_EQ(policy.next_delay(1, transient(), info), milliseconds(3000));
  info.retry_after = milliseconds(50);
  EXPECT_EQ(policy.next_delay(1, transient(), info), milliseconds(100));
  info.retry_after = milliseconds(60'000);
  EXPECT_EQ(policy.next_delay(1, transient(), info), milliseconds(5000));  // capped
  EXPECT_EQ(parse_retry_after("7"), milliseconds(7000));
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), std::nullopt);
}

// The injected clock: sleeps are recorded, not taken.
struct FakeClock {
  std::vector<milliseconds> sleeps;
  SleepFn fn() {
    return [this](milliseconds d) { sleeps.push_back(d); };
  }
};

TEST(RunWithRetriesTest, RetriesTransientFailuresThenSucceeds) {
  RetryPolicy policy(4, milliseconds(200), milliseconds(10'000), [] { return 0.5; });
  FakeClock clock;
  int calls = 0;
  std::vector<int> notified;
  Status st = run_with_retries(
      policy,
      [&](AttemptInfo&) -> Status {
        if (++calls < 3) return transient();
        return {};
      },
      [&](milliseconds, int failures, const Error&) { notified.push_back(failures); }, clock.fn());
  EXPECT_TRUE(st.ok());
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(clock.sleeps, (std::vector<milliseconds>{milliseconds(200), milliseconds(400)}));
  EXPECT_EQ(notified, (std::vector<int>{1, 2}));
}

TEST(RunWithRetriesTest, StopsAfterMaxAttempts) {
  RetryPolicy policy(4, milliseconds(200), milliseconds(10'000), [] { return 0.5; });
  FakeClock clock;
  int calls = 0;
  Status st = run_with_retries(
      policy,
      [&](AttemptInfo&) -> Status {
        ++calls;
        return transient();
      },
      nullptr, clock.fn());
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(calls, 4);
  EXPECT_EQ(clock.sleeps.size(), 3u);
}

TEST(RunWithRetriesTest, PermanentAndFatalFailuresAreNotRetried) {
  RetryPolicy policy(4, milliseconds(200), milliseconds(10'000), [] { return 0.5; });
  FakeClock clock;
  int calls = 0;
  Status st = run_with_retries(
      policy,
      [&](AttemptInfo&) -> Status {
        ++calls;
        return Error(ErrorCode::kNotFound, "manifest unknown");
      },
      nullptr, clock.fn());
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(calls, 1);
  calls = 0;
  st = run_with_retries(
      policy,
      [&](AttemptInfo& info) -> Status {
        ++calls;
        info.fatal = true;
        return transient();
      },
      nullptr, clock.fn());
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(clock.sleeps.empty());
}

TEST(RunWithRetriesTest, ProgressResetsTheBudget) {
  RetryPolicy policy(2, milliseconds(100), milliseconds(10'000), [] { return 0.5; });
  FakeClock clock;
  int calls = 0;
  // Each attempt moves forward and then drops: never more than 2 failures in a row.
  Status st = run_with_retries(
      policy,
      [&](AttemptInfo& info) -> Status {
        if (++calls == 6) return {};
        info.made_progress = true;
        return transient();
      },
      nullptr, clock.fn());
  EXPECT_TRUE(st.ok());
  EXPECT_EQ(calls, 6);
  // The backoff restarts from the initial delay after progress.
  EXPECT_EQ(clock.sleeps, std::vector<milliseconds>(5, milliseconds(100)));
}

}  // namespace
}  // namespace berth::registry
