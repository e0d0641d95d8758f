// The daemon's event stream (docker events): a ring buffer of recent events for --since, and
// live subscribers.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/json.h"

namespace berth::daemon {

struct Event {
  std::string type;    // "container", "image", "network", "volume", "daemon"
  std::string action;  // "create", "start", "die", "health_status: healthy", ...
  std::string actor_id;
  std::map<std::string, std::string> attributes;
  int64_t time_ns = 0;

  // The JSON docker's /events returns, with the legacy status/id/from fields for containers
  // and images.
  Json to_json() const;
};

class EventBus {
 public:
  explicit EventBus(size_t capacity = 1024) : capacity_(capacity) {}

  void publish(Event event);

  class Subscription {
   public:
    // Waits up to `timeout_ms` (-1: forever) for the next event; false on timeout or close.
    bool next(Event* out, int timeout_ms);
    void close();

   private:
    friend class EventBus;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<Event> queue_;
    bool closed_ = false;
  };

  // Replays buffered events newer than `since_ns` (when since_ns >= 0) into the subscription,
  // then delivers live ones until it is closed or dropped.
  std::shared_ptr<Subscription> subscribe(int64_t since_ns);
  // Buffered events in [since_ns, until_ns].
  std::vector<Event> history(int64_t since_ns, int64_t until_ns) const;

 private:
  size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<Event> recent_;
  std::vector<std::weak_ptr<Subscription>> subscribers_;
};

}  // namespace berth::daemon
