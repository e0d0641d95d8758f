#include "daemon/events.h"

#include <chrono>

#include "base/time_format.h"

namespace berth::daemon {

Json Event::to_json() const {
  Json j;
  if (type == "container" || type == "image") {
    j["status"] = action;
    j["id"] = actor_id;
    auto image = attributes.find("image");
    if (type == "container" && image != attributes.end()) j["from"] = image->second;
  }
  j["Type"] = type;
  j["Action"] = action;
  j["Actor"] = {{"ID", actor_id}, {"Attributes", attributes}};
  j["scope"] = "local";
  j["time"] = time_ns / 1'000'000'000;
  j["timeNano"] = time_ns;
  return j;
}

void EventBus::publish(Event event) {
  if (event.time_ns == 0) event.time_ns = unix_nanos_now();
  std::vector<std::shared_ptr<Subscription>> live;
  {
    std::lock_guard lock(mutex_);
    recent_.push_back(event);
    while (recent_.size() > capacity_) recent_.pop_front();
    for (auto it = subscribers_.begin(); it != subscribers_.end();) {
      if (auto sub = it->lock()) {
        live.push_back(std::move(sub));
        ++it;
      } else {
        it = subscribers_.erase(it);
      }
    }
  }
  for (auto& sub : live) {
    std::lock_guard lock(sub->mutex_);
    if (sub->closed_) continue;
    sub->queue_.push_back(event);
    sub->cv_.notify_one();
  }
}

std::shared_ptr<EventBus::Subscription> EventBus::subscribe(int64_t since_ns) {
  auto sub = std::make_shared<Subscription>();
  std::lock_guard lock(mutex_);
  if (since_ns >= 0) {
    for (const auto& e : recent_) {
      if (e.time_ns >= since_ns) sub->queue_.push_back(e);
    }
  }
  subscribers_.push_back(sub);
  return sub;
}

std::vector<Event> EventBus::history(int64_t since_ns, int64_t until_ns) const {
  std::lock_guard lock(mutex_);
  std::vector<Event> out;
  for (const auto& e : recent_) {
    if (e.time_ns >= since_ns && e.time_ns <= until_ns) out.push_back(e);
  }
  return out;
}

bool EventBus::Subscription::next(Event* out, int timeout_ms) {
  std::unique_lock lock(mutex_);
  auto ready = [&] { return closed_ || !queue_.empty(); };
  if (timeout_ms < 0) {
    cv_.wait(lock, ready);
  } else if (!cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), ready)) {
    return false;
  }
  if (queue_.empty()) return false;
  *out = std::move(queue_.front());
  queue_.pop_front();
  return true;
}

void EventBus::Subscription::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  cv_.notify_all();
}

}  // namespace berth::daemon
