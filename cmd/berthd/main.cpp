// berthd: the Berth engine, serving the Docker Engine API (docs/engine.md).
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>

#include "api/api_context.h"
#include "base/file_util.h"
#include "base/log.h"
#include "base/strings.h"
#include "base/time_format.h"
#include "cgroups/layout.h"
#include "cspec/host_info.h"
#include "daemon/container_service.h"
#include "daemon/exec_service.h"
#include "daemon/health_monitor.h"
#include "daemon/names.h"
#include "daemon/network_service.h"
#include "daemon/volume_service.h"
#include "http/server.h"
#include "image/image_service.h"
#include "state/database.h"

namespace {

using namespace berth;

std::string self_dir() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return ".";
  buf[n] = '\0';
  return dirname(buf);
}

Result<std::string> daemon_id(const std::string& data_root) {
  std::string path = data_root + "/engine-id";
  auto existing = read_file(path);
  if (existing.ok() && !trim(*existing).empty()) return std::string(trim(*existing));
  std::string id = daemon::generate_id();
  std::string uuid = id.substr(0, 8) + "-" + id.substr(8, 4) + "-" + id.substr(12, 4) + "-" +
                     id.substr(16, 4) + "-" + id.substr(20, 12);
  TRY(write_file_atomic(path, uuid, 0600));
  return uuid;
}

// One berthd per exec root: an flock on the pid file.
Result<UniqueFd> claim_pid_file(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (!fd) return errno_error("open " + path);
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    auto pid = read_file(path);
    return make_error(ErrorCode::kAlreadyExists,
                      "berthd is already running (pid {}); its pid file is {}",
                      pid.ok() ? std::string(trim(*pid)) : "?", path);
  }
  std::string text = std::to_string(::getpid()) + "\n";
  (void)!::ftruncate(fd.get(), 0);
  (void)!::pwrite(fd.get(), text.data(), text.size(), 0);
  return fd;
}

Result<std::vector<http::TcpSocketSpec>> tcp_specs(const daemon::DaemonConfig& config,
                                                  std::vector<http::UnixSocketSpec>* unix_sockets) {
  std::vector<http::TcpSocketSpec> tcp;
  for (const auto& host : config.hosts) {
    if (host.rfind("unix://", 0) == 0) {
      unix_sockets->push_back({host.substr(7), 0660, config.group});
      continue;
    }
    if (host.rfind("tcp://", 0) != 0 && host.rfind("fd://", 0) != 0)
      return make_error(ErrorCode::kInvalidArgument, "invalid host: {}", host);
    if (host.rfind("fd://", 0) == 0) return Error(ErrorCode::kUnimplemented, "fd:// hosts are not supported");
    std::string rest = host.substr(6);
    auto colon = rest.rfind(':');
    http::TcpSocketSpec spec;
    spec.host = colon == std::string::npos ? rest : rest.substr(0, colon);
    if (spec.host.empty()) spec.host = "0.0.0.0";
    spec.port = colon == std::string::npos ? (config.tls || config.tls_verify ? 2376 : 2375)
                                           : static_cast<uint16_t>(TRY(parse_int(rest.substr(colon + 1))));
    if (config.tls || config.tls_verify) {
      http::TlsServerConfig tls;
      tls.cert_file = config.tls_cert;
      tls.key_file = config.tls_key;
      tls.ca_file = config.tls_ca_cert;
      tls.verify_client = config.tls_verify;
      spec.tls = tls;
    }
    tcp.push_back(spec);
  }
  return tcp;
}

std::atomic<int> g_signal{0};

