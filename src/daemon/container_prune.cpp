#include "daemon/container_prune.h"

#include <cctype>
#include <cstdlib>

#include "base/log.h"
#include "base/strings.h"
#include "base/time_format.h"

namespace berth::daemon {
namespace {

// Go's time.ParseDuration for the units Docker's users write.
Result<int64_t> parse_go_duration(std::string_view text) {
  if (text.empty()) return Error(ErrorCode::kInvalidArgument, "empty duration");
  int64_t total = 0;
  size_t i = 0;
  bool negative = text[0] == '-';
  if (negative || text[0] == '+') ++i;
  if (i == text.size()) return make_error(ErrorCode::kInvalidArgument, "invalid duration \"{}\"", text);
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    if (start == i) return make_error(ErrorCode::kInvalidArgument, "invalid duration \"{}\"", text);
    std::string number(text.substr(start, i - start));
    if (number.find_first_of("0123456789") == std::string::npos)
      return make_error(ErrorCode::kInvalidArgument, "invalid duration \"{}\"", text);
    double value = std::strtod(number.c_str(), nullptr);
    size_t unit_start = i;
    while (i < text.size() && !std::isdigit(static_cast<unsigned char>(text[i])) && text[i] != '.') ++i;
    std::string_view unit = text.substr(unit_start, i - unit_start);
    double scale;
    if (unit == "ns") scale = 1;
    else if (unit == "us" || unit == "\u00b5s") scale = 1e3;
    else if (unit == "ms") scale = 1e6;
    else if (unit == "s") scale = 1e9;
    else if (unit == "m") scale = 60e9;
    else if (unit == "h") scale = 3600e9;
    else return make_error(ErrorCode::kInvalidArgument, "invalid duration \"{}\"", text);
    total += static_cast<int64_t>(value * scale);
  }
  return negative ? -total : total;
}

}  // namespace

Result<int64_t> parse_filter_time(const std::string& value, int64_t now_ns) {
  if (auto d = parse_go_duration(value); d.ok()) return now_ns - *d;
  auto [secs, frac] = split_once(value, '.');
  if (auto s = parse_int64(secs); s.ok()) {
    std::string digits(frac.substr(0, 9));
    while (digits.size() < 9) digits.push_back('0');
    return *s * 1'000'000'000 + parse_int64(digits).value_or(0);
  }
  if (auto t = parse_rfc3339_ns(value); t.ok()) return *t;
  // A bare date, or a date-time without a zone (local time is UTC here).
  if (auto t = parse_rfc3339_ns(value + "T00:00:00Z"); value.size() == 10 && t.ok()) return *t;
  if (auto t = parse_rfc3339_ns(value + "Z"); t.ok()) return *t;
  return make_error(ErrorCode::kInvalidArgument, "failed to parse value as time or duration: \"{}\"",
                    value);
}

bool labels_match(const std::map<std::string, std::string>& labels, const ListFilters& filters) {
  auto matches = [&](const std::string& spec) {
    auto [key, value] = split_once(spec, '=');
    auto it = labels.find(std::string(key));
    if (it == labels.end()) return false;
    return spec.find('=') == std::string::npos || it->second == value;
  };
  for (const auto& spec : filters.get("label")) {
    if (!matches(spec)) return false;
  }
  for (const auto& spec : filters.get("label!")) {
    if (matches(spec)) return false;
  }
  return true;
}

Result<ContainerPruneReport> prune_containers(ContainerService& service,
                                              const std::string& filters_json) {
  ListFilters filters = TRY(parse_filters(filters_json, {"until", "label", "label!"}));
  int64_t now = unix_nanos_now();
  std::optional<int64_t> until;
  for (const auto& v : filters.get("until")) {
    int64_t t = TRY(parse_filter_time(v, now));
    until = until ? std::min(*until, t) : t;
  }
  ContainerPruneReport report;
  auto& snapshots = service.deps().images->snapshots();
  for (const ContainerRef& entry : service.store().list()) {
    std::string id;
    std::string key;
    {
      std::lock_guard lock(entry->mutex);
      const Container& c = entry->c;
      bool stopped = c.state.status == ContainerStatus::kCreated ||
                     c.state.status == ContainerStatus::kExited ||
                     c.state.status == ContainerStatus::kDead;
      if (!stopped) continue;
      if (until && c.created_ns >= *until) continue;
      if (!labels_match(c.labels(), filters)) continue;
      id = c.id;
      key = c.snapshot_key;
    }
    uint64_t size = snapshots.active_size(key).value_or(0);
    auto removed = service.remove(id, false, false);
    if (!removed.ok()) {
      log::warn("prune: remove {}: {}", id, removed.error().to_string());
      continue;
    }
    report.deleted.push_back(id);
    report.space_reclaimed += size;
  }
  Event e;
  e.type = "container";
  e.action = "prune";
  e.attributes["reclaimed"] = std::to_string(report.space_reclaimed);
  service.deps().events->publish(std::move(e));
  return report;
}

}  // namespace berth::daemon
