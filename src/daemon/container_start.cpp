// POST /containers/{id}/start: mount the rootfs, set up the network, write the OCI bundle,
// launch the shim, connect waiting attach streams, start the process.
#include <signal.h>

#include <cctype>
#include <cstring>

#include "base/file_util.h"
#include "base/log.h"
#include "base/scope_exit.h"
#include "base/time_format.h"
#include "cspec/build_oci_spec.h"
#include "daemon/container_service.h"
#include "daemon/rootfs_mount.h"
#include "oci/runtime_spec_json.h"

namespace berth::daemon {
namespace {

cspec::MountPoint to_spec_mount(const MountPoint& m) {
  cspec::MountPoint out;
  out.type = m.type;
  out.source = m.source;
  out.destination = m.destination;
  out.rw = m.rw;
  out.propagation = m.propagation;
  if (m.tmpfs_options.is_string()) out.tmpfs_data = m.tmpfs_options.get<std::string>();
  return out;
}

// The errno text as Go writes it ("no such file or directory"): the docker CLI looks for those
// lowercase words to choose exit code 127 or 126. The shim reports its failure as text ending in
// strerror's description, so that ending is found and lowercased.
std::string go_text(const Error& e) {
  std::string text = e.to_string();
  for (int err = 1; err < 134; ++err) {
    const char* reason = ::strerrordesc_np(err);
    if (reason == nullptr || !text.ends_with(reason)) continue;
    size_t at = text.size() - std::strlen(reason);
    text[at] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[at])));
    break;
  }
  return text;
}

// "failed to create task ..." is what the docker CLI parses to choose exit code 126 or 127.
Error start_error(const Error& e) {
  return Error(e.code() == ErrorCode::kNotFound || e.code() == ErrorCode::kPermissionDenied
                   ? ErrorCode::kInvalidArgument
                   : e.code(),
               "failed to create task for container: OCI runtime create failed: " + go_text(e) +
                   ": unknown");
}

int exit_code_for_start_error(const Error& e) {
  std::string text = e.to_string();
  if (text.find("executable file not found") != std::string::npos ||
      text.find("no such file or directory") != std::string::npos ||
      text.find("No such file or directory") != std::string::npos)
    return 127;
  if (text.find("ermission denied") != std::string::npos) return 126;
  return 128;
}

}  // namespace

Status ContainerService::start(const std::string& ref) {
  ContainerRef entry = TRY(deps_.containers->lookup(ref));
  std::unique_lock lock(entry->mutex);
  Container& c = entry->c;
  switch (c.state.status) {
    case ContainerStatus::kRunning:
    case ContainerStatus::kRestarting: return Error(ErrorCode::kAlreadyExists, kNotModified);
    case ContainerStatus::kPaused:
      return Error(ErrorCode::kConflict, "cannot start a paused container, try unpause instead");
    case ContainerStatus::kRemoving:
    case ContainerStatus::kDead:
      return make_error(ErrorCode::kConflict,
                        "container is marked for removal and cannot be started");
    default: break;
  }
  c.state.manually_stopped = false;
  Status started = start_locked(*entry, false);
  // As dockerd: a --rm container that fails to start is removed (`run --rm` waits for that).
  if (!started.ok() && c.host_config.value("AutoRemove", false)) {
    if (auto st = remove_locked(entry, lock, true); !st.ok()) {
      log::warn("auto-remove {}: {}", entry->c.id, st.error().to_string());
    }
  }
  return started;
}

std::string ContainerService::bundle_dir(const std::string& id) const {
  return deps_.config->bundles_dir() + "/" + id;
}

Status ContainerService::prepare_files(Container& c) {
  std::string hostname = c.config.value("Hostname", std::string());
  std::string domain = c.config.value("Domainname", std::string());
  TRY(write_file(c.hostname_path, hostname + "\n", 0644));
  std::string hosts, resolv;
  if (deps_.network) {
    hosts = deps_.network->hosts_file(c);
    resolv = deps_.network->resolv_conf(c);
  } else {
    hosts = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n";
    resolv = "";
  }
  TRY(write_file(c.hosts_path, hosts, 0644));
  TRY(write_file(c.resolv_conf_path, resolv, 0644));
  return {};
}

