#include "image/progress.h"

#include <chrono>
#include <cstdio>

namespace berth::image {

namespace {

constexpr int64_t kThrottleNs = 100'000'000;

int64_t monotonic_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::string encode_json_message(const JsonMessage& m) {
  OrderedJson j = OrderedJson::object();
  if (!m.stream.empty()) j["stream"] = m.stream;
  if (!m.status.empty()) j["status"] = m.status;
  if (m.detail) {
    OrderedJson d = OrderedJson::object();
    if (m.detail->current != 0) d["current"] = m.detail->current;
    if (m.detail->total != 0) d["total"] = m.detail->total;
    j["progressDetail"] = std::move(d);
  }
  if (!m.progress.empty()) j["progress"] = m.progress;
  if (!m.id.empty()) j["id"] = m.id;
  if (m.error) {
    OrderedJson e = OrderedJson::object();
    e["message"] = *m.error;
    j["errorDetail"] = std::move(e);
    j["error"] = *m.error;
  }
  if (m.aux) j["aux"] = *m.aux;
  return j.dump();
}

std::optional<JsonMessage> decode_json_message(std::string_view line) {
  try {
    Json j = Json::parse(line);
    if (!j.is_object()) return std::nullopt;
    JsonMessage m;
    auto str = [&](const char* key) {
      auto it = j.find(key);
      return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    m.stream = str("stream");
    m.status = str("status");
    m.progress = str("progress");
    m.id = str("id");
    if (auto it = j.find("progressDetail"); it != j.end() && it->is_object()) {
      m.detail = ProgressDetail{it->value("current", int64_t{0}), it->value("total", int64_t{0})};
    }
    if (auto it = j.find("errorDetail"); it != j.end() && it->is_object()) {
      m.error = it->value("message", std::string());
    } else if (j.contains("error") && j["error"].is_string()) {
      m.error = j["error"].get<std::string>();
    }
    if (auto it = j.find("aux"); it != j.end()) m.aux = OrderedJson::parse(it->dump());
    return m;
  } catch (const Json::exception&) {
    return std::nullopt;
  }
}

std::string human_size(double bytes) {
  static constexpr const char* kUnits[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
  size_t i = 0;
  while (bytes >= 1000.0 && i + 1 < std::size(kUnits)) {
    bytes /= 1000.0;
    ++i;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4g%s", bytes, kUnits[i]);
  return buf;
}

std::string progress_bar(int64_t current, int64_t total) {
  if (current <= 0 && total <= 0) return "";
  if (total <= 0) {
    std::string size = human_size(static_cast<double>(current));
    char buf[64];
    std::snprintf(buf, sizeof buf, "%8s", size.c_str());
    return buf;
  }
  int percentage =
      static_cast<int>(static_cast<double>(current) / static_cast<double>(total) * 100) / 2;
  if (percentage > 50) percentage = 50;
  if (percentage < 0) percentage = 0;
  std::string bar = "[" + std::string(static_cast<size_t>(percentage), '=') + ">" +
                    std::string(static_cast<size_t>(50 - percentage), ' ') + "] ";
  std::string cur = human_size(static_cast<double>(current));
  char numbers[96];
  if (current > total) {
    std::snprintf(numbers, sizeof numbers, "%8s", cur.c_str());
  } else {
    std::string tot = human_size(static_cast<double>(total));
    std::snprintf(numbers, sizeof numbers, "%8s/%s", cur.c_str(), tot.c_str());
  }
  return bar + numbers;
}

std::string short_id(std::string_view id) {
  if (auto colon = id.find(':'); colon != std::string_view::npos) id = id.substr(colon + 1);
  return std::string(id.substr(0, 12));
}

void ProgressOutput::emit(const JsonMessage& m) {
  if (!fn_) return;
  std::lock_guard lock(mutex_);
  fn_(m);
}

void ProgressOutput::message(std::string_view id, std::string_view text) {
  JsonMessage m;
  m.id = id;
  m.status = text;
  emit(m);
}

void ProgressOutput::update(std::string_view id, std::string_view action) {
  JsonMessage m;
  m.id = id;
  m.status = action;
  m.detail = ProgressDetail{};
  emit(m);
}

void ProgressOutput::progress(std::string_view id, std::string_view action, int64_t current,
                              int64_t total, bool force) {
  if (!fn_) return;
  int64_t now = monotonic_ns();
  {
    std::lock_guard lock(mutex_);
    std::string key = std::string(id) + "\n" + std::string(action);
    auto it = last_update_ns_.find(key);
    if (!force && it != last_update_ns_.end() && now - it->second < kThrottleNs) return;
    last_update_ns_[key] = now;
  }
  JsonMessage m;
  m.id = id;
  m.status = action;
  m.detail = ProgressDetail{current, total};
  m.progress = progress_bar(current, total);
  emit(m);
}

void ProgressOutput::aux(OrderedJson aux) {
  JsonMessage m;
  m.detail = ProgressDetail{};
  m.aux = std::move(aux);
  emit(m);
}

void ProgressOutput::stream(std::string_view text) {
  JsonMessage m;
  m.stream = text;
  emit(m);
}

void ProgressOutput::error(std::string_view text) {
  JsonMessage m;
  m.error = std::string(text);
  emit(m);
}

}  // namespace berth::image
