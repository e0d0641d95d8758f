#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "logging/log_reader.h"
#include "logging_test_util.h"

namespace berth::logging {
namespace {

using test::message;
using test::TempDir;

constexpr int64_t kBase = 1'700'000'000'000'000'000;
// Only a deadline for a broken test to fail by; nothing waits for it to pass.
constexpr auto kDeadline = std::chrono::seconds(60);

std::string line(int i) {
  return fmt::format("line-{:05}\n", i);
}

// Runs a following reader on its own thread and records what it yields, so a test can wait for
// the reader to have seen something.
class Follower {
 public:
  Follower(const std::string& driver, const std::string& path, ReadOptions options) {
    options.follow = true;
    auto r = open_log_reader(driver, path, options);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().to_string());
    if (!r.ok()) {
      finished_ = true;
      return;
    }
    reader_ = r.take();
    thread_ = std::thread([this] { run(); });
  }
  ~Follower() {
    if (reader_) reader_->stop();
    if (thread_.joinable()) thread_.join();
  }

  LogReader& reader() { return *reader_; }

  // Waits until `n` messages were yielded; false at the deadline or if the reader ended first.
  bool wait_for(size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kDeadline, [&] { return lines_.size() >= n || finished_; }) &&
           lines_.size() >= n;
  }
  // Waits for the reader to return its end; false at the deadline.
  bool wait_finished() {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kDeadline, [&] { return finished_; });
  }
  std::vector<std::string> lines() {
    std::lock_guard lock(mu_);
    return lines_;
  }
  std::string error() {
    std::lock_guard lock(mu_);
    return error_;
  }

 private:
  void run() {
    for (;;) {
      auto m = reader_->next();
      std::lock_guard lock(mu_);
      if (!m.ok()) error_ = m.error().to_string();
      if (!m.ok() || !m->has_value()) {
        finished_ = true;
        cv_.notify_all();
        return;
      }
      lines_.push_back((*m)->line);
      cv_.notify_all();
    }
  }

  std::unique_ptr<LogReader> reader_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> lines_;
  std::string error_;
  bool finished_ = false;
};

std::vector<std::string> lines(int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i < to; ++i) out.push_back(line(i));
  return out;
}

TEST(FollowTest, LockstepAcrossRotations) {
  TempDir dir;
  std::string path = dir / "c-json.log";
  auto w = test::writer("json-file", path, {{"max-size", "200"}, {"max-file", "3"}});
  ASSERT_TRUE(w->write(message(line(0), kBase)).ok());
  Follower f("json-file", path, {});
  ASSERT_TRUE(f.wait_for(1));
  // Each line is written only once the previous one came out: the reader has to be woken
  // (by inotify) for every one of them, on both sides of each rotation.
  for (int i = 1; i < 40; ++i) {
    ASSERT_TRUE(w->write(message(line(i), kBase + i)).ok());
    ASSERT_TRUE(f.wait_for(static_cast<size_t>(i) + 1)) << "line " << i << " " << f.error();
  }
  EXPECT_EQ(f.lines(), lines(0, 40));
  f.reader().writer_closed();
  ASSERT_TRUE(f.wait_finished());
  EXPECT_EQ(f.error(), "");
}

// A writer rotating as fast as it can while the reader follows: the reader falls behind by
// many rotations and must still see every line once, in order.
void burst(const std::string& driver, const LogOptions& options) {
  TempDir dir;
  std::string path = dir / (driver == "local" ? "container.log" : "c-json.log");
  auto w = test::writer(driver, path, options);
  ASSERT_TRUE(w->write(message(line(0), kBase)).ok());
  Follower f(driver, path, {});
  constexpr int kLines = 3000;
  std::thread writer([&] {
    for (int i = 1; i < kLines; ++i) ASSERT_TRUE(w->write(message(line(i), kBase + i)).ok());
    ASSERT_TRUE(w->close().ok());
    f.reader().writer_closed();
  });
  writer.join();
  ASSERT_TRUE(f.wait_finished());
  EXPECT_EQ(f.error(), "");
  std::vector<std::string> got = f.lines();
  ASSERT_EQ(got.size(), static_cast<size_t>(kLines));
  EXPECT_EQ(got, lines(0, kLines));
}

TEST(FollowTest, BurstJsonFilePlain) {
  burst("json-file", {{"max-size", "2k"}, {"max-file", "1000"}});
}

TEST(FollowTest, BurstJsonFileCompressed) {
  burst("json-file", {{"max-size", "8k"}, {"max-file", "1000"}, {"compress", "true"}});
}

TEST(FollowTest, BurstLocal) {
  burst("local", {{"max-size", "4k"}, {"max-file", "1000"}});
}

// The reader does nothing between next() calls, so writing many rotations' worth between two
// calls puts it behind by all of them, deterministically.
std::vector<std::string> catch_up(const std::string& driver, const LogOptions& options, int n) {
  TempDir dir;
  std::string path = dir / (driver == "local" ? "container.log" : "c-json.log");
  auto w = test::writer(driver, path, options);
  EXPECT_TRUE(w->write(message(line(0), kBase)).ok());
  ReadOptions o;
  o.follow = true;
  auto reader = open_log_reader(driver, path, o);
  EXPECT_TRUE(reader.ok());
  std::vector<std::string> got;
  auto first = (*reader)->next();
  EXPECT_TRUE(first.ok() && first->has_value());
  got.push_back((*first)->line);
  for (int i = 1; i < n; ++i) EXPECT_TRUE(w->write(message(line(i), kBase + i)).ok());
  (*reader)->writer_closed();
  for (;;) {
    auto m = (*reader)->next();
    EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().to_string());
    if (!m.ok() || !m->has_value()) break;
    got.push_back((*m)->line);
  }
  return got;
}

