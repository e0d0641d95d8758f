#include "daemon/daemon_config.h"

#include <set>

#include "base/file_util.h"
#include "base/strings.h"

namespace berth::daemon {

std::string DaemonConfig::socket_path() const {
  for (const auto& host : hosts) {
    if (host.rfind("unix://", 0) == 0) return host.substr(7);
  }
  return exec_root + "/berth.sock";
}

namespace {

template <typename T>
Status read_key(const Json& j, const char* key, T& out) {
  if (!j.contains(key)) return {};
  try {
    out = j.at(key).get<T>();
  } catch (const Json::exception&) {
    return make_error(ErrorCode::kInvalidArgument, "daemon.json: invalid value for \"{}\"", key);
  }
  return {};
}

Status read_string_map(const Json& j, const char* key, std::map<std::string, std::string>& out) {
  if (!j.contains(key)) return {};
  if (!j[key].is_object())
    return make_error(ErrorCode::kInvalidArgument, "daemon.json: \"{}\" must be an object", key);
  for (auto& [k, v] : j[key].items()) {
    if (!v.is_string())
      return make_error(ErrorCode::kInvalidArgument, "daemon.json: \"{}.{}\" must be a string", key, k);
    out[k] = v.get<std::string>();
  }
  return {};
}

}  // namespace

Status apply_daemon_json(const std::string& text, DaemonConfig& c) {
  Json j = TRY(parse_json(text, "daemon.json"));
  if (!j.is_object()) return Error(ErrorCode::kInvalidArgument, "daemon.json: must be an object");
  static const std::set<std::string> kKnown = {
      "data-root", "exec-root", "hosts", "group", "tls", "tlsverify", "tlscacert", "tlscert",
      "tlskey", "debug", "log-level", "insecure-registries", "registry-mirrors",
      "max-concurrent-downloads", "max-concurrent-uploads", "log-driver", "log-opts", "bip", "bridge",
      "default-address-pools", "dns", "dns-search", "dns-opts", "cgroup-parent",
      "default-cgroupns-mode", "default-shm-size", "default-ulimits", "no-new-privileges",
      "seccomp-profile", "icc", "ip-forward", "iptables", "experimental", "labels",
      "shutdown-timeout", "init-path", "shim-path", "live-restore", "storage-driver",
      "userland-proxy", "features", "default-runtime", "runtimes"};
  std::vector<std::string> unknown;
  for (auto& [k, v] : j.items()) {
    if (!kKnown.count(k)) unknown.push_back(k);
  }
  if (!unknown.empty()) {
    return make_error(ErrorCode::kInvalidArgument,
                      "the following directives don't match any configuration option: {}",
                      join(unknown, ", "));
  }
  if (j.contains("storage-driver") && j["storage-driver"] != "overlay2")
    return Error(ErrorCode::kInvalidArgument, "daemon.json: only the overlay2 storage driver is supported");
  TRY(read_key(j, "data-root", c.data_root));
  TRY(read_key(j, "exec-root", c.exec_root));
  TRY(read_key(j, "hosts", c.hosts));
  TRY(read_key(j, "group", c.group));
  TRY(read_key(j, "tls", c.tls));
  TRY(read_key(j, "tlsverify", c.tls_verify));
  TRY(read_key(j, "tlscacert", c.tls_ca_cert));
  TRY(read_key(j, "tlscert", c.tls_cert));
  TRY(read_key(j, "tlskey", c.tls_key));
  TRY(read_key(j, "debug", c.debug));
  TRY(read_key(j, "log-level", c.log_level));
  TRY(read_key(j, "insecure-registries", c.insecure_registries));
  TRY(read_key(j, "registry-mirrors", c.registry_mirrors));
  TRY(read_key(j, "max-concurrent-downloads", c.max_concurrent_downloads));
  TRY(read_key(j, "max-concurrent-uploads", c.max_concurrent_uploads));
  TRY(read_key(j, "log-driver", c.log_driver));
  TRY(read_string_map(j, "log-opts", c.log_opts));
  TRY(read_key(j, "bip", c.bip));
  TRY(read_key(j, "bridge", c.bridge));
  if (j.contains("default-address-pools")) c.default_address_pools = j["default-address-pools"];
  TRY(read_key(j, "dns", c.dns));
  TRY(read_key(j, "dns-search", c.dns_search));
  TRY(read_key(j, "dns-opts", c.dns_opts));
  TRY(read_key(j, "cgroup-parent", c.cgroup_parent));
  TRY(read_key(j, "default-cgroupns-mode", c.default_cgroupns_mode));
  TRY(read_key(j, "default-shm-size", c.default_shm_size));
  if (j.contains("default-ulimits")) c.default_ulimits = j["default-ulimits"];
  TRY(read_key(j, "no-new-privileges", c.no_new_privileges));
  TRY(read_key(j, "seccomp-profile", c.seccomp_profile));
  TRY(read_key(j, "icc", c.icc));
  TRY(read_key(j, "ip-forward", c.ip_forward));
  TRY(read_key(j, "iptables", c.iptables));
  TRY(read_key(j, "experimental", c.experimental));
  TRY(read_key(j, "labels", c.labels));
  TRY(read_key(j, "shutdown-timeout", c.shutdown_timeout));
  TRY(read_key(j, "init-path", c.init_path));
  TRY(read_key(j, "shim-path", c.shim_path));
  if (c.log_level != "debug" && c.log_level != "info" && c.log_level != "warn" &&
      c.log_level != "error" && c.log_level != "fatal")
    return make_error(ErrorCode::kInvalidArgument, "unable to parse logging level: {}", c.log_level);
  return {};
}

Status load_daemon_config_file(DaemonConfig& config, bool file_given_explicitly) {
  auto text = read_file(config.config_file);
  if (!text.ok()) {
    if (text.error().code() == ErrorCode::kNotFound && !file_given_explicitly) return {};
    return std::move(text).error().context("daemon config file");
  }
  return apply_daemon_json(*text, config);
}

}  // namespace berth::daemon
