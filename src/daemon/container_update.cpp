#include "daemon/container_update.h"

#include "cspec/resource_checks.h"
#include "cspec/resources.h"

namespace berth::daemon {
namespace {

// The resource fields of HostConfig that `update` may change.
constexpr const char* kResourceKeys[] = {
    "BlkioWeight",        "BlkioWeightDevice",  "BlkioDeviceReadBps", "BlkioDeviceWriteBps",
    "BlkioDeviceReadIOps", "BlkioDeviceWriteIOps", "CpuShares",        "NanoCpus",
    "CpuPeriod",          "CpuQuota",           "CpusetCpus",         "CpusetMems",
    "Memory",             "MemorySwap",         "MemoryReservation",  "CpuRealtimePeriod",
    "CpuRealtimeRuntime", "PidsLimit"};

// Go's zero value for the field as the client sent it: absent, null, 0 or "". Lists and the
// PidsLimit pointer count as set whenever they are not null.
bool is_set(const Json& body, const char* key) {
  if (!body.contains(key)) return false;
  const Json& v = body[key];
  if (v.is_null()) return false;
  if (v.is_number()) return std::string_view(key) == "PidsLimit" || v.get<double>() != 0;
  if (v.is_string()) return !v.get<std::string>().empty();
  return true;
}

int64_t int_of(const Json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_number()) return 0;
  return j[key].get<int64_t>();
}

Error conflict(const char* message) { return Error(ErrorCode::kConflict, message); }

Status merge_resources(Json& hc, const Json& update) {
  // NanoCpus rewrites CpuPeriod/CpuQuota: one of the two ways, not both.
  if (is_set(update, "NanoCpus") && int_of(hc, "CpuPeriod") > 0)
    return conflict("Conflicting options: Nano CPUs cannot be updated as CPU Period has already been set");
  if (is_set(update, "NanoCpus") && int_of(hc, "CpuQuota") > 0)
    return conflict("Conflicting options: Nano CPUs cannot be updated as CPU Quota has already been set");
  if (is_set(update, "CpuPeriod") && int_of(hc, "NanoCpus") > 0)
    return conflict("Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set");
  if (is_set(update, "CpuQuota") && int_of(hc, "NanoCpus") > 0)
    return conflict("Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set");
  if (is_set(update, "Memory") && int_of(update, "Memory") > int_of(hc, "MemorySwap") &&
      !is_set(update, "MemorySwap")) {
    return conflict(
        "Memory limit should be smaller than already set memoryswap limit, update the memoryswap "
        "at the same time");
  }
  for (const char* key : kResourceKeys) {
    if (is_set(update, key)) hc[key] = update[key];
  }
  return {};
}

}  // namespace

Result<std::vector<std::string>> update_container(ContainerService& service, const std::string& ref,
                                                  const Json& raw_body) {
  Json body = raw_body.is_object() ? raw_body : Json::object();
  std::vector<std::string> warnings;
  const ServiceDeps& deps = service.deps();
  TRY(cspec::check_resources(body, deps.host, true, &warnings));

  ContainerRef entry = TRY(service.store().lookup(ref));
  std::lock_guard lock(entry->mutex);
  Container& c = entry->c;
  if (c.state.status == ContainerStatus::kRemoving || c.state.status == ContainerStatus::kDead) {
    return make_error(ErrorCode::kConflict,
                      "Container {} is marked for removal and cannot be \"update\"", c.id);
  }
  Json hc = c.host_config;
  TRY(merge_resources(hc, body));
  if (body.contains("RestartPolicy") && body["RestartPolicy"].is_object()) {
    const Json& policy = body["RestartPolicy"];
    std::string name = policy.value("Name", std::string());
    if (!name.empty()) {
      if (hc.value("AutoRemove", false) && name != "no") {
        return conflict("Restart policy cannot be updated because AutoRemove is enabled for the container");
      }
      hc["RestartPolicy"] = {{"Name", name},
                             {"MaximumRetryCount", policy.value("MaximumRetryCount", 0)}};
    }
  }
  bool active = c.state.status == ContainerStatus::kRunning ||
                c.state.status == ContainerStatus::kPaused;
  if (active) {
    auto resources = cspec::container_resources(hc);
    if (!resources.ok()) {
      return make_error(ErrorCode::kInvalidArgument, "Cannot update container {}: {}", c.id,
                        resources.error().to_string());
    }
    auto applied = deps.runtime->update(c.id, *resources);
    if (!applied.ok()) {
      return make_error(ErrorCode::kInternal, "Cannot update container {}: {}", c.id,
                        applied.error().to_string());
    }
  }
  c.host_config = std::move(hc);
  TRY(service.store().save(c));
  entry->changed.notify_all();
  service.publish(c, "update");
  return warnings;
}

}  // namespace berth::daemon