Status ContainerService::start_locked(ContainerEntry& entry, bool is_restart) {
  Container& c = entry.c;
  std::string bundle = bundle_dir(c.id);
  (void)remove_all(bundle);
  TRY(make_dirs(bundle, 0711));
  auto remove_bundle = ScopeExit([&] { (void)remove_all(bundle); });
  std::string rootfs = bundle + "/rootfs";
  store::MountSpec layer = TRY(deps_.images->snapshots().active_mount(c.snapshot_key));
  TRY(mount_snapshot(layer, rootfs));
  auto unmount = ScopeExit([&] { (void)unmount_rootfs(rootfs); });

  if (deps_.volumes && !c.state.has_been_started) {
    for (const auto& m : c.mounts) TRY(deps_.volumes->populate(m, rootfs));
  }

  std::string netns;
  if (deps_.network) netns = TRY_CTX(deps_.network->setup(c), "network setup");
  auto teardown = ScopeExit([&] {
    if (deps_.network) deps_.network->teardown(c);
  });
  TRY(prepare_files(c));

  cspec::StartInput input;
  input.id = c.id;
  input.name = c.name;
  input.config = c.config;
  input.host_config = c.host_config;
  input.rootfs = rootfs;
  input.hostname_path = c.hostname_path;
  input.hosts_path = c.hosts_path;
  input.resolv_conf_path = c.resolv_conf_path;
  input.init_path = deps_.config->init_path;
  input.netns_path = netns;
  input.host = deps_.host;
  for (const char* kind : {"NetworkMode", "IpcMode", "PidMode"}) {
    std::string mode = c.host_config.value(kind, std::string());
    if (mode.rfind("container:", 0) != 0) continue;
    auto other = deps_.containers->lookup(mode.substr(10));
    if (!other.ok()) return std::move(other).error();
    int pid = 0;
    if (other->get() != &entry) {
      std::lock_guard other_lock((*other)->mutex);
      pid = (*other)->c.state.pid;
    }
    if (pid <= 0)
      return make_error(ErrorCode::kConflict, "cannot join namespaces of a non running container: {}",
                        mode.substr(10));
    std::string ns = std::string(kind) == "NetworkMode" ? "network"
                     : std::string(kind) == "IpcMode"   ? "ipc"
                                                        : "pid";
    std::string file = ns == "network" ? "net" : ns;
    input.namespace_paths[ns] = "/proc/" + std::to_string(pid) + "/ns/" + file;
  }
  for (const auto& m : c.mounts) input.mounts.push_back(to_spec_mount(m));
  oci::Spec spec = TRY(cspec::build_oci_spec(input));
  TRY(write_file(bundle + "/config.json", oci::to_json(spec).dump(), 0600));

  shim::ShimConfig sc;
  sc.id = c.id;
  sc.bundle = bundle;
  sc.runtime_root = deps_.config->runtime_root();
  sc.tty = c.config.value("Tty", false);
  sc.open_stdin = c.config.value("OpenStdin", false);
  sc.stdin_once = c.config.value("StdinOnce", false);
  const Json log_config = c.host_config.value("LogConfig", Json::object());
  sc.log_driver = log_config.value("Type", std::string());
  if (sc.log_driver.empty()) sc.log_driver = deps_.config->log_driver;
  sc.log_path = c.log_path;
  sc.name = c.name;
  sc.image_id = c.image_id;
  sc.image_name = c.image_name;
  sc.labels = c.labels();
  if (c.config.contains("Env") && c.config["Env"].is_array()) {
    for (const auto& e : c.config["Env"]) {
      if (e.is_string()) sc.env.push_back(e.get<std::string>());
    }
  }
  if (log_config.contains("Config") && log_config["Config"].is_object()) {
    for (auto& [k, v] : log_config["Config"].items()) {
      if (v.is_string()) sc.log_options[k] = v.get<std::string>();
    }
  } else {
    sc.log_options = deps_.config->log_opts;
  }
  auto launched = deps_.shims->launch(sc);
  if (!launched.ok()) {
    c.state.exit_code = exit_code_for_start_error(launched.error());
    c.state.error = start_error(launched.error()).message();
    c.state.finished_at_ns = unix_nanos_now();
    (void)deps_.containers->save(c);
    fail_pending_attaches(c.id, start_error(launched.error()));
    return start_error(launched.error());
  }
  // From here the shim owns the container; a failure must stop it.
  auto stop_shim = ScopeExit([&] { (void)deps_.runtime->remove(c.id, true); });

  std::vector<PendingAttach> attaches;
  {
    std::lock_guard pending(pending_mutex_);
    attaches = std::move(pending_attaches_[c.id]);
    pending_attaches_.erase(c.id);
  }
  for (auto& a : attaches) {
    a.connected(shim_open_stream(bundle, Json{{"op", "attach"},
                                              {"stdin", a.stdin},
                                              {"stdout", a.stdout},
                                              {"stderr", a.stderr}}));
  }
  auto started = shim_call(bundle, Json{{"op", "start"}});
  if (!started.ok()) return start_error(started.error());

  stop_shim.dismiss();
  teardown.dismiss();
  unmount.dismiss();
  remove_bundle.dismiss();
  c.state.status = ContainerStatus::kRunning;
  c.state.pid = *launched;
  c.state.started_at_ns = unix_nanos_now();
  c.state.exit_code = 0;
  c.state.error.clear();
  c.state.oom_killed = false;
  c.state.has_been_started = true;
  // A start by the user (start, restart) begins the count anew, as with dockerd.
  if (is_restart) {
    c.state.restart_count += 1;
  } else {
    c.state.restart_count = 0;
    c.state.restart_backoff = 0;
  }
  if (c.config.contains("Healthcheck") && c.config["Healthcheck"].is_object()) {
    const Json& test = c.config["Healthcheck"].value("Test", Json::array());
    bool disabled = test.is_array() && !test.empty() && test[0] == "NONE";
    c.state.health.status = disabled || test.empty() ? "" : "starting";
    c.state.health.failing_streak = 0;
  }
  TRY(deps_.containers->save(c));
  entry.changed.notify_all();
  publish(c, "start");
  exits_->watch(c.id, bundle);
  if (health_ && !c.state.health.status.empty()) health_->watch(c.id);
  return {};
}

void ContainerService::fail_pending_attaches(const std::string& id, const Error& error) {
  std::vector<PendingAttach> attaches;
  {
    std::lock_guard pending(pending_mutex_);
    auto it = pending_attaches_.find(id);
    if (it == pending_attaches_.end()) return;
    attaches = std::move(it->second);
    pending_attaches_.erase(it);
  }
  for (auto& a : attaches) a.connected(error);
}

Status ContainerService::attach_before_start(const ContainerRef& entry, PendingAttach attach) {
  std::unique_lock lock(entry->mutex);
  if (entry->c.state.status == ContainerStatus::kRunning ||
      entry->c.state.status == ContainerStatus::kPaused) {
    std::string bundle = bundle_dir(entry->c.id);
    lock.unlock();
    attach.connected(shim_open_stream(bundle, Json{{"op", "attach"},
                                                   {"stdin", attach.stdin},
                                                   {"stdout", attach.stdout},
                                                   {"stderr", attach.stderr}}));
    return {};
  }
  std::lock_guard pending(pending_mutex_);
  pending_attaches_[entry->c.id].push_back(std::move(attach));
  return {};
}

}  // namespace berth::daemon
