#include "http/detail/handler_pool.h"

#include <algorithm>

#include "base/log.h"

namespace berth::http::detail {

HandlerPool::HandlerPool(int max_threads, std::chrono::milliseconds idle_exit)
    : max_threads_(std::max(1, max_threads)), idle_exit_(idle_exit) {}

HandlerPool::~HandlerPool() {
  shutdown();
}

void HandlerPool::submit(std::function<void()> task) {
  std::list<std::thread> finished;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    tasks_.push_back(std::move(task));
    reap_locked(finished);
    // A woken thread counts as idle until it takes a task, so compare with the queue: every
    // queued task needs an idle thread of its own, or a new one, or it could wait behind a
    // long-running handler (a stream) indefinitely.
    if (tasks_.size() > static_cast<size_t>(idle_) && live_ < max_threads_) {
      ++live_;
      threads_.emplace_back([this] { worker(); });
    } else {
      work_cv_.notify_one();
    }
  }
  for (std::thread& t : finished) t.join();
}

void HandlerPool::reap_locked(std::list<std::thread>& out) {
  for (std::thread::id id : exited_) {
    auto it = std::find_if(threads_.begin(), threads_.end(),
                           [&](const std::thread& t) { return t.get_id() == id; });
    if (it != threads_.end()) out.splice(out.end(), threads_, it);
  }
  exited_.clear();
}

void HandlerPool::worker() {
  std::unique_lock lock(mu_);
  while (true) {
    ++idle_;
    bool got = work_cv_.wait_for(lock, idle_exit_, [&] { return stopping_ || !tasks_.empty(); });
    --idle_;
    if (!got || tasks_.empty()) {
      // Idle too long, or stopping with nothing left: this thread exits.
      --live_;
      exited_.push_back(std::this_thread::get_id());
      idle_cv_.notify_all();
      return;
    }
    std::function<void()> task = std::move(tasks_.front());
    tasks_.pop_front();
    ++running_;
    lock.unlock();
    try {
      task();
    } catch (const std::exception& e) {
      log::error("http: handler task threw: {}", e.what());
    }
    task = nullptr;
    lock.lock();
    --running_;
    idle_cv_.notify_all();
  }
}

bool HandlerPool::wait_idle(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  return idle_cv_.wait_until(lock, deadline, [&] { return tasks_.empty() && running_ == 0; });
}

void HandlerPool::shutdown() {
  std::list<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    threads.swap(threads_);
    exited_.clear();
  }
  work_cv_.notify_all();
  for (std::thread& t : threads) t.join();
}

}  // namespace berth::http::detail
