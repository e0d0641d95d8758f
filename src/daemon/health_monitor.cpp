#include "daemon/health_monitor.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <thread>

#include "base/log.h"
#include "base/time_format.h"

namespace berth::daemon {
namespace {

constexpr size_t kMaxLogEntries = 5;
constexpr size_t kMaxOutput = 4096;

int64_t duration_or(const Json& hc, const char* key, int64_t fallback) {
  if (!hc.contains(key) || !hc[key].is_number_integer()) return fallback;
  int64_t v = hc[key].get<int64_t>();
  return v > 0 ? v : fallback;
}

// "1.5" from (15, 1 digit): the integer part, and the fraction without trailing zeros.
std::string decimal(uint64_t value, int digits) {
  uint64_t scale = 1;
  for (int i = 0; i < digits; ++i) scale *= 10;
  std::string out = std::to_string(value / scale);
  std::string frac = std::to_string(value % scale);
  frac.insert(0, static_cast<size_t>(digits) - frac.size(), '0');
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  if (!frac.empty()) out += "." + frac;
  return out;
}

}  // namespace

std::string go_duration(int64_t ns) {
  if (ns == 0) return "0s";
  std::string sign = ns < 0 ? "-" : "";
  uint64_t u = ns < 0 ? static_cast<uint64_t>(-(ns + 1)) + 1 : static_cast<uint64_t>(ns);
  if (u < 1000) return sign + std::to_string(u) + "ns";
  if (u < 1'000'000) return sign + decimal(u, 3) + "\u00b5s";
  if (u < 1'000'000'000) return sign + decimal(u, 6) + "ms";
  uint64_t secs = u / 1'000'000'000;
  std::string out = decimal(secs % 60 * 1'000'000'000 + u % 1'000'000'000, 9) + "s";
  uint64_t mins = secs / 60;
  if (mins > 0) {
    out = std::to_string(mins % 60) + "m" + out;
    if (mins / 60 > 0) out = std::to_string(mins / 60) + "h" + out;
  }
  return sign + out;
}

std::optional<HealthSettings> health_settings(const Json& config) {
  if (!config.is_object() || !config.contains("Healthcheck") || !config["Healthcheck"].is_object())
    return std::nullopt;
  const Json& hc = config["Healthcheck"];
  std::vector<std::string> test;
  if (hc.contains("Test") && hc["Test"].is_array()) {
    for (const auto& t : hc["Test"]) {
      if (t.is_string()) test.push_back(t.get<std::string>());
    }
  }
  if (test.empty() || (test[0] != "CMD" && test[0] != "CMD-SHELL")) return std::nullopt;
  HealthSettings s;
  if (test[0] == "CMD-SHELL") {
    if (config.contains("Shell") && config["Shell"].is_array() && !config["Shell"].empty()) {
      for (const auto& part : config["Shell"]) s.test.push_back(part.get<std::string>());
    } else {
      s.test = {"/bin/sh", "-c"};
    }
  }
  s.test.insert(s.test.end(), test.begin() + 1, test.end());
  if (s.test.empty()) return std::nullopt;
  s.interval_ns = duration_or(hc, "Interval", s.interval_ns);
  s.timeout_ns = duration_or(hc, "Timeout", s.timeout_ns);
  s.start_period_ns = duration_or(hc, "StartPeriod", s.start_period_ns);
  s.start_interval_ns = duration_or(hc, "StartInterval", s.start_interval_ns);
  if (hc.contains("Retries") && hc["Retries"].is_number_integer() && hc["Retries"].get<int>() > 0)
    s.retries = hc["Retries"].get<int>();
  return s;
}

HealthMonitor::HealthMonitor(ContainerService& containers, ExecService& execs)
    : containers_(containers), execs_(execs) {}

HealthMonitor::~HealthMonitor() {
  std::unique_lock lock(mutex_);
  stopping_ = true;
  for (auto& [id, w] : watches_) stop_watch(w);
  watches_.clear();
  idle_.wait(lock, [&] { return threads_ == 0; });
}

void HealthMonitor::stop_watch(const std::shared_ptr<Watch>& w) {
  {
    std::lock_guard lock(w->mutex);
    w->stop = true;
  }
  w->cv.notify_all();
  uint64_t one = 1;
  (void)!::write(w->abort.get(), &one, sizeof one);
}

void HealthMonitor::watch(const std::string& id) {
  // Called by start with the container's lock held: only hand over to the thread here.
  auto w = std::make_shared<Watch>();
  w->id = id;
  w->abort.reset(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    if (auto it = watches_.find(id); it != watches_.end()) stop_watch(it->second);
    watches_[id] = w;
    ++threads_;
  }
  std::thread([this, w] {
    run(w);
    std::lock_guard lock(mutex_);
    if (auto it = watches_.find(w->id); it != watches_.end() && it->second == w) watches_.erase(it);
    --threads_;
    idle_.notify_all();
  }).detach();
}

void HealthMonitor::unwatch(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto it = watches_.find(id);
  if (it == watches_.end()) return;
  stop_watch(it->second);
  watches_.erase(it);
}

void HealthMonitor::run(std::shared_ptr<Watch> w) {
  std::optional<HealthSettings> settings;
  {
    auto entry = containers_.store().lookup(w->id);
    if (!entry.ok()) return;
    std::lock_guard lock((*entry)->mutex);
    settings = health_settings((*entry)->c.config);
    w->started_at_ns = (*entry)->c.state.started_at_ns;
  }
  if (!settings) return;
  const HealthSettings& s = *settings;
  while (true) {
    // StartInterval applies while the container is starting within its start period.
    int64_t interval = s.interval_ns;
    if (unix_nanos_now() - w->started_at_ns < s.start_period_ns) {
      auto entry = containers_.store().lookup(w->id);
      if (!entry.ok()) return;
      std::lock_guard lock((*entry)->mutex);
      if ((*entry)->c.state.health.status == "starting") interval = s.start_interval_ns;
    }
    {
      std::unique_lock lock(w->mutex);
      if (w->cv.wait_for(lock, std::chrono::nanoseconds(interval), [&] { return w->stop; })) return;
    }
    bool paused = false;
    {
      auto entry = containers_.store().lookup(w->id);
      if (!entry.ok()) return;
      std::lock_guard lock((*entry)->mutex);
      const ContainerState& st = (*entry)->c.state;
      if (st.started_at_ns != w->started_at_ns) return;
      if (st.status == ContainerStatus::kPaused) paused = true;
      else if (st.status != ContainerStatus::kRunning) return;
    }
    if (paused) continue;  // dockerd stops probing a paused container
    HealthLogEntry entry;
    entry.start_ns = unix_nanos_now();
    auto result = execs_.run_probe(w->id, s.test, std::chrono::nanoseconds(s.timeout_ns),
                                   kMaxOutput, w->abort.get());
    {
      std::lock_guard lock(w->mutex);
      if (w->stop) return;
    }
    entry.end_ns = unix_nanos_now();
    if (!result.ok()) {
      entry.exit_code = -1;
      entry.output = result.error().to_string();
    } else if (result->timed_out) {
      entry.exit_code = -1;
      entry.output = "Health check exceeded timeout (" + go_duration(s.timeout_ns) + ")";
      if (!result->output.empty()) entry.output += ": " + result->output;
    } else {
      entry.exit_code = result->exit_code;
      entry.output = std::move(result->output);
    }
    if (!record(*w, s, entry)) return;
  }
}

bool HealthMonitor::record(Watch& w, const HealthSettings& s, const HealthLogEntry& entry) {
  auto found = containers_.store().lookup(w.id);
  if (!found.ok()) return false;
  ContainerRef ref = *found;
  std::lock_guard lock(ref->mutex);
  Container& c = ref->c;
  bool active = c.state.status == ContainerStatus::kRunning ||
                c.state.status == ContainerStatus::kPaused;
  if (!active || c.state.started_at_ns != w.started_at_ns) return false;
  HealthState& h = c.state.health;
  std::string old_status = h.status;
  h.log.push_back(entry);
  while (h.log.size() > kMaxLogEntries) h.log.erase(h.log.begin());
  if (entry.exit_code == 0) {
    h.failing_streak = 0;
    h.status = "healthy";
  } else {
    // Failures during the start period do not count until the first success.
    bool counts = !(h.status == "starting" && entry.start_ns - c.state.started_at_ns < s.start_period_ns);
    if (counts) {
      h.failing_streak += 1;
      if (h.failing_streak >= s.retries) h.status = "unhealthy";
    }
  }
  if (auto st = containers_.store().save(c); !st.ok())
    log::warn("save health of {}: {}", c.id, st.error().to_string());
  ref->changed.notify_all();
  if (h.status != old_status) containers_.publish(c, "health_status: " + h.status);
  return true;
}

}  // namespace berth::daemon
