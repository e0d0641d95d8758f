#include "daemon/container.h"

namespace berth::daemon {

const char* status_name(ContainerStatus status) {
  switch (status) {
    case ContainerStatus::kCreated: return "created";
    case ContainerStatus::kRunning: return "running";
    case ContainerStatus::kPaused: return "paused";
    case ContainerStatus::kRestarting: return "restarting";
    case ContainerStatus::kRemoving: return "removing";
    case ContainerStatus::kExited: return "exited";
    case ContainerStatus::kDead: return "dead";
  }
  return "unknown";
}

Result<ContainerStatus> status_from_name(std::string_view name) {
  for (auto s : {ContainerStatus::kCreated, ContainerStatus::kRunning, ContainerStatus::kPaused,
                 ContainerStatus::kRestarting, ContainerStatus::kRemoving, ContainerStatus::kExited,
                 ContainerStatus::kDead}) {
    if (name == status_name(s)) return s;
  }
  return make_error(ErrorCode::kInvalidArgument, "unknown container status \"{}\"", name);
}

bool transition_allowed(ContainerStatus from, ContainerStatus to) {
  using S = ContainerStatus;
  switch (to) {
    case S::kRunning:
      return from == S::kCreated || from == S::kExited || from == S::kPaused ||
             from == S::kRestarting;
    case S::kPaused: return from == S::kRunning;
    case S::kRestarting: return from == S::kRunning || from == S::kExited;
    case S::kExited:
      return from == S::kRunning || from == S::kPaused || from == S::kRestarting ||
             from == S::kCreated;
    case S::kRemoving: return from != S::kRemoving;
    case S::kDead: return true;
    case S::kCreated: return false;
  }
  return false;
}

std::map<std::string, std::string> Container::labels() const {
  std::map<std::string, std::string> out;
  if (config.contains("Labels") && config["Labels"].is_object()) {
    for (auto& [k, v] : config["Labels"].items()) {
      if (v.is_string()) out[k] = v.get<std::string>();
    }
  }
  return out;
}

namespace {

Json health_to_json(const HealthState& h) {
  Json log = Json::array();
  for (const auto& e : h.log) {
    log.push_back({{"start", e.start_ns}, {"end", e.end_ns}, {"exit_code", e.exit_code},
                   {"output", e.output}});
  }
  return {{"status", h.status}, {"failing_streak", h.failing_streak}, {"log", log}};
}

HealthState health_from_json(const Json& j) {
  HealthState h;
  h.status = j.value("status", std::string());
  h.failing_streak = j.value("failing_streak", 0);
  if (j.contains("log")) {
    for (const auto& e : j["log"]) {
      h.log.push_back({e.value("start", int64_t{0}), e.value("end", int64_t{0}),
                       e.value("exit_code", 0), e.value("output", std::string())});
    }
  }
  return h;
}

Json mount_to_json(const MountPoint& m) {
  return {{"type", m.type},       {"name", m.name},   {"source", m.source},
          {"destination", m.destination}, {"driver", m.driver}, {"mode", m.mode},
          {"rw", m.rw},           {"propagation", m.propagation},
          {"tmpfs_options", m.tmpfs_options}, {"anonymous", m.anonymous},
          {"copy_data", m.copy_data}};
}

MountPoint mount_from_json(const Json& j) {
  MountPoint m;
  m.type = j.value("type", std::string());
  m.name = j.value("name", std::string());
  m.source = j.value("source", std::string());
  m.destination = j.value("destination", std::string());
  m.driver = j.value("driver", std::string());
  m.mode = j.value("mode", std::string());
  m.rw = j.value("rw", true);
  m.propagation = j.value("propagation", std::string());
  m.tmpfs_options = j.value("tmpfs_options", Json());
  m.anonymous = j.value("anonymous", false);
  m.copy_data = j.value("copy_data", true);
  return m;
}

}  // namespace

Json Container::to_record() const {
  Json mounts_json = Json::array();
  for (const auto& m : mounts) mounts_json.push_back(mount_to_json(m));
  return {{"id", id},
          {"name", name},
          {"created", created_ns},
          {"image_id", image_id},
          {"image_name", image_name},
          {"config", config},
          {"host_config", host_config},
          {"networking_config", networking_config},
          {"network_settings", network_settings},
          {"state",
           {{"status", status_name(state.status)},
            {"pid", state.pid},
            {"exit_code", state.exit_code},
            {"oom_killed", state.oom_killed},
            {"error", state.error},
            {"started_at", state.started_at_ns},
            {"finished_at", state.finished_at_ns},
            {"health", health_to_json(state.health)},
            {"restart_count", state.restart_count},
            {"manually_stopped", state.manually_stopped},
            {"has_been_started", state.has_been_started}}},
          {"mounts", mounts_json},
          {"snapshot_key", snapshot_key},
          {"log_path", log_path},
          {"hostname_path", hostname_path},
          {"hosts_path", hosts_path},
          {"resolv_conf_path", resolv_conf_path},
          {"platform", platform},
          {"driver", driver}};
}

Result<Container> Container::from_record(const Json& j) {
  try {
    Container c;
    c.id = j.at("id").get<std::string>();
    c.name = j.at("name").get<std::string>();
    c.created_ns = j.value("created", int64_t{0});
    c.image_id = j.value("image_id", std::string());
    c.image_name = j.value("image_name", std::string());
    c.config = j.value("config", Json::object());
    c.host_config = j.value("host_config", Json::object());
    c.networking_config = j.value("networking_config", Json::object());
    c.network_settings = j.value("network_settings", Json::object());
    const Json& s = j.at("state");
    c.state.status = TRY(status_from_name(s.value("status", std::string("created"))));
    c.state.pid = s.value("pid", 0);
    c.state.exit_code = s.value("exit_code", 0);
    c.state.oom_killed = s.value("oom_killed", false);
    c.state.error = s.value("error", std::string());
    c.state.started_at_ns = s.value("started_at", int64_t{0});
    c.state.finished_at_ns = s.value("finished_at", int64_t{0});
    if (s.contains("health")) c.state.health = health_from_json(s["health"]);
    c.state.restart_count = s.value("restart_count", 0);
    c.state.manually_stopped = s.value("manually_stopped", false);
    c.state.has_been_started = s.value("has_been_started", false);
    if (j.contains("mounts")) {
      for (const auto& m : j["mounts"]) c.mounts.push_back(mount_from_json(m));
    }
    c.snapshot_key = j.value("snapshot_key", std::string());
    c.log_path = j.value("log_path", std::string());
    c.hostname_path = j.value("hostname_path", std::string());
    c.hosts_path = j.value("hosts_path", std::string());
    c.resolv_conf_path = j.value("resolv_conf_path", std::string());
    c.platform = j.value("platform", std::string("linux"));
    c.driver = j.value("driver", std::string("overlay2"));
    return c;
  } catch (const Json::exception& e) {
    return make_error(ErrorCode::kDataLoss, "corrupt container record: {}", e.what());
  }
}

}  // namespace berth::daemon
