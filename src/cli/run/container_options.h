// docker's containerOptions (cli/command/container/opts.go): the flags `run` and `create` share,
// and their conversion into the /containers/create body — same fields, same defaults, same
// order as the docker CLI sends, so berthd sees identical requests from either.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "cli/flags/flag_set.h"
#include "cli/opts/network_attach.h"
#include "cli/opts/ulimit.h"
#include "client/host.h"

namespace berth::cli {

struct ContainerOptions {
  std::vector<std::string> attach, volumes, tmpfs, links, aliases, link_local_ips, env, labels,
      device_cgroup_rules, devices, publish, expose, dns, dns_search, dns_options, extra_hosts,
      volumes_from, env_file, cap_add, cap_drop, group_add, security_opt, storage_opt, labels_file,
      logging_opts;
  std::vector<OrderedJson> mounts;
  std::vector<OrderedJson> gpus;
  std::vector<OrderedJson> blkio_weight_device, device_read_bps, device_write_bps,
      device_read_iops, device_write_iops;
  std::map<std::string, Ulimit> ulimits;
  std::map<std::string, std::string> sysctls, annotations;
  std::vector<NetworkAttachment> networks;

  bool privileged = false, publish_all = false, stdin_open = false, tty = false,
       oom_kill_disable = false, read_only = false, no_healthcheck = false, auto_remove = false,
       init = false;
  std::string pid_mode, uts_mode, userns_mode, cgroupns_mode, container_id_file, entrypoint,
      hostname, domainname, user, working_dir, cpuset_cpus, cpuset_mems, mac_address, ipv4, ipv6,
      ipc_mode, restart_policy, logging_driver, cgroup_parent, volume_driver, stop_signal,
      isolation, health_cmd, runtime;
  int64_t oom_score_adj = 0, memory = 0, memory_reservation = 0, memory_swap = 0,
          kernel_memory = 0, cpu_count = 0, cpu_shares = 0, cpu_percent = 0, cpu_period = 0,
          cpu_rt_period = 0, cpu_rt_runtime = 0, cpu_quota = 0, nano_cpus = 0, blkio_weight = 0,
          io_max_bandwidth = 0, io_max_iops = 0, swappiness = -1, pids_limit = 0,
          stop_timeout = 0, shm_size = 0, health_interval = 0, health_timeout = 0,
          health_start_period = 0, health_start_interval = 0, health_retries = 0;

  std::string image;
  std::vector<std::string> args;
};

// Registers the shared flags on `flags`, bound to `o` (docker's addFlags).
void add_container_flags(FlagSet& flags, ContainerOptions& o, const client::EnvLookup& env);

struct ContainerConfig {
  OrderedJson config;             // container.Config, without HostConfig
  OrderedJson host_config;        // container.HostConfig
  OrderedJson networking_config;  // network.NetworkingConfig
  bool attach_stdin = false;
  bool attach_stdout = false;
  bool attach_stderr = false;
};

// docker's parse(): validation and conversion. `cwd` resolves relative bind sources;
// `env` answers -e NAME and --env-file lookups.
Result<ContainerConfig> parse_container_options(const FlagSet& flags, ContainerOptions& o,
                                                const client::EnvLookup& env,
                                                const std::string& cwd);

// The request body: Config's fields, then "HostConfig" and "NetworkingConfig", with the client
// side tweaks docker's ContainerCreate applies for API `version` (capabilities normalised,
// MacAddress and KernelMemory dropped).
OrderedJson create_request_body(const ContainerConfig& c, const std::string& api_version);

}  // namespace berth::cli
