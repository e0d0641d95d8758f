// berthd's configuration: daemon.json (dockerd's file format and key names) overlaid by flags.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"

namespace berth::daemon {

struct DaemonConfig {
  std::string data_root = "/var/lib/berth";
  std::string exec_root = "/run/berth";
  std::vector<std::string> hosts;  // unix:///run/berth/berth.sock, tcp://0.0.0.0:2376
  std::string group = "berth";     // owner group of the unix socket when it exists
  bool tls = false;
  bool tls_verify = false;
  std::string tls_ca_cert;
  std::string tls_cert;
  std::string tls_key;
  bool debug = false;
  std::string log_level = "info";
  std::vector<std::string> insecure_registries;
  std::vector<std::string> registry_mirrors;
  int max_concurrent_downloads = 3;
  int max_concurrent_uploads = 5;
  std::string log_driver = "json-file";
  std::map<std::string, std::string> log_opts;
  std::string bip;  // the default bridge's address, e.g. 172.17.0.1/16
  // The default bridge network's interface ("bridge" in daemon.json, -b); Berth's own name,
  // so it never collides with a dockerd's docker0 on the same host.
  std::string bridge = "berth0";
  // The nftables tables (ip and ip6) holding Berth's rules. Two daemons on one host (tests)
  // need different ones: each reconciles its tables to exactly what it knows.
  std::string firewall_table = "berth";
  Json default_address_pools = Json::array();
  std::vector<std::string> dns;
  std::vector<std::string> dns_search;
  std::vector<std::string> dns_opts;
  std::string cgroup_parent = "/berth";
  std::string default_cgroupns_mode;  // "" = Docker's default for the host's cgroup version
  std::string default_shm_size = "64m";
  Json default_ulimits = Json::object();
  bool no_new_privileges = false;
  std::string seccomp_profile;  // path; "unconfined"
  bool icc = true;
  bool ip_forward = true;
  bool iptables = true;
  bool experimental = false;
  std::vector<std::string> labels;
  int shutdown_timeout = 15;
  std::string init_path;  // the --init binary; default: berth-init beside berthd
  std::string shim_path;  // berth-shim; default: beside berthd
  std::string config_file = "/etc/berth/daemon.json";

  std::string socket_path() const;  // the first unix host's path
  std::string runtime_root() const { return exec_root + "/runtime"; }
  std::string bundles_dir() const { return exec_root + "/containers"; }
  std::string containers_dir() const { return data_root + "/containers"; }
};

// Parses daemon.json text into `config` (only the keys present change). Unknown keys are an
// error, as with dockerd: "the following directives don't match any configuration option: x".
Status apply_daemon_json(const std::string& text, DaemonConfig& config);
// Reads config.config_file when it exists (a missing default file is fine).
Status load_daemon_config_file(DaemonConfig& config, bool file_given_explicitly);

}  // namespace berth::daemon