TEST(FollowTest, CatchesUpAfterManyRotations) {
  EXPECT_EQ(catch_up("json-file", {{"max-size", "500"}, {"max-file", "100"}}, 200), lines(0, 200));
  EXPECT_EQ(
      catch_up("json-file", {{"max-size", "500"}, {"max-file", "100"}, {"compress", "true"}}, 200),
      lines(0, 200));
  EXPECT_EQ(catch_up("local", {{"max-size", "500"}, {"max-file", "100"}}, 200), lines(0, 200));
}

TEST(FollowTest, ContinuesFromTheOldestSurvivorWhenItFellTooFarBehind) {
  for (const LogOptions& options :
       {LogOptions{{"max-size", "500"}, {"max-file", "3"}},
        LogOptions{{"max-size", "500"}, {"max-file", "3"}, {"compress", "true"}},
        LogOptions{{"max-size", "500"}}}) {
    std::vector<std::string> got = catch_up("json-file", options, 200);
    // Line 0, then whatever the files still held: a gap, no repeats, in order, to the end.
    ASSERT_GE(got.size(), 2u);
    EXPECT_EQ(got.front(), line(0));
    EXPECT_EQ(got.back(), line(199));
    EXPECT_TRUE(std::is_sorted(got.begin(), got.end()));
    EXPECT_EQ(std::adjacent_find(got.begin(), got.end()), got.end());
    EXPECT_LT(got.size(), 200u);
  }
}

TEST(FollowTest, WriterGoneFdEndsTheFollow) {
  TempDir dir;
  std::string path = dir / "c-json.log";
  int gone[2];
  ASSERT_EQ(::pipe2(gone, O_CLOEXEC), 0);
  auto w = test::writer("json-file", path, {{"max-size", "300"}, {"max-file", "100"}});
  ReadOptions o;
  o.writer_gone_fd = gone[0];
  Follower f("json-file", path, o);
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(w->write(message(line(i), kBase + i)).ok());
  w.reset();
  ::close(gone[1]);  // the shim exited
  ASSERT_TRUE(f.wait_finished());
  EXPECT_EQ(f.lines(), lines(0, 200));
  ::close(gone[0]);
}

TEST(FollowTest, StopEndsABlockedFollow) {
  TempDir dir;
  std::string path = dir / "c-json.log";
  auto w = test::writer("json-file", path);
  ASSERT_TRUE(w->write(message(line(0), kBase)).ok());
  Follower f("json-file", path, {});
  ASSERT_TRUE(f.wait_for(1));
  f.reader().stop();
  ASSERT_TRUE(f.wait_finished());
  EXPECT_EQ(f.lines(), lines(0, 1));
}

TEST(FollowTest, TailZeroShowsOnlyNewLines) {
  TempDir dir;
  std::string path = dir / "c-json.log";
  auto w = test::writer("json-file", path);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(w->write(message(line(i), kBase + i)).ok());
  ReadOptions o;
  o.tail = 0;
  Follower f("json-file", path, o);
  ASSERT_TRUE(w->write(message(line(5), kBase + 5)).ok());
  ASSERT_TRUE(f.wait_for(1));
  EXPECT_EQ(f.lines(), lines(5, 6));
}

TEST(FollowTest, TailThenFollow) {
  TempDir dir;
  std::string path = dir / "c-json.log";
  auto w = test::writer("json-file", path, {{"max-size", "100"}, {"max-file", "3"}});
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(w->write(message(line(i), kBase + i)).ok());
  ReadOptions o;
  o.tail = 2;
  Follower f("json-file", path, o);
  ASSERT_TRUE(f.wait_for(2));
  for (int i = 5; i < 9; ++i) ASSERT_TRUE(w->write(message(line(i), kBase + i)).ok());
  ASSERT_TRUE(f.wait_for(6));
  EXPECT_EQ(f.lines(), lines(3, 9));
}

TEST(FollowTest, WaitsForTheFileToAppear) {
  TempDir dir;
  std::string path = dir / "c-json.log";
  Follower f("json-file", path, {});
  auto w = test::writer("json-file", path);
  ASSERT_TRUE(w->write(message(line(0), kBase)).ok());
  ASSERT_TRUE(f.wait_for(1));
  EXPECT_EQ(f.lines(), lines(0, 1));
}

TEST(FollowTest, UntilEndsTheFollow) {
  TempDir dir;
  std::string path = dir / "c-json.log";
  auto w = test::writer("json-file", path);
  ReadOptions o;
  o.until_ns = kBase + 2;
  Follower f("json-file", path, o);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(w->write(message(line(i), kBase + i)).ok());
  ASSERT_TRUE(f.wait_finished());
  EXPECT_EQ(f.lines(), lines(0, 3));
}

TEST(FollowTest, RemovedContainerDirectoryEndsTheFollow) {
  TempDir dir;
  std::string cdir = dir / "c";
  ASSERT_TRUE(make_dirs(cdir).ok());
  std::string path = cdir + "/c-json.log";
  auto w = test::writer("json-file", path);
  ASSERT_TRUE(w->write(message(line(0), kBase)).ok());
  Follower f("json-file", path, {});
  ASSERT_TRUE(f.wait_for(1));
  w.reset();
  ASSERT_TRUE(remove_all(cdir).ok());
  ASSERT_TRUE(f.wait_finished());
  EXPECT_EQ(f.lines(), lines(0, 1));
}

}  // namespace
}  // namespace berth::logging
