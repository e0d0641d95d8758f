// The Config half of create validation (dockerd's validateContainerConfig).
#include "base/strings.h"
#include "cspec/docker_json.h"
#include "cspec/signal_names.h"
#include "cspec/validate_create.h"

namespace berth::cspec {
namespace {

constexpr std::string_view kConfig = "Config";
constexpr int64_t kMinimumDurationNs = 1'000'000;  // 1ms

Status validate_healthcheck(const Json& config) {
  const Json* health = field(config, "Healthcheck");
  if (health == nullptr) return {};
  if (!health->is_object()) {
    return type_error(*health, kConfig, "Healthcheck", "container.HealthConfig");
  }
  constexpr std::string_view kWhere = "HealthConfig";
  TRY(get_strings(*health, "Test", kWhere));
  for (const char* key : {"Interval", "Timeout"}) {
    int64_t value = TRY(get_int(*health, key, kWhere));
    if (value != 0 && value < kMinimumDurationNs) {
      return make_error(ErrorCode::kInvalidArgument, "{} in Healthcheck cannot be less than 1ms",
                        key);
    }
  }
  if (TRY(get_int(*health, "Retries", kWhere)) < 0) {
    return make_error(ErrorCode::kInvalidArgument, "Retries in Healthcheck cannot be negative");
  }
  for (const char* key : {"StartPeriod", "StartInterval"}) {
    int64_t value = TRY(get_int(*health, key, kWhere));
    if (value != 0 && value < kMinimumDurationNs) {
      return make_error(ErrorCode::kInvalidArgument, "{} in Healthcheck cannot be less than 1ms",
                        key);
    }
  }
  return {};
}

}  // namespace

Status validate_container_config(const Json& config) {
  if (!config.is_object()) {
    return make_error(ErrorCode::kInvalidArgument,
                      "config cannot be empty in order to create a container");
  }
  std::string working_dir = TRY(get_string(config, "WorkingDir", kConfig));
  if (!working_dir.empty() && working_dir.front() != '/') {
    return make_error(ErrorCode::kInvalidArgument,
                      "the working directory '{}' is invalid, it needs to be an absolute path",
                      working_dir);
  }
  std::string stop_signal = TRY(get_string(config, "StopSignal", kConfig));
  if (!stop_signal.empty() && !parse_signal(stop_signal)) {
    return make_error(ErrorCode::kInvalidArgument, "invalid signal: {}", stop_signal);
  }
  for (const std::string& entry : TRY(get_strings(config, "Env", kConfig))) {
    if (entry.empty() || entry.front() == '=') {
      return make_error(ErrorCode::kInvalidArgument, "invalid environment variable: {}", entry);
    }
  }
  TRY(get_str_slice(config, "Cmd", kConfig));
  TRY(get_str_slice(config, "Entrypoint", kConfig));
  TRY(get_string_map(config, "Labels", kConfig));
  return validate_healthcheck(config);
}

}  // namespace berth::cspec
