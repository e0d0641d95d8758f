// Private: the blocking facade over the asynchronous connection code. A handler (or client)
// thread posts an operation to the connection's executor and sleeps until it completes.
#pragma once

#include <future>
#include <memory>
#include <utility>

#include "base/result.h"
#include "http/detail/asio.h"

namespace berth::http::detail {

// Marks this thread as running an io_context. Blocking facade calls made on such a thread
// (from an I/O callback) would wait for work only this thread can do; they fail instead.
void mark_io_thread();
bool on_io_thread();

inline Error blocking_on_io_thread() {
  return Error(ErrorCode::kFailedPrecondition, "blocking HTTP call made on an I/O thread");
}

// Runs `start(complete)` on `executor` and blocks until `complete(value)` has been called.
// `T` is a Result or Status. If the operation is dropped unrun (its io_context was destroyed),
// returns kUnavailable.
template <typename T, typename Executor, typename Start>
T sync_call(const Executor& executor, Start start) {
  if (on_io_thread()) return blocking_on_io_thread();
  auto promise = std::make_shared<std::promise<T>>();
  std::future<T> future = promise->get_future();
  asio::post(executor, [promise, start = std::move(start)]() mutable {
    start([promise](T value) { promise->set_value(std::move(value)); });
  });
  try {
    return future.get();
  } catch (const std::future_error&) {
    return Error(ErrorCode::kUnavailable, "connection closed");
  }
}

}  // namespace berth::http::detail
