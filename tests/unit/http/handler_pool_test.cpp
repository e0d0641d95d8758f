#include "http/detail/handler_pool.h"

#include <atomic>
#include <future>

#include <gtest/gtest.h>

namespace berth::http::detail {
namespace {

TEST(HandlerPoolTest, QuickTaskIsNotStuckBehindALongOne) {
  HandlerPool pool(8);
  // Leave exactly one idle thread behind.
  std::promise<void> warm;
  pool.submit([&] { warm.set_value(); });
  warm.get_future().wait();
  ASSERT_TRUE(pool.wait_idle(std::chrono::steady_clock::now() + std::chrono::seconds(5)));

  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> quick_done;
  pool.submit([released] { released.wait(); });  // a stream that lasts
  pool.submit([&] { quick_done.set_value(); });
  EXPECT_EQ(quick_done.get_future().wait_for(std::chrono::seconds(5)), std::future_status::ready);
  release.set_value();
  EXPECT_TRUE(pool.wait_idle(std::chrono::steady_clock::now() + std::chrono::seconds(5)));
}

TEST(HandlerPoolTest, CapsThreadsAndQueuesTheRest) {
  HandlerPool pool(2);
  std::atomic<int> running{0};
  std::atomic<int> peak{0};
  std::atomic<int> done{0};
  for (int i = 0; i < 10; ++i) {
    pool.submit([&] {
      int now = ++running;
      int seen = peak.load();
      while (now > seen && !peak.compare_exchange_weak(seen, now)) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      --running;
      ++done;
    });
  }
  ASSERT_TRUE(pool.wait_idle(std::chrono::steady_clock::now() + std::chrono::seconds(10)));
  EXPECT_EQ(done.load(), 10);
  EXPECT_LE(peak.load(), 2);
}

}  // namespace
}  // namespace berth::http::detail