int run(daemon::DaemonConfig& config) {
  log::set_program("berthd");
  log::set_level(config.debug || config.log_level == "debug" ? log::Level::kDebug
                 : config.log_level == "warn"                 ? log::Level::kWarn
                 : config.log_level == "error"                ? log::Level::kError
                                                              : log::Level::kInfo);
  auto fail = [](const Error& e) {
    log::error("{}", e.to_string());
    std::cerr << "berthd: " << e.to_string() << std::endl;
    return 1;
  };
  if (config.hosts.empty()) config.hosts.push_back("unix://" + config.exec_root + "/berth.sock");
  for (const auto& dir : {config.data_root, config.exec_root, config.runtime_root(),
                          config.bundles_dir(), config.containers_dir()}) {
    if (auto st = make_dirs(dir, 0711); !st.ok()) return fail(st.error());
  }
  auto pid_file = claim_pid_file(config.exec_root + "/berthd.pid");
  if (!pid_file.ok()) return fail(pid_file.error());
  std::string bin = self_dir();
  if (config.shim_path.empty()) config.shim_path = bin + "/berth-shim";
  if (config.init_path.empty()) config.init_path = bin + "/berth-init";

  auto db = state::Database::open(config.data_root + "/berth.db");
  if (!db.ok()) return fail(db.error());
  auto host = cspec::detect_host_info();
  if (!host.ok()) return fail(host.error());
  host->daemon.cgroup_parent = config.cgroup_parent;
  host->daemon.data_root = config.data_root;
  host->daemon.no_new_privileges = config.no_new_privileges;
  if (!config.default_cgroupns_mode.empty()) host->daemon.cgroupns_mode = config.default_cgroupns_mode;
  if (auto shm = parse_ram_bytes(config.default_shm_size); shm.ok()) host->daemon.shm_size = *shm;

  daemon::ContainerService* service_ptr = nullptr;
  image::ImageServiceOptions image_options;
  image_options.root = config.data_root;
  image_options.database = db->get();
  image_options.layer_users = [&service_ptr]() {
    return service_ptr ? service_ptr->layer_users() : std::set<store::Digest>{};
  };
  image_options.image_users = [&service_ptr](const store::Digest& id) {
    std::vector<image::ContainerUser> users;
    if (!service_ptr) return users;
    for (const auto& entry : service_ptr->store().list()) {
      std::lock_guard lock(entry->mutex);
      if (entry->c.image_id != id.to_string()) continue;
      bool running = entry->c.state.status == daemon::ContainerStatus::kRunning ||
                     entry->c.state.status == daemon::ContainerStatus::kPaused ||
                     entry->c.state.status == daemon::ContainerStatus::kRestarting;
      users.push_back({entry->c.id, running});
    }
    return users;
  };
  auto image_service = image::ImageService::open(image_options);
  if (!image_service.ok()) return fail(image_service.error());
  image::ImageStore* images = &(*image_service)->store();
  auto containers = daemon::ContainerStore::open(**db);
  if (!containers.ok()) return fail(containers.error());
  auto shims = daemon::ShimLauncher::create(config.shim_path);
  if (!shims.ok()) return fail(shims.error());
  // The cgroup layout is detected here, once: Runtime detects it lazily on first use, which
  // is a data race when request threads make that first use at the same time.
  auto cgroup_layout = cgroups::detect_layout();
  if (!cgroup_layout.ok()) return fail(cgroup_layout.error().with_context("cgroups"));
  runtime::Runtime runtime(runtime::RuntimeConfig{config.runtime_root(), *cgroup_layout});
  daemon::EventBus events;
  daemon::TaskQueue tasks;

  // Networks and volumes come before the container service: restoring them takes the
  // published ports and DNS registrations of running containers back before anything else.
  daemon::NetworkServiceOptions network_options;
  network_options.config = &config;
  network_options.database = db->get();
  network_options.containers = containers->get();
  network_options.events = &events;
  auto networks = daemon::NetworkService::open(network_options);
  if (!networks.ok()) return fail(networks.error().with_context("networking"));
  daemon::VolumeServiceOptions volume_options;
  volume_options.database = db->get();
  volume_options.data_root = config.data_root;
  volume_options.containers = containers->get();
  volume_options.events = &events;
  auto volumes = daemon::VolumeService::open(volume_options);
  if (!volumes.ok()) return fail(volumes.error().with_context("volumes"));

  daemon::ServiceDeps deps;
  deps.config = &config;
  deps.host = *host;
  deps.containers = containers->get();
  deps.images = images;
  deps.events = &events;
  deps.runtime = &runtime;
  deps.shims = &*shims;
  deps.tasks = &tasks;
  deps.network = networks->get();
  deps.volumes = volumes->get();
  daemon::ContainerService service(deps);
  service_ptr = &service;
  daemon::ExecService execs(service);
  daemon::HealthMonitor health(service, execs);
  service.set_health_watcher(&health);
  service.reconcile();

  api::ApiContext ctx;
  ctx.config = &config;
  ctx.containers = &service;
  ctx.events = &events;
  ctx.images = images;
  ctx.image_service = image_service->get();
  ctx.execs = &execs;
  ctx.networks = networks->get();
  ctx.volumes = volumes->get();
  ctx.started_ns = unix_nanos_now();
  auto id = daemon_id(config.data_root);
  if (!id.ok()) return fail(id.error());
  ctx.daemon_id = *id;

  auto router = std::make_shared<http::Router>();
  api::register_routes(*router, ctx);
  http::ServerOptions options;
  auto tcp = tcp_specs(config, &options.unix_sockets);
  if (!tcp.ok()) return fail(tcp.error());
  options.tcp_sockets = *tcp;
  // A socket group that does not exist leaves the socket root's (dockerd does the same).
  for (auto& s : options.unix_sockets) {
    if (::getgrnam(s.group.c_str()) == nullptr) s.group.clear();
  }
  auto server = http::HttpServer::start(options, http::Router::handler(router));
  if (!server.ok()) return fail(server.error());
  for (const auto& endpoint : (*server)->endpoints()) log::info("API listen on {}", endpoint);

  // Containers keep running when berthd stops (their shims own them): just stop serving.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
  while (true) {
    int sig = 0;
    ::sigwait(&set, &sig);
    if (sig == SIGHUP) continue;  // configuration reload is not supported yet
    log::info("received signal {}, shutting down", sig);
    break;
  }
  (*server)->stop(std::chrono::seconds(config.shutdown_timeout));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace berth;
  // Block the shutdown signals in every thread we start; main waits for them with sigwait.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  daemon::DaemonConfig config;
  CLI::App app{"berthd: the Berth container engine (Docker Engine API v1.47)"};
  app.name("berthd");
  app.set_version_flag("-v,--version", std::string("Berth version ") + BERTH_VERSION);
  std::vector<std::string> hosts, insecure, mirrors, log_opts;
  std::string config_file;
  app.add_option("-H,--host", hosts, "daemon socket(s) to connect to");
  app.add_option("--data-root", config.data_root, "root directory of persistent Berth state");
  app.add_option("--exec-root", config.exec_root, "root directory for execution state files");
  app.add_option("--config-file", config_file, "daemon configuration file");
  app.add_flag("-D,--debug", config.debug, "enable debug mode");
  app.add_option("-l,--log-level", config.log_level, "logging level (debug, info, warn, error, fatal)");
  app.add_flag("--tls", config.tls, "use TLS; implied by --tlsverify");
  app.add_flag("--tlsverify", config.tls_verify, "use TLS and verify the remote");
  app.add_option("--tlscacert", config.tls_ca_cert, "trust certs signed only by this CA");
  app.add_option("--tlscert", config.tls_cert, "path to TLS certificate file");
  app.add_option("--tlskey", config.tls_key, "path to TLS key file");
  app.add_option("--insecure-registry", insecure, "enable insecure registry communication");
  app.add_option("--registry-mirror", mirrors, "preferred registry mirror");
  app.add_option("-G,--group", config.group, "group for the unix socket");
  app.add_option("--log-driver", config.log_driver, "default driver for container logs");
  app.add_option("--log-opt", log_opts, "default log driver options for containers");
  app.add_option("--bip", config.bip, "network address of the default bridge");
  app.add_option("-b,--bridge", config.bridge, "interface of the default bridge network");
  app.add_option("--firewall-table", config.firewall_table, "name of Berth's nftables tables");
  app.add_option("--cgroup-parent", config.cgroup_parent, "parent cgroup for all containers");
  app.add_option("--shim-path", config.shim_path, "path to berth-shim");
  app.add_option("--init-path", config.init_path, "path to the --init binary");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  bool explicit_file = !config_file.empty();
  if (explicit_file) config.config_file = config_file;
  daemon::DaemonConfig flags_only = config;
  if (auto st = daemon::load_daemon_config_file(config, explicit_file); !st.ok()) {
    std::cerr << "berthd: " << st.error().to_string() << std::endl;
    return 1;
  }
  // Flags given on the command line win over the file.
  if (!hosts.empty()) config.hosts = hosts;
  for (auto& r : insecure) config.insecure_registries.push_back(r);
  for (auto& m : mirrors) config.registry_mirrors.push_back(m);
  for (const auto& opt : log_opts) {
    auto [k, v] = split_once(opt, '=');
    config.log_opts[std::string(k)] = std::string(v);
  }
  if (app.count("--data-root")) config.data_root = flags_only.data_root;
  if (app.count("--exec-root")) config.exec_root = flags_only.exec_root;
  if (app.count("--bip")) config.bip = flags_only.bip;
  if (app.count("--bridge")) config.bridge = flags_only.bridge;
  if (app.count("--firewall-table")) config.firewall_table = flags_only.firewall_table;
  return run(config);
}
