// docker's parse() (cli/command/container/opts.go): flags → Config, HostConfig and
// NetworkingConfig, in the order and with the null/empty conventions the docker CLI's Go
// structs produce.
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "base/strings.h"
#include "cli/opts/kvfile.h"
#include "cli/opts/mount.h"
#include "cli/opts/ports.h"
#include "cli/opts/validators.h"
#include "cli/opts/volume_spec.h"
#include "cli/run/container_options.h"
#include "cli/run/device_opts.h"
#include "http/api_version.h"

namespace berth::cli {
namespace {

Error invalid(std::string m) { return Error(ErrorCode::kInvalidArgument, std::move(m)); }

OrderedJson string_list_or_null(const std::vector<std::string>& v) {
  return v.empty() ? OrderedJson(nullptr) : OrderedJson(v);
}

OrderedJson string_map(const std::map<std::string, std::string>& m) {
  OrderedJson j = OrderedJson::object();
  for (const auto& [k, v] : m) j[k] = v;
  return j;
}

std::map<std::string, std::string> kv_map(const std::vector<std::string>& values) {
  std::map<std::string, std::string> out;
  for (const auto& v : values) {
    auto [k, val] = split_once(v, '=');
    out[std::string(k)] = std::string(val);
  }
  return out;
}

// container.PidMode/UTSMode/...Valid(): "host", "container:<id>" (where allowed) or "".
bool valid_mode(const std::string& mode, bool allow_container, bool allow_private = false) {
  if (mode.empty() || mode == "host") return true;
  if (allow_private && mode == "private") return true;
  if (allow_container && mode.starts_with("container:")) return mode.size() > 10;
  return false;
}

Result<std::string> read_seccomp_profile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return invalid(fmt::format("opening seccomp profile ({}) failed: open {}: no such file or directory",
                               path, path));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  auto parsed = parse_json(ss.str(), path);
  if (!parsed.ok()) {
    return invalid(fmt::format("compacting json for seccomp profile ({}) failed: {}", path,
                               parsed.error().message()));
  }
  // json.Compact keeps key order and number text; re-dumping an ordered parse is the same for
  // the profiles people write.
  return OrderedJson::parse(ss.str()).dump();
}

Result<std::vector<std::string>> parse_security_opts(const std::vector<std::string>& opts) {
  std::vector<std::string> out = opts;
  for (auto& opt : out) {
    bool ok = false;
    auto [k, v] = split_once(opt, '=', &ok);
    if (!ok && k != "no-new-privileges") std::tie(k, v) = split_once(opt, ':', &ok);
    if ((!ok || v.empty()) && k != "no-new-privileges") {
      return invalid(fmt::format("Invalid --security-opt: \"{}\"", opt));
    }
    if (k == "seccomp" && v != "builtin" && v != "unconfined") {
      opt = "seccomp=" + TRY(read_seccomp_profile(std::string(v)));
    }
  }
  return out;
}

OrderedJson endpoint_settings(const NetworkAttachment& n) {
  OrderedJson ep = OrderedJson::object();
  if (!n.ipv4.empty() || !n.ipv6.empty() || !n.link_local_ips.empty()) {
    OrderedJson ipam = OrderedJson::object();
    if (!n.ipv4.empty()) ipam["IPv4Address"] = n.ipv4;
    if (!n.ipv6.empty()) ipam["IPv6Address"] = n.ipv6;
    if (!n.link_local_ips.empty()) ipam["LinkLocalIPs"] = n.link_local_ips;
    ep["IPAMConfig"] = ipam;
  } else {
    ep["IPAMConfig"] = nullptr;
  }
  ep["Links"] = string_list_or_null(n.links);
  ep["Aliases"] = string_list_or_null(n.aliases);
  ep["MacAddress"] = n.mac_address;
  ep["DriverOpts"] = n.driver_opts.empty() ? OrderedJson(nullptr) : string_map(n.driver_opts);
  ep["GwPriority"] = n.gw_priority;
  ep["NetworkID"] = "";
  ep["EndpointID"] = "";
  ep["Gateway"] = "";
  ep["IPAddress"] = "";
  ep["IPPrefixLen"] = 0;
  ep["IPv6Gateway"] = "";
  ep["GlobalIPv6Address"] = "";
  ep["GlobalIPv6PrefixLen"] = 0;
  ep["DNSNames"] = nullptr;
  return ep;
}

bool endpoint_is_zero(const NetworkAttachment& n) {
  return n.ipv4.empty() && n.ipv6.empty() && n.link_local_ips.empty() && n.links.empty() &&
         n.aliases.empty() && n.mac_address.empty() && n.driver_opts.empty() && n.gw_priority == 0;
}

// applyContainerOptions: the old single-network flags apply to the first network.
Status apply_container_options(NetworkAttachment& n, const ContainerOptions& o) {
  if (!n.aliases.empty() && !o.aliases.empty()) {
    return invalid("conflicting options: cannot specify both --network-alias and per-network alias");
  }
  if (!n.links.empty() && !o.links.empty()) {
    return invalid("conflicting options: cannot specify both --link and per-network links");
  }
  if (!n.ipv4.empty() && !o.ipv4.empty()) {
    return invalid("conflicting options: cannot specify both --ip and per-network IPv4 address");
  }
  if (!n.ipv6.empty() && !o.ipv6.empty()) {
    return invalid("conflicting options: cannot specify both --ip6 and per-network IPv6 address");
  }
  if (!n.mac_address.empty() && !o.mac_address.empty()) {
    return invalid(
        "conflicting options: cannot specify both --mac-address and per-network MAC address");
  }
  if (!n.link_local_ips.empty() && !o.link_local_ips.empty()) {
    return invalid(
        "conflicting options: cannot specify both --link-local-ip and per-network link-local IP "
        "addresses");
  }
  if (!o.aliases.empty()) n.aliases = o.aliases;
  if (is_user_defined_network(n.target) && !o.links.empty()) n.links = o.links;
  if (!o.ipv4.empty()) n.ipv4 = o.ipv4;
  if (!o.ipv6.empty()) n.ipv6 = o.ipv6;
  if (!o.mac_address.empty()) n.mac_address = o.mac_address;
  if (!o.link_local_ips.empty()) n.link_local_ips = o.link_local_ips;
  return ok_status();
}

Status check_attachment(const NetworkAttachment& n) {
  if (trim(n.target).empty()) return invalid("no name set for network");
  if (!is_user_defined_network(n.target)) {
    if (!n.aliases.empty()) {
      return invalid("network-scoped aliases are only supported for user-defined networks");
    }
    if (!n.links.empty()) return invalid("links are only supported for user-defined networks");
  }
  if (!n.mac_address.empty() && !validate_mac_address(n.mac_address).ok()) {
    return invalid(fmt::format("{} is not a valid mac address", n.mac_address));
  }
  return ok_status();
}

Result<OrderedJson> parse_network_opts(const ContainerOptions& o) {
  OrderedJson endpoints = OrderedJson::object();
  std::map<std::string, OrderedJson> sorted;  // Go marshals the map sorted by name
  bool user_defined = false;
  bool non_user_defined = false;
  if (o.networks.empty()) {
    NetworkAttachment n;
    n.target = "default";
    TRY(apply_container_options(n, o));
    TRY(check_attachment(n));
    sorted["default"] = endpoint_settings(n);
  }
  for (size_t i = 0; i < o.networks.size(); ++i) {
    NetworkAttachment n = o.networks[i];
    (is_user_defined_network(n.target) ? user_defined : non_user_defined) = true;
    if (i == 0) TRY(apply_container_options(n, o));
    TRY(check_attachment(n));
    if (sorted.count(n.target)) {
      return invalid(fmt::format("network \"{}\" is specified multiple times", n.target));
    }
    if (i == 0 && o.networks.size() == 1 && endpoint_is_zero(n)) continue;
    sorted[n.target] = endpoint_settings(n);
  }
  if (user_defined && non_user_defined) {
    return invalid(
        "conflicting options: cannot attach both user-defined and non-user-defined network-modes");
  }
  for (auto& [k, v] : sorted) endpoints[k] = std::move(v);
  return endpoints;
}

// Env as docker's run/create leave it: the -e values go through a map (ParseProxyConfig), so a
// name given twice appears once with its last value.
std::vector<std::string> dedupe_env(const std::vector<std::string>& env) {
  std::vector<std::string> out;
  std::map<std::string, size_t> index;
  for (const auto& e : env) {
    std::string key(split_once(e, '=').first);
    if (auto it = index.find(key); it != index.end()) {
      out[it->second] = e;
    } else {
      index[key] = out.size();
      out.push_back(e);
    }
  }
  return out;
}

}  // namespace

