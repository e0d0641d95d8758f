#include "daemon/container_views.h"

#include <cmath>
#include <set>

#include "base/strings.h"
#include "base/time_format.h"

namespace berth::daemon {

std::string docker_time(int64_t unix_ns) {
  if (unix_ns <= 0) return "0001-01-01T00:00:00Z";
  return format_rfc3339_nano_ns(unix_ns);
}

std::string human_duration(int64_t ns) {
  double seconds = static_cast<double>(ns) / 1e9;
  if (seconds < 1) return "Less than a second";
  if (seconds < 2) return "1 second";
  if (seconds < 60) return fmt::format("{} seconds", static_cast<int64_t>(seconds));
  double minutes = seconds / 60;
  if (minutes < 2) return "About a minute";
  if (minutes < 60) return fmt::format("{} minutes", static_cast<int64_t>(minutes));
  double hours = std::round(seconds / 3600);
  if (hours == 1) return "About an hour";
  if (hours < 48) return fmt::format("{} hours", static_cast<int64_t>(hours));
  if (hours < 24 * 7 * 2) return fmt::format("{} days", static_cast<int64_t>(hours / 24));
  if (hours < 24 * 30 * 2) return fmt::format("{} weeks", static_cast<int64_t>(hours / 24 / 7));
  if (hours < 24 * 365 * 2) return fmt::format("{} months", static_cast<int64_t>(hours / 24 / 30));
  return fmt::format("{} years", static_cast<int64_t>(hours / 24 / 365));
}

std::string status_text(const Container& c, int64_t now_ns) {
  const ContainerState& s = c.state;
  switch (s.status) {
    case ContainerStatus::kCreated: return "Created";
    case ContainerStatus::kRemoving: return "Removal In Progress";
    case ContainerStatus::kDead: return "Dead";
    case ContainerStatus::kRestarting:
      return fmt::format("Restarting ({}) {} ago", s.exit_code,
                         human_duration(now_ns - s.finished_at_ns));
    case ContainerStatus::kExited:
      if (s.finished_at_ns <= 0) return "Created";
      return fmt::format("Exited ({}) {} ago", s.exit_code, human_duration(now_ns - s.finished_at_ns));
    case ContainerStatus::kRunning:
    case ContainerStatus::kPaused: {
      std::string out = "Up " + human_duration(now_ns - s.started_at_ns);
      if (s.status == ContainerStatus::kPaused) out += " (Paused)";
      if (s.health.status == "starting") out += " (health: starting)";
      else if (!s.health.status.empty()) out += " (" + s.health.status + ")";
      return out;
    }
  }
  return "";
}

namespace {

std::pair<std::string, Json> path_and_args(const Json& config) {
  std::vector<std::string> argv;
  for (const char* key : {"Entrypoint", "Cmd"}) {
    if (config.contains(key) && config[key].is_array()) {
      for (const auto& a : config[key]) {
        if (a.is_string()) argv.push_back(a.get<std::string>());
      }
    }
  }
  if (argv.empty()) return {"", Json::array()};
  Json args = Json::array();
  for (size_t i = 1; i < argv.size(); ++i) args.push_back(argv[i]);
  return {argv[0], args};
}

Json mounts_json(const Container& c) {
  Json out = Json::array();
  for (const auto& m : c.mounts) {
    if (m.type == "tmpfs") {
      out.push_back({{"Type", "tmpfs"}, {"Source", ""}, {"Destination", m.destination},
                     {"Mode", m.mode}, {"RW", m.rw}, {"Propagation", ""}});
      continue;
    }
    Json j = {{"Type", m.type}};
    if (m.type == "volume") {
      j["Name"] = m.name;
    }
    j["Source"] = m.source;
    j["Destination"] = m.destination;
    if (m.type == "volume") j["Driver"] = m.driver.empty() ? "local" : m.driver;
    j["Mode"] = m.mode;
    j["RW"] = m.rw;
    j["Propagation"] = m.propagation;
    out.push_back(std::move(j));
  }
  return out;
}

Json health_json(const HealthState& h) {
  Json log = Json::array();
  for (const auto& e : h.log) {
    log.push_back({{"Start", docker_time(e.start_ns)}, {"End", docker_time(e.end_ns)},
                   {"ExitCode", e.exit_code}, {"Output", e.output}});
  }
  return {{"Status", h.status}, {"FailingStreak", h.failing_streak}, {"Log", log}};
}

Json network_settings_json(const Container& c) {
  Json ns = c.network_settings.is_object() ? c.network_settings : Json::object();
  auto set_default = [&](const char* key, Json value) {
    if (!ns.contains(key)) ns[key] = std::move(value);
  };
  set_default("Bridge", "");
  set_default("SandboxID", "");
  set_default("SandboxKey", "");
  set_default("Ports", Json::object());
  set_default("HairpinMode", false);
  set_default("LinkLocalIPv6Address", "");
  set_default("LinkLocalIPv6PrefixLen", 0);
  set_default("SecondaryIPAddresses", nullptr);
  set_default("SecondaryIPv6Addresses", nullptr);
  set_default("EndpointID", "");
  set_default("Gateway", "");
  set_default("GlobalIPv6Address", "");
  set_default("GlobalIPv6PrefixLen", 0);
  set_default("IPAddress", "");
  set_default("IPPrefixLen", 0);
  set_default("IPv6Gateway", "");
  set_default("MacAddress", "");
  set_default("Networks", Json::object());
  return ns;
}

}  // namespace

Json inspect_json(const Container& c, const ViewContext& ctx) {
  auto [path, args] = path_and_args(c.config);
  const ContainerState& s = c.state;
  Json state = {{"Status", status_name(s.status)},
                {"Running", s.status == ContainerStatus::kRunning || s.status == ContainerStatus::kPaused},
                {"Paused", s.status == ContainerStatus::kPaused},
                {"Restarting", s.status == ContainerStatus::kRestarting},
                {"OOMKilled", s.oom_killed},
                {"Dead", s.status == ContainerStatus::kDead},
                {"Pid", s.pid},
                {"ExitCode", s.exit_code},
                {"Error", s.error},
                {"StartedAt", docker_time(s.started_at_ns)},
                {"FinishedAt", docker_time(s.finished_at_ns)}};
  if (!s.health.status.empty()) state["Health"] = health_json(s.health);
  Json j;
  j["Id"] = c.id;
  j["Created"] = docker_time(c.created_ns);
  j["Path"] = path;
  j["Args"] = args;
  j["State"] = state;
  j["Image"] = c.image_id;
  j["ResolvConfPath"] = c.resolv_conf_path;
  j["HostnamePath"] = c.hostname_path;
  j["HostsPath"] = c.hosts_path;
  j["LogPath"] = c.host_config.value("LogConfig", Json::object()).value("Type", std::string("json-file")) ==
                         "json-file"
                     ? c.log_path
                     : "";
  j["Name"] = "/" + c.name;
  j["RestartCount"] = s.restart_count;
  j["Driver"] = c.driver;
  j["Platform"] = c.platform;
  j["MountLabel"] = "";
  j["ProcessLabel"] = "";
  j["AppArmorProfile"] = "";
  j["ExecIDs"] = ctx.exec_ids.empty() ? Json(nullptr) : Json(ctx.exec_ids);
  j["HostConfig"] = c.host_config;
  j["GraphDriver"] = {{"Data",
                       {{"LowerDir", ctx.graph_lower_dir},
                        {"MergedDir", ctx.merged_dir},
                        {"UpperDir", ctx.graph_upper_dir},
                        {"WorkDir", ctx.graph_work_dir}}},
                      {"Name", c.driver}};
  if (ctx.size_rw >= 0) j["SizeRw"] = ctx.size_rw;
  if (ctx.size_root_fs >= 0) j["SizeRootFs"] = ctx.size_root_fs;
  j["Mounts"] = mounts_json(c);
  j["Config"] = c.config;
  j["NetworkSettings"] = network_settings_json(c);
  return j;
}

Json summary_json(const Container& c, const ViewContext& ctx) {
  auto [path, args] = path_and_args(c.config);
  std::string command = path;
  for (const auto& a : args) command += " " + a.get<std::string>();
  Json ports = Json::array();
  const Json& ns = c.network_settings;
  if (ns.is_object() && ns.contains("Ports") && ns["Ports"].is_object()) {
    for (auto& [spec, bindings] : ns["Ports"].items()) {
      auto [port, proto] = split_once(spec, '/');
      int private_port = parse_int(port).value_or(0);
      std::string type = proto.empty() ? "tcp" : std::string(proto);
      if (!bindings.is_array() || bindings.empty()) {
        ports.push_back({{"PrivatePort", private_port}, {"Type", type}});
        continue;
      }
      for (const auto& b : bindings) {
        ports.push_back({{"IP", b.value("HostIp", std::string())},
                         {"PrivatePort", private_port},
                         {"PublicPort", parse_int(b.value("HostPort", std::string("0"))).value_or(0)},
                         {"Type", type}});
      }
    }
  }
  Json networks = Json::object();
  if (ns.is_object() && ns.contains("Networks")) networks = ns["Networks"];
  Json j;
  j["Id"] = c.id;
  j["Names"] = Json::array({"/" + c.name});
  j["Image"] = ctx.image_display.empty() ? c.image_name : ctx.image_display;
  j["ImageID"] = c.image_id;
  j["Command"] = command;
  j["Created"] = c.created_ns / 1'000'000'000;
  j["Ports"] = ports;
  if (ctx.size_rw >= 0) j["SizeRw"] = ctx.size_rw;
  if (ctx.size_root_fs >= 0) j["SizeRootFs"] = ctx.size_root_fs;
  j["Labels"] = c.labels();
  j["State"] = status_name(c.state.status);
  j["Status"] = status_text(c, ctx.now_ns);
  j["HostConfig"] = {{"NetworkMode", c.host_config.value("NetworkMode", std::string("default"))}};
  j["NetworkSettings"] = {{"Networks", networks}};
  j["Mounts"] = mounts_json(c);
  return j;
}

Result<ListFilters> parse_container_filters(const std::string& text) {
  ListFilters out = TRY(parse_filters(
      text, {"ancestor", "before", "expose", "exited", "health", "id", "is-task", "isolation",
             "label", "name", "network", "publish", "since", "status", "volume"}));
  if (auto it = out.values.find("status"); it != out.values.end()) {
    for (const auto& v : it->second) {
      if (!status_from_name(v).ok())
        return make_error(ErrorCode::kInvalidArgument, "invalid filter 'status={}'", v);
    }
  }
  return out;
}

namespace {

// The "port/proto" set a publish or expose filter names: "80", "80/udp", "8000-8010/tcp"
// (tcp when no protocol is given). An unparsable value adds nothing, so it matches nothing.
std::set<std::string> port_filter_set(const std::vector<std::string>& values) {
  std::set<std::string> out;
  for (const auto& v : values) {
    auto [range, proto] = split_once(v, '/');
    std::string type = proto.empty() ? "tcp" : std::string(proto);
    auto [first, last] = split_once(range, '-');
    auto lo = parse_int(first);
    auto hi = last.empty() ? lo : parse_int(last);
    if (!lo.ok() || !hi.ok() || *lo < 0 || *hi > 65535 || *lo > *hi) continue;
    for (int port = *lo; port <= *hi; ++port) out.insert(fmt::format("{}/{}", port, type));
  }
  return out;
}

// dockerd's publish/expose filters: a container port ("80/tcp") for expose, a bound host port
// for publish, over the ports `docker ps` shows.
bool ports_match(const Container& c, const ListFilters& filters) {
  auto publish = port_filter_set(filters.get("publish"));
  auto expose = port_filter_set(filters.get("expose"));
  const Json& ns = c.network_settings;
  if (!ns.is_object() || !ns.contains("Ports") || !ns["Ports"].is_object()) return false;
  for (auto& [spec, bindings] : ns["Ports"].items()) {
    auto [port, proto] = split_once(spec, '/');
    std::string type = proto.empty() ? "tcp" : std::string(proto);
    if (expose.count(std::string(port) + "/" + type)) return true;
    if (!bindings.is_array()) continue;
    for (const auto& b : bindings) {
      if (!b.is_object()) continue;
      if (publish.count(b.value("HostPort", std::string()) + "/" + type)) return true;
    }
  }
  return false;
}

// dockerd's network filter: a network name the container is attached to, or a prefix of the
// network's id.
bool network_matches(const Container& c, const std::string& value) {
  const Json& ns = c.network_settings;
  if (!ns.is_object() || !ns.contains("Networks") || !ns["Networks"].is_object()) return false;
  for (auto& [name, endpoint] : ns["Networks"].items()) {
    if (name == value) return true;
    if (endpoint.is_object()) {
      std::string id = endpoint.value("NetworkID", std::string());
      if (!id.empty() && id.rfind(value, 0) == 0) return true;
    }
  }
  return false;
}

}  // namespace

bool matches_filters(const Container& c, const ListFilters& filters) {
  auto any = [&](const std::string& key, auto pred) {
    auto it = filters.values.find(key);
    if (it == filters.values.end() || it->second.empty()) return true;
    for (const auto& v : it->second) {
      if (pred(v)) return true;
    }
    return false;
  };
  auto labels = c.labels();
  if (!any("status", [&](const std::string& v) { return v == status_name(c.state.status); }))
    return false;
  if (!any("id", [&](const std::string& v) { return c.id.rfind(v, 0) == 0; })) return false;
  if (!any("name", [&](const std::string& v) {
        std::string pattern = v;
        if (!pattern.empty() && pattern[0] == '/') pattern.erase(0, 1);
        // Docker matches names by regular expression; a substring match covers plain names.
        return c.name.find(pattern) != std::string::npos;
      }))
    return false;
  auto label_filter = filters.values.find("label");
  if (label_filter != filters.values.end()) {
    // Every label filter must match (AND), as Docker does.
    for (const auto& v : label_filter->second) {
      auto [key, value] = split_once(v, '=');
      auto it = labels.find(std::string(key));
      if (it == labels.end()) return false;
      if (v.find('=') != std::string::npos && it->second != value) return false;
    }
  }
  if (!any("exited", [&](const std::string& v) {
        return c.state.status == ContainerStatus::kExited && std::to_string(c.state.exit_code) == v;
      }))
    return false;
  if (!any("health", [&](const std::string& v) {
        std::string h = c.state.health.status.empty() ? "none" : c.state.health.status;
        return h == v;
      }))
    return false;
  if (!any("network", [&](const std::string& v) { return network_matches(c, v); })) return false;
  if (!any("volume", [&](const std::string& v) {
        for (const auto& m : c.mounts) {
          if (v == m.destination || v == (m.name.empty() ? m.source : m.name)) return true;
        }
        return false;
      }))
    return false;
  // Swarm tasks carry this label; Berth runs none, but the filter still selects.
  if (!any("is-task", [&](const std::string& v) {
        return (v == "true") == (labels.count("com.docker.swarm.task.id") > 0);
      }))
    return false;
  if ((filters.has("publish") || filters.has("expose")) && !ports_match(c, filters)) return false;
  return true;
}

}  // namespace berth::daemon
