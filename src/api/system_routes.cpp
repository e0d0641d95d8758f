// /_ping, /version, /info, /events.
#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "api/api_context.h"
#include "api/api_errors.h"
#include "base/file_util.h"
#include "base/strings.h"
#include "base/time_format.h"
#include "daemon/container_views.h"

namespace berth::api {
namespace {

std::string kernel_version() {
  struct utsname u {};
  ::uname(&u);
  return u.release;
}

std::string operating_system() {
  auto text = read_file("/etc/os-release");
  if (text.ok()) {
    for (const auto& line : split(*text, '\n')) {
      if (line.rfind("PRETTY_NAME=", 0) == 0) {
        std::string v = line.substr(12);
        if (v.size() >= 2 && v.front() == '"') v = v.substr(1, v.size() - 2);
        return v;
      }
    }
  }
  return "Linux";
}

int64_t mem_total() {
  long pages = ::sysconf(_SC_PHYS_PAGES);
  long size = ::sysconf(_SC_PAGE_SIZE);
  return static_cast<int64_t>(pages) * size;
}

// Docker's timestamps for since/until: Unix seconds with an optional fraction, or RFC 3339.
Result<int64_t> parse_event_time(std::string_view text) {
  if (text.empty()) return int64_t{-1};
  auto [secs, frac] = split_once(text, '.');
  auto s = parse_int64(secs);
  if (s.ok()) {
    int64_t nanos = 0;
    if (!frac.empty()) {
      std::string digits(frac.substr(0, 9));
      while (digits.size() < 9) digits.push_back('0');
      nanos = TRY(parse_int64(digits));
    }
    return *s * 1'000'000'000 + nanos;
  }
  return parse_rfc3339_ns(text);
}

bool event_matches(const daemon::Event& e, const daemon::ListFilters& f) {
  auto any = [&](const std::string& key, auto pred) {
    auto it = f.values.find(key);
    if (it == f.values.end() || it->second.empty()) return true;
    for (const auto& v : it->second) {
      if (pred(v)) return true;
    }
    return false;
  };
  auto attr = [&](const char* k) {
    auto it = e.attributes.find(k);
    return it == e.attributes.end() ? std::string() : it->second;
  };
  if (!any("type", [&](const std::string& v) { return v == e.type; })) return false;
  if (!any("event", [&](const std::string& v) {
        return v == e.action || e.action.rfind(v + ":", 0) == 0;
      }))
    return false;
  if (!any("container", [&](const std::string& v) {
        return e.type == "container" && (e.actor_id.rfind(v, 0) == 0 || attr("name") == v);
      }))
    return false;
  if (!any("image", [&](const std::string& v) {
        return (e.type == "image" && (e.actor_id == v || attr("name") == v)) ||
               (e.type == "container" && attr("image") == v);
      }))
    return false;
  if (!any("network", [&](const std::string& v) {
        return e.type == "network" && (e.actor_id.rfind(v, 0) == 0 || attr("name") == v);
      }))
    return false;
  if (!any("volume", [&](const std::string& v) { return e.type == "volume" && e.actor_id == v; }))
    return false;
  if (!any("label", [&](const std::string& v) {
        auto [k, val] = split_once(v, '=');
        auto it = e.attributes.find(std::string(k));
        return it != e.attributes.end() && (v.find('=') == std::string::npos || it->second == val);
      }))
    return false;
  if (!any("scope", [&](const std::string& v) { return v == "local"; })) return false;
  return true;
}

}  // namespace

void register_system_routes(http::Router& router, ApiContext& ctx) {
  auto ping = [](http::Request&, http::ResponseWriter& w) {
    http::Response r = http::Response::text(200, "OK");
    r.headers.set("Builder-Version", "1");
    r.headers.set("Swarm", "inactive");
    r.headers.set("Cache-Control", "no-cache, no-store, must-revalidate");
    r.headers.set("Pragma", "no-cache");
    (void)w.send(std::move(r));
  };
  router.get("/_ping", ping);
  router.head("/_ping", ping);

  router.get("/version", [&ctx](http::Request&, http::ResponseWriter& w) {
    std::string kernel = kernel_version();
    Json details = {{"ApiVersion", "1.47"},     {"Arch", "amd64"},
                    {"BuildTime", ""},          {"Experimental", "false"},
                    {"GitCommit", "berth"},     {"GoVersion", "n/a (C++20)"},
                    {"KernelVersion", kernel},  {"MinAPIVersion", "1.24"},
                    {"Os", "linux"}};
    Json v = {{"Platform", {{"Name", "Berth Engine"}}},
              {"Components", Json::array({{{"Name", "Engine"}, {"Version", BERTH_VERSION}, {"Details", details}}})},
              {"Version", BERTH_VERSION},
              {"ApiVersion", "1.47"},
              {"MinAPIVersion", "1.24"},
              {"GitCommit", "berth"},
              {"GoVersion", "n/a (C++20)"},
              {"Os", "linux"},
              {"Arch", "amd64"},
              {"KernelVersion", kernel},
              {"BuildTime", ""}};
    (void)ctx;
    (void)w.send_json(200, v);
  });

  router.get("/info", [&ctx](http::Request&, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      int running = 0, paused = 0, stopped = 0;
      auto all = ctx.containers->store().list();
      for (const auto& entry : all) {
        std::lock_guard lock(entry->mutex);
        switch (entry->c.state.status) {
          case daemon::ContainerStatus::kRunning:
          case daemon::ContainerStatus::kRestarting: ++running; break;
          case daemon::ContainerStatus::kPaused: ++paused; break;
          default: ++stopped;
        }
      }
      auto images = ctx.images->list();
      const auto& host = ctx.containers->deps().host;
      char hostname[256] = {};
      ::gethostname(hostname, sizeof hostname - 1);
      bool v2 = host.cgroup_mode == cspec::CgroupMode::kV2;
      Json info = {
          {"ID", ctx.daemon_id},
          {"Containers", all.size()},
          {"ContainersRunning", running},
          {"ContainersPaused", paused},
          {"ContainersStopped", stopped},
          {"Images", images.ok() ? images->size() : 0},
          {"Driver", "overlay2"},
          {"DriverStatus", Json::array({Json::array({"Backing Filesystem", "extfs"}),
                                        Json::array({"Supports d_type", "true"}),
                                        Json::array({"Using metacopy", "false"}),
                                        Json::array({"Native Overlay Diff", "true"}),
                                        Json::array({"userxattr", "false"})})},
          {"Plugins",
           {{"Volume", {"local"}},
            {"Network", {"bridge", "host", "ipvlan", "macvlan", "null", "overlay"}},
            {"Authorization", nullptr},
            {"Log", {"json-file", "local", "none"}}}},
          {"MemoryLimit", true},
          {"SwapLimit", host.cgroup.swap_limit},
          {"CpuCfsPeriod", true},
          {"CpuCfsQuota", true},
          {"CPUShares", true},
          {"CPUSet", true},
          {"PidsLimit", true},
          {"IPv4Forwarding", true},
          {"BridgeNfIptables", false},
          {"BridgeNfIp6tables", false},
          {"Debug", ctx.config->debug},
          {"NFd", 0},
          {"OomKillDisable", !v2},
          {"NGoroutines", 0},
          {"SystemTime", format_rfc3339_nano_ns(unix_nanos_now())},
          {"LoggingDriver", ctx.config->log_driver},
          {"CgroupDriver", "cgroupfs"},
          {"CgroupVersion", v2 ? "2" : "1"},
          {"NEventsListener", 0},
          {"KernelVersion", kernel_version()},
          {"OperatingSystem", operating_system()},
          {"OSVersion", ""},
          {"OSType", "linux"},
          {"Architecture", "x86_64"},
          {"IndexServerAddress", "https://index.docker.io/v1/"},
          {"RegistryConfig",
           {{"AllowNondistributableArtifactsCIDRs", nullptr},
            {"AllowNondistributableArtifactsHostnames", nullptr},
            {"InsecureRegistryCIDRs", Json::array({"127.0.0.0/8"})},
            {"IndexConfigs", Json::object()},
            {"Mirrors", ctx.config->registry_mirrors}}},
          {"NCPU", host.ncpu},
          {"MemTotal", mem_total()},
          {"GenericResources", nullptr},
          {"DockerRootDir", ctx.config->data_root},
          {"HttpProxy", ""},
          {"HttpsProxy", ""},
          {"NoProxy", ""},
          {"Name", hostname},
          {"Labels", ctx.config->labels},
          {"ExperimentalBuild", false},
          {"ServerVersion", BERTH_VERSION},
          {"Runtimes", {{"runc", {{"path", "berth-runtime"}}}}},
          {"DefaultRuntime", "runc"},
          {"Swarm",
           {{"NodeID", ""},
            {"NodeAddr", ""},
            {"LocalNodeState", "inactive"},
            {"ControlAvailable", false},
            {"Error", ""},
            {"RemoteManagers", nullptr}}},
          {"LiveRestoreEnabled", true},
          {"Isolation", ""},
          {"InitBinary", "docker-init"},
          {"ContainerdCommit", {{"ID", ""}, {"Expected", ""}}},
          {"RuncCommit", {{"ID", "berth-runtime"}, {"Expected", "berth-runtime"}}},
          {"InitCommit", {{"ID", "berth-init"}, {"Expected", "berth-init"}}},
          {"SecurityOptions", Json::array({"name=seccomp,profile=builtin"})},
          {"Warnings", nullptr}};
      if (v2) info["SecurityOptions"].push_back("name=cgroupns");
      return w.send_json(200, info);
    });
  });

  router.get("/events", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      int64_t since = TRY(parse_event_time(r.query().value("since")));
      int64_t until = TRY(parse_event_time(r.query().value("until")));
      auto filters = TRY(daemon::parse_filters(std::string(r.query().value("filters")), {"config", "container", "daemon", "event", "image", "label", "network", "node", "plugin", "scope", "secret", "service", "type", "volume"}));
      int64_t now = unix_nanos_now();
      TRY(w.begin_stream(200, http::Headers({{"Content-Type", "application/json"}})));
      auto send = [&](const daemon::Event& e) {
        if (!event_matches(e, filters)) return true;
        return w.write_chunk(e.to_json().dump() + "\n").ok();
      };
      if (until >= 0 && until <= now) {
        // A closed window: replay history only.
        for (const auto& e : ctx.events->history(since < 0 ? 0 : since, until)) {
          if (!send(e)) break;
        }
        return w.end_stream();
      }
      auto sub = ctx.events->subscribe(since);
      w.on_client_gone([sub] { sub->close(); });
      (void)w.flush();
      while (!w.client_gone()) {
        int timeout = -1;
        if (until >= 0) {
          int64_t left_ms = (until - unix_nanos_now()) / 1'000'000;
          if (left_ms <= 0) break;
          timeout = static_cast<int>(left_ms);
        }
        daemon::Event e;
        if (!sub->next(&e, timeout)) {
          if (until >= 0 && unix_nanos_now() >= until) break;
          if (w.client_gone()) break;
          continue;
        }
        if (until >= 0 && e.time_ns > until) break;
        if (!send(e)) break;
        (void)w.flush();
      }
      sub->close();
      return w.end_stream();
    });
  });
}

}  // namespace berth::api
