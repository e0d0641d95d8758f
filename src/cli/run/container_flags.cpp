// docker's addFlags: the flags of `run` and `create`, with docker's names, types and usage texts.
#include "cli/format/units.h"
#include "cli/opts/mount.h"
#include "cli/opts/validators.h"
#include "cli/run/container_options.h"
#include "cli/run/device_opts.h"

namespace berth::cli {
namespace {

std::shared_ptr<FlagValue> bytes_value(int64_t* target, bool swap) {
  auto parser = [swap](std::string_view text) -> Result<int64_t> {
    if (swap && text == "-1") return int64_t{-1};
    return ram_in_bytes(text);
  };
  auto printer = [](int64_t v) { return v != 0 ? bytes_size(static_cast<double>(v)) : "0"; };
  return std::make_shared<ParsedIntValue>(target, "bytes", parser, printer);
}

std::shared_ptr<FlagValue> json_list_value(std::vector<OrderedJson>* target, std::string type,
                                           std::function<Result<OrderedJson>(std::string_view)> fn,
                                           bool bracketed_default) {
  auto setter = [target, fn](std::string_view text) -> Status {
    target->push_back(TRY(fn(text)));
    return ok_status();
  };
  auto printer = [bracketed_default]() { return bracketed_default ? "[]" : ""; };
  return std::make_shared<CustomValue>(std::move(type), setter, printer);
}

}  // namespace

void add_container_flags(FlagSet& f, ContainerOptions& o, const client::EnvLookup& env) {
  // General purpose flags.
  f.add_list("attach", "a", &o.attach, "Attach to STDIN, STDOUT or STDERR", validate_attach);
  f.add_list("device-cgroup-rule", "", &o.device_cgroup_rules,
             "Add a rule to the cgroup allowed devices list", validate_device_cgroup_rule);
  f.add_list("device", "", &o.devices, "Add a host device to the container");
  f.add("gpus", "", "GPU devices to add to the container ('all' to pass all GPUs)",
        json_list_value(&o.gpus, "gpu-request", parse_gpu_request, false));
  f.add_list("env", "e", &o.env, "Set environment variables",
             [env](std::string_view v) { return validate_env(v, env); });
  f.add_list("env-file", "", &o.env_file, "Read in a file of environment variables");
  f.add_string("entrypoint", "", &o.entrypoint, "", "Overwrite the default ENTRYPOINT of the image");
  f.add_list("group-add", "", &o.group_add, "Add additional groups to join");
  f.add_string("hostname", "h", &o.hostname, "", "Container host name");
  f.add_string("domainname", "", &o.domainname, "", "Container NIS domain name");
  f.add_bool("interactive", "i", &o.stdin_open, false, "Keep STDIN open even if not attached");
  f.add_list("label", "l", &o.labels, "Set meta data on a container", validate_label);
  f.add_list("label-file", "", &o.labels_file, "Read in a line delimited file of labels");
  f.add_bool("read-only", "", &o.read_only, false,
             "Mount the container's root filesystem as read only");
  f.add_string("restart", "", &o.restart_policy, "no",
               "Restart policy to apply when a container exits");
  f.add_string("stop-signal", "", &o.stop_signal, "", "Signal to stop the container");
  f.add_int("stop-timeout", "", &o.stop_timeout, 0, "Timeout (in seconds) to stop a container");
  f.add_map("sysctl", "", &o.sysctls, "Sysctl options", validate_sysctl);
  f.add_bool("tty", "t", &o.tty, false, "Allocate a pseudo-TTY");
  f.add("ulimit", "", "Ulimit options",
        std::make_shared<CustomValue>(
            "ulimit",
            [&o](std::string_view v) -> Status {
              Ulimit u = TRY(parse_ulimit(v));
              o.ulimits[u.name] = u;
              return ok_status();
            },
            [&o]() {
              std::string out = "[";
              bool first = true;
              for (const auto& [name, u] : o.ulimits) {
                if (!first) out += " ";
                first = false;
                out += ulimit_string(u);
              }
              return out + "]";
            }));
  f.add_string("user", "u", &o.user, "", "Username or UID (format: <name|uid>[:<group|gid>])");
  f.add_string("workdir", "w", &o.working_dir, "", "Working directory inside the container");
  f.add_bool("rm", "", &o.auto_remove, false,
             "Automatically remove the container and its associated anonymous volumes when it "
             "exits");

  // Security.
  f.add_list("cap-add", "", &o.cap_add, "Add Linux capabilities");
  f.add_list("cap-drop", "", &o.cap_drop, "Drop Linux capabilities");
  f.add_bool("privileged", "", &o.privileged, false, "Give extended privileges to this container");
  f.add_list("security-opt", "", &o.security_opt, "Security Options");
  f.add_string("userns", "", &o.userns_mode, "", "User namespace to use");
  f.add_string("cgroupns", "", &o.cgroupns_mode, "",
               "Cgroup namespace to use (host|private)\n"
               "'host':    Run the container in the Docker host's cgroup namespace\n"
               "'private': Run the container in its own private cgroup namespace\n"
               "'':        Use the cgroup namespace as configured by the\n"
               "           default-cgroupns-mode option on the daemon (default)");

  // Network and port publishing.
  f.add_list("add-host", "", &o.extra_hosts, "Add a custom host-to-IP mapping (host:ip)",
             validate_extra_host);
  f.add_list("dns", "", &o.dns, "Set custom DNS servers", validate_ip_address);
  f.add_list("dns-option", "", &o.dns_options, "Set DNS options");
  f.alias("dns-opt", "dns-option").usage = "Set DNS options";
  f.add_list("dns-search", "", &o.dns_search, "Set custom DNS search domains",
             validate_dns_search);
  f.add_list("expose", "", &o.expose, "Expose a port or a range of ports");
  f.add_string("ip", "", &o.ipv4, "", "IPv4 address (e.g., 172.30.100.104)");
  f.add_string("ip6", "", &o.ipv6, "", "IPv6 address (e.g., 2001:db8::33)");
  f.add_list("link", "", &o.links, "Add link to another container", validate_link);
  f.add_list("link-local-ip", "", &o.link_local_ips, "Container IPv4/IPv6 link-local addresses");
  f.add_string("mac-address", "", &o.mac_address, "",
               "Container MAC address (e.g., 92:d0:c6:0a:29:33)");
  f.add_list("publish", "p", &o.publish, "Publish a container's port(s) to the host");
  f.add_bool("publish-all", "P", &o.publish_all, false,
             "Publish all exposed ports to random ports");
  f.add("network", "", "Connect a container to a network",
        std::make_shared<CustomValue>(
            "network",
            [&o](std::string_view v) -> Status {
              o.networks.push_back(TRY(parse_network_attachment(v)));
              return ok_status();
            },
            nullptr));
  f.alias("net", "network");
  f.add_list("network-alias", "", &o.aliases, "Add network-scoped alias for the container");
  f.alias("net-alias", "network-alias");

  // Logging and storage.
  f.add_string("log-driver", "", &o.logging_driver, "", "Logging driver for the container");
  f.add_string("volume-driver", "", &o.volume_driver, "",
               "Optional volume driver for the container");
  f.add_list("log-opt", "", &o.logging_opts, "Log driver options");
  f.add_list("storage-opt", "", &o.storage_opt, "Storage driver options for the container");
  f.add_list("tmpfs", "", &o.tmpfs, "Mount a tmpfs directory");
  f.add_list("volumes-from", "", &o.volumes_from, "Mount volumes from the specified container(s)");
  f.add_list("volume", "v", &o.volumes, "Bind mount a volume");
  f.add("mount", "", "Attach a filesystem mount to the container",
        json_list_value(
            &o.mounts, "mount",
            [](std::string_view v) { return parse_mount(v, ""); },
            false));

  // Health-checking.
  f.add_string("health-cmd", "", &o.health_cmd, "", "Command to run to check health");
  f.add_duration("health-interval", "", &o.health_interval, 0,
                 "Time between running the check (ms|s|m|h) (default 0s)");
  f.add_int("health-retries", "", &o.health_retries, 0,
            "Consecutive failures needed to report unhealthy");
  f.add_duration("health-timeout", "", &o.health_timeout, 0,
                 "Maximum time to allow one check to run (ms|s|m|h) (default 0s)");
  f.add_duration("health-start-period", "", &o.health_start_period, 0,
                 "Start period for the container to initialize before starting health-retries "
                 "countdown (ms|s|m|h) (default 0s)");
  f.add_duration("health-start-interval", "", &o.health_start_interval, 0,
                 "Time between running the check during the start period (ms|s|m|h) (default 0s)");
  f.add_bool("no-healthcheck", "", &o.no_healthcheck, false,
             "Disable any container-specified HEALTHCHECK");

  // Resource management.
  f.add_uint("blkio-weight", "", &o.blkio_weight, 0,
             "Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)",
             "uint16", 16);
  f.add("blkio-weight-device", "", "Block IO weight (relative device weight)",
        json_list_value(&o.blkio_weight_device, "list", parse_weight_device, true));
  f.add_string("cidfile", "", &o.container_id_file, "", "Write the container ID to the file");
  f.add_string("cpuset-cpus", "", &o.cpuset_cpus, "", "CPUs in which to allow execution (0-3, 0,1)");
  f.add_string("cpuset-mems", "", &o.cpuset_mems, "", "MEMs in which to allow execution (0-3, 0,1)");
  // Windows-only flags: docker hides them when the daemon is Linux, which berthd always is.
  f.add_int("cpu-count", "", &o.cpu_count, 0, "CPU count (Windows only)", "int64").hidden = true;
  f.add_int("cpu-percent", "", &o.cpu_percent, 0, "CPU percent (Windows only)", "int64").hidden =
      true;
  f.add_int("cpu-period", "", &o.cpu_period, 0,
            "Limit CPU CFS (Completely Fair Scheduler) period", "int64");
  f.add_int("cpu-quota", "", &o.cpu_quota, 0, "Limit CPU CFS (Completely Fair Scheduler) quota",
            "int64");
  f.add_int("cpu-rt-period", "", &o.cpu_rt_period, 0,
            "Limit CPU real-time period in microseconds", "int64");
  f.add_int("cpu-rt-runtime", "", &o.cpu_rt_runtime, 0,
            "Limit CPU real-time runtime in microseconds", "int64");
  f.add_int("cpu-shares", "c", &o.cpu_shares, 0, "CPU shares (relative weight)", "int64");
  f.add("cpus", "", "Number of CPUs",
        std::make_shared<ParsedIntValue>(&o.nano_cpus, "decimal", parse_cpus,
                                         [](int64_t v) { return v == 0 ? std::string() : cpus_string(v); }));
  f.add("device-read-bps", "", "Limit read rate (bytes per second) from a device",
        json_list_value(&o.device_read_bps, "list", parse_throttle_bps_device, true));
  f.add("device-read-iops", "", "Limit read rate (IO per second) from a device",
        json_list_value(&o.device_read_iops, "list", parse_throttle_iops_device, true));
  f.add("device-write-bps", "", "Limit write rate (bytes per second) to a device",
        json_list_value(&o.device_write_bps, "list", parse_throttle_bps_device, true));
  f.add("device-write-iops", "", "Limit write rate (IO per second) to a device",
        json_list_value(&o.device_write_iops, "list", parse_throttle_iops_device, true));
  f.add("io-maxbandwidth", "", "Maximum IO bandwidth limit for the system drive (Windows only)",
        bytes_value(&o.io_max_bandwidth, false))
      .hidden = true;
  f.add_uint("io-maxiops", "", &o.io_max_iops, 0,
             "Maximum IOps limit for the system drive (Windows only)", "uint64", 64)
      .hidden = true;
  f.add("kernel-memory", "", "Kernel memory limit", bytes_value(&o.kernel_memory, false));
  f.add("memory", "m", "Memory limit", bytes_value(&o.memory, false));
  f.add("memory-reservation", "", "Memory soft limit", bytes_value(&o.memory_reservation, false));
  f.add("memory-swap", "",
        "Swap limit equal to memory plus swap: '-1' to enable unlimited swap",
        bytes_value(&o.memory_swap, true));
  f.add_int("memory-swappiness", "", &o.swappiness, -1,
            "Tune container memory swappiness (0 to 100)", "int64");
  f.add_bool("oom-kill-disable", "", &o.oom_kill_disable, false, "Disable OOM Killer");
  f.add_int("oom-score-adj", "", &o.oom_score_adj, 0,
            "Tune host's OOM preferences (-1000 to 1000)");
  f.add_int("pids-limit", "", &o.pids_limit, 0,
            "Tune container pids limit (set -1 for unlimited)", "int64");

  // Low-level execution (cgroups, namespaces, ...).
  f.add_string("cgroup-parent", "", &o.cgroup_parent, "",
               "Optional parent cgroup for the container");
  f.add_string("ipc", "", &o.ipc_mode, "", "IPC mode to use");
  f.add_string("isolation", "", &o.isolation, "", "Container isolation technology");
  f.add_string("pid", "", &o.pid_mode, "", "PID namespace to use");
  f.add("shm-size", "", "Size of /dev/shm", bytes_value(&o.shm_size, false));
  f.add_string("uts", "", &o.uts_mode, "", "UTS namespace to use");
  f.add_string("runtime", "", &o.runtime, "", "Runtime to use for this container");
  f.add_bool("init", "", &o.init, false,
             "Run an init inside the container that forwards signals and reaps processes");
  f.add_map("annotation", "", &o.annotations,
            "Add an annotation to the container (passed through to the OCI runtime)");
}

}  // namespace berth::cli
