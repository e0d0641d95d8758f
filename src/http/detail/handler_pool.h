// Private: the threads handlers run on. Handlers block (on the body, on a stream's consumer, on
// a container), so the pool grows on demand up to a cap instead of holding a fixed few; a
// thread idle for a while exits.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <list>
#include <mutex>
#include <thread>

namespace berth::http::detail {

class HandlerPool {
 public:
  explicit HandlerPool(int max_threads,
                       std::chrono::milliseconds idle_exit = std::chrono::seconds(30));
  ~HandlerPool();  // shutdown()
  HandlerPool(const HandlerPool&) = delete;
  HandlerPool& operator=(const HandlerPool&) = delete;

  void submit(std::function<void()> task);
  // Waits until no task is queued or running, or `deadline` passes; true when idle.
  bool wait_idle(std::chrono::steady_clock::time_point deadline);
  // Runs the queued tasks, then joins every thread. Later submits are dropped.
  void shutdown();

 private:
  void worker();
  void reap_locked(std::list<std::thread>& out);

  const int max_threads_;
  const std::chrono::milliseconds idle_exit_;
  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable idle_cv_;
  std::deque<std::function<void()>> tasks_;
  std::list<std::thread> threads_;
  std::list<std::thread::id> exited_;
  int live_ = 0;
  int idle_ = 0;
  int running_ = 0;
  bool stopping_ = false;
};

}  // namespace berth::http::detail