Result<ContainerConfig> parse_container_options(const FlagSet& flags, ContainerOptions& o,
                                                const client::EnvLookup& env,
                                                const std::string& cwd) {
  ContainerConfig out;
  auto has_attach = [&](const char* s) {
    return std::find(o.attach.begin(), o.attach.end(), s) != o.attach.end();
  };
  bool attach_stdin = has_attach("stdin");
  bool attach_stdout = has_attach("stdout");
  bool attach_stderr = has_attach("stderr");

  if (!o.mac_address.empty() && !validate_mac_address(o.mac_address).ok()) {
    return invalid(fmt::format("{} is not a valid mac address", o.mac_address));
  }
  if (o.stdin_open) attach_stdin = true;
  if (o.attach.empty()) {
    attach_stdout = true;
    attach_stderr = true;
  }
  if (o.swappiness != -1 && (o.swappiness < 0 || o.swappiness > 100)) {
    return invalid(fmt::format("invalid value: {}. Valid memory swappiness range is 0-100",
                               o.swappiness));
  }

  // -v: bind mounts go to Binds, the rest stay anonymous/named volumes in Config.Volumes.
  // docker walks a map here (random order); the order given on the command line is kept.
  std::vector<std::string> binds;
  std::set<std::string> volumes(o.volumes.begin(), o.volumes.end());
  std::set<std::string> seen_volumes;
  for (const auto& bind : o.volumes) {
    if (!seen_volumes.insert(bind).second) continue;
    VolumeSpec parsed = TRY(parse_volume_spec(bind));
    if (parsed.source.empty()) continue;
    std::string to_bind = bind;
    if (parsed.type == "bind") {
      bool has_target = false;
      auto [host, target] = split_once(bind, ':', &has_target);
      if (has_target) {
        std::string host_part(host);
        if (!host_part.empty() && host_part[0] != '/' && host_part[0] == '.') {
          host_part = absolute_path(host_part, cwd);
        }
        to_bind = host_part + ":" + std::string(target);
      }
    }
    binds.push_back(to_bind);
    volumes.erase(bind);
  }

  std::map<std::string, std::string> tmpfs;
  for (const auto& t : o.tmpfs) {
    auto [k, v] = split_once(t, ':');
    tmpfs[std::string(k)] = std::string(v);
  }

  OrderedJson entrypoint = nullptr;
  if (!o.entrypoint.empty()) {
    entrypoint = OrderedJson::array({o.entrypoint});
  } else if (flags.changed("entrypoint")) {
    entrypoint = OrderedJson::array({""});
  }

  PortSpecs ports = TRY(parse_port_specs(o.publish));
  TRY(add_exposed_ports(ports, o.expose));

  OrderedJson devices = OrderedJson::array();
  std::vector<std::string> cdi_devices;
  for (const auto& d : o.devices) {
    if (is_cdi_device_name(d)) {
      cdi_devices.push_back(d);
      continue;
    }
    devices.push_back(TRY(parse_linux_device(d)));
  }

  std::vector<std::string> env_vars =
      dedupe_env(TRY(read_kv_strings(o.env_file, o.env, &env)));
  std::vector<std::string> labels = TRY(read_kv_strings(o.labels_file, o.labels, nullptr));

  if (!valid_mode(o.pid_mode, true)) return invalid("--pid: invalid PID mode");
  if (!valid_mode(o.uts_mode, false)) return invalid("--uts: invalid UTS mode");
  if (!valid_mode(o.userns_mode, false, true)) return invalid("--userns: invalid USER mode");
  if (!(o.cgroupns_mode.empty() || o.cgroupns_mode == "host" || o.cgroupns_mode == "private")) {
    return invalid("--cgroupns: invalid CGROUP mode");
  }

  // opts.ParseRestartPolicy.
  std::string restart_name;
  int64_t restart_count = 0;
  if (!o.restart_policy.empty()) {
    bool ok = false;
    auto [k, v] = split_once(o.restart_policy, ':', &ok);
    if (ok && k.empty()) {
      return invalid("invalid restart policy format: no policy provided before colon");
    }
    if (!v.empty()) {
      auto count = parse_int64(v);
      if (!count.ok()) {
        return invalid("invalid restart policy format: maximum retry count must be an integer");
      }
      restart_count = *count;
    }
    restart_name = std::string(k);
  }

  if (o.logging_driver == "none" && !o.logging_opts.empty()) {
    return invalid(fmt::format("invalid logging opts for driver {}", o.logging_driver));
  }
  std::map<std::string, std::string> log_opts = kv_map(o.logging_opts);

  std::vector<std::string> security = TRY(parse_security_opts(o.security_opt));
  OrderedJson masked_paths = nullptr;
  OrderedJson readonly_paths = nullptr;
  {
    std::vector<std::string> filtered;
    for (const auto& opt : security) {
      if (opt == "systempaths=unconfined") {
        masked_paths = OrderedJson::array();
        readonly_paths = OrderedJson::array();
      } else {
        filtered.push_back(opt);
      }
    }
    security = filtered;
  }

  std::map<std::string, std::string> storage_opts;
  for (const auto& opt : o.storage_opt) {
    bool ok = false;
    auto [k, v] = split_once(opt, '=', &ok);
    if (!ok) return invalid("invalid storage option");
    storage_opts[std::string(k)] = std::string(v);
  }

  OrderedJson healthcheck = nullptr;
  bool have_health = !o.health_cmd.empty() || o.health_interval != 0 || o.health_timeout != 0 ||
                     o.health_start_period != 0 || o.health_retries != 0 ||
                     o.health_start_interval != 0;
  if (o.no_healthcheck) {
    if (have_health) return invalid("--no-healthcheck conflicts with --health-* options");
    healthcheck = OrderedJson::object({{"Test", OrderedJson::array({"NONE"})}});
  } else if (have_health) {
    if (o.health_interval < 0) return invalid("--health-interval cannot be negative");
    if (o.health_timeout < 0) return invalid("--health-timeout cannot be negative");
    if (o.health_retries < 0) return invalid("--health-retries cannot be negative");
    if (o.health_start_period < 0) return invalid("--health-start-period cannot be negative");
    if (o.health_start_interval < 0) return invalid("--health-start-interval cannot be negative");
    healthcheck = OrderedJson::object();
    if (!o.health_cmd.empty()) healthcheck["Test"] = OrderedJson::array({"CMD-SHELL", o.health_cmd});
    if (o.health_interval != 0) healthcheck["Interval"] = o.health_interval;
    if (o.health_timeout != 0) healthcheck["Timeout"] = o.health_timeout;
    if (o.health_start_period != 0) healthcheck["StartPeriod"] = o.health_start_period;
    if (o.health_start_interval != 0) healthcheck["StartInterval"] = o.health_start_interval;
    if (o.health_retries != 0) healthcheck["Retries"] = o.health_retries;
  }

  OrderedJson device_requests = nullptr;
  if (!o.gpus.empty() || !cdi_devices.empty()) {
    device_requests = OrderedJson::array();
    for (const auto& g : o.gpus) device_requests.push_back(g);
    if (!cdi_devices.empty()) {
      OrderedJson cdi = OrderedJson::object();
      cdi["Driver"] = "cdi";
      cdi["Count"] = 0;
      cdi["DeviceIDs"] = cdi_devices;
      cdi["Capabilities"] = nullptr;
      cdi["Options"] = nullptr;
      device_requests.push_back(cdi);
    }
  }

  Result<OrderedJson> endpoints = parse_network_opts(o);
  std::string main_mac = o.mac_address;
  if (endpoints.ok()) {
    auto it = endpoints->find(network_mode(o.networks));
    main_mac = it != endpoints->end() ? it->at("MacAddress").get<std::string>() : o.mac_address;
  }

  // container.Config.
  OrderedJson& c = out.config;
  c = OrderedJson::object();
  c["Hostname"] = o.hostname;
  c["Domainname"] = o.domainname;
  c["User"] = o.user;
  c["AttachStdin"] = attach_stdin;
  c["AttachStdout"] = attach_stdout;
  c["AttachStderr"] = attach_stderr;
  if (!ports.exposed.empty()) {
    OrderedJson exposed = OrderedJson::object();
    for (const auto& p : ports.exposed) exposed[p] = OrderedJson::object();
    c["ExposedPorts"] = exposed;
  }
  c["Tty"] = o.tty;
  c["OpenStdin"] = o.stdin_open;
  c["StdinOnce"] = o.stdin_open && attach_stdin;
  c["Env"] = string_list_or_null(env_vars);
  c["Cmd"] = string_list_or_null(o.args);
  if (!healthcheck.is_null()) c["Healthcheck"] = healthcheck;
  c["Image"] = o.image;
  OrderedJson vols = OrderedJson::object();
  for (const auto& v : volumes) vols[v] = OrderedJson::object();
  c["Volumes"] = vols;
  c["WorkingDir"] = o.working_dir;
  c["Entrypoint"] = entrypoint;
  // The first network's MAC, for daemons older than API 1.44 (create_request_body drops it).
  if (!main_mac.empty()) c["MacAddress"] = main_mac;
  c["OnBuild"] = nullptr;
  c["Labels"] = string_map(kv_map(labels));
  if (!o.stop_signal.empty()) c["StopSignal"] = o.stop_signal;
  if (flags.changed("stop-timeout")) c["StopTimeout"] = o.stop_timeout;

  // container.HostConfig.
  OrderedJson& h = out.host_config;
  h = OrderedJson::object();
  h["Binds"] = string_list_or_null(binds);
  h["ContainerIDFile"] = o.container_id_file;
  h["LogConfig"] = OrderedJson::object({{"Type", o.logging_driver}, {"Config", string_map(log_opts)}});
  h["NetworkMode"] = network_mode(o.networks);
  OrderedJson bindings = OrderedJson::object();
  for (const auto& [port, list] : ports.bindings) {
    OrderedJson arr = OrderedJson::array();
    for (const auto& b : list) {
      arr.push_back(OrderedJson::object({{"HostIp", b.host_ip}, {"HostPort", b.host_port}}));
    }
    bindings[port] = arr;
  }
  h["PortBindings"] = bindings;
  h["RestartPolicy"] =
      OrderedJson::object({{"Name", restart_name}, {"MaximumRetryCount", restart_count}});
  h["AutoRemove"] = o.auto_remove;
  h["VolumeDriver"] = o.volume_driver;
  h["VolumesFrom"] = string_list_or_null(o.volumes_from);
  h["ConsoleSize"] = OrderedJson::array({0, 0});
  if (!o.annotations.empty()) h["Annotations"] = string_map(o.annotations);
  h["CapAdd"] = string_list_or_null(o.cap_add);
  h["CapDrop"] = string_list_or_null(o.cap_drop);
  h["CgroupnsMode"] = o.cgroupns_mode;
  h["Dns"] = o.dns;
  h["DnsOptions"] = o.dns_options;
  h["DnsSearch"] = o.dns_search;
  h["ExtraHosts"] = string_list_or_null(o.extra_hosts);
  h["GroupAdd"] = string_list_or_null(o.group_add);
  h["IpcMode"] = o.ipc_mode;
  h["Cgroup"] = "";
  h["Links"] = string_list_or_null(o.links);
  h["OomScoreAdj"] = o.oom_score_adj;
  h["PidMode"] = o.pid_mode;
  h["Privileged"] = o.privileged;
  h["PublishAllPorts"] = o.publish_all;
  h["ReadonlyRootfs"] = o.read_only;
  // Go filters the list in place: a non-empty input leaves a non-nil (maybe empty) slice.
  h["SecurityOpt"] = o.security_opt.empty() ? OrderedJson(nullptr) : OrderedJson(security);
  if (!storage_opts.empty()) h["StorageOpt"] = string_map(storage_opts);
  if (!tmpfs.empty()) h["Tmpfs"] = string_map(tmpfs);
  h["UTSMode"] = o.uts_mode;
  h["UsernsMode"] = o.userns_mode;
  h["ShmSize"] = o.shm_size;
  if (!o.sysctls.empty()) h["Sysctls"] = string_map(o.sysctls);
  if (!o.runtime.empty()) h["Runtime"] = o.runtime;
  h["Isolation"] = o.isolation;
  // Resources, embedded in HostConfig.
  h["CpuShares"] = o.cpu_shares;
  h["Memory"] = o.memory;
  h["NanoCpus"] = o.nano_cpus;
  h["CgroupParent"] = o.cgroup_parent;
  h["BlkioWeight"] = o.blkio_weight;
  h["BlkioWeightDevice"] = o.blkio_weight_device;
  h["BlkioDeviceReadBps"] = o.device_read_bps;
  h["BlkioDeviceWriteBps"] = o.device_write_bps;
  h["BlkioDeviceReadIOps"] = o.device_read_iops;
  h["BlkioDeviceWriteIOps"] = o.device_write_iops;
  for (const char* k : {"BlkioWeightDevice", "BlkioDeviceReadBps", "BlkioDeviceWriteBps",
                        "BlkioDeviceReadIOps", "BlkioDeviceWriteIOps"}) {
    if (h[k].is_null()) h[k] = OrderedJson::array();
  }
  h["CpuPeriod"] = o.cpu_period;
  h["CpuQuota"] = o.cpu_quota;
  h["CpuRealtimePeriod"] = o.cpu_rt_period;
  h["CpuRealtimeRuntime"] = o.cpu_rt_runtime;
  h["CpusetCpus"] = o.cpuset_cpus;
  h["CpusetMems"] = o.cpuset_mems;
  h["Devices"] = devices;
  h["DeviceCgroupRules"] = string_list_or_null(o.device_cgroup_rules);
  h["DeviceRequests"] = device_requests;
  if (o.kernel_memory != 0) h["KernelMemory"] = o.kernel_memory;
  h["MemoryReservation"] = o.memory_reservation;
  h["MemorySwap"] = o.memory_swap;
  h["MemorySwappiness"] = o.swappiness;
  h["OomKillDisable"] = o.oom_kill_disable;
  h["PidsLimit"] = o.pids_limit;
  OrderedJson ulimits = OrderedJson::array();
  for (const auto& [name, u] : o.ulimits) {
    ulimits.push_back(OrderedJson::object({{"Name", u.name}, {"Hard", u.hard}, {"Soft", u.soft}}));
  }
  h["Ulimits"] = ulimits;
  h["CpuCount"] = o.cpu_count;
  h["CpuPercent"] = o.cpu_percent;
  h["IOMaximumIOps"] = o.io_max_iops;
  h["IOMaximumBandwidth"] = o.io_max_bandwidth;
  if (!o.mounts.empty()) h["Mounts"] = o.mounts;
  h["MaskedPaths"] = masked_paths;
  h["ReadonlyPaths"] = readonly_paths;
  if (flags.changed("init")) h["Init"] = o.init;

  if (o.auto_remove && !(restart_name.empty() || restart_name == "no")) {
    return invalid("conflicting options: cannot specify both --restart and --rm");
  }

  if (!endpoints.ok()) return std::move(endpoints).error();
  out.networking_config = OrderedJson::object({{"EndpointsConfig", *endpoints}});
  out.attach_stdin = attach_stdin;
  out.attach_stdout = attach_stdout;
  out.attach_stderr = attach_stderr;
  return out;
}

OrderedJson create_request_body(const ContainerConfig& cc, const std::string& api_version) {
  OrderedJson config = cc.config;
  OrderedJson host = cc.host_config;
  auto normalize = [](const OrderedJson& caps) {
    if (caps.is_null()) return caps;
    std::set<std::string> unique;
    for (const auto& c : caps) unique.insert(normalize_capability(c.get<std::string>()));
    return OrderedJson(std::vector<std::string>(unique.begin(), unique.end()));
  };
  host["CapAdd"] = normalize(host["CapAdd"]);
  host["CapDrop"] = normalize(host["CapDrop"]);
  if (http::compare_api_versions(api_version, "1.42") >= 0) host.erase("KernelMemory");
  if (http::compare_api_versions(api_version, "1.44") >= 0) config.erase("MacAddress");
  config["HostConfig"] = host;
  config["NetworkingConfig"] = cc.networking_config;
  return config;
}

}  // namespace berth::cli
