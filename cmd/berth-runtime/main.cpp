// berth-runtime: an OCI runtime with runc's command line (../shared/ref/runc/man).
#include <fcntl.h>
#include <unistd.h>

#include <cstring>

#include "base/log.h"
#include "commands.h"
#include "runtime/self_exec.h"

namespace berth::runtime_cli {

namespace {
bool g_log_to_file = false;
}  // namespace

int report(const Error& error) {
  std::string text = error.to_string();
  log::error("{}", text);
  // With --log set, the log goes to the file (containerd's shim reads the last error there);
  // runc also prints the error on stderr. Without it, the log line is on stderr already.
  if (g_log_to_file) {
    std::string line = text + "\n";
    if (::write(2, line.data(), line.size()) < 0) {
    }
  }
  return 1;
}

runtime::Runtime make_runtime(const Globals& globals) {
  runtime::RuntimeConfig config;
  config.root = globals.root;
  return runtime::Runtime(config);
}

namespace {

// The commands that create or enter a container run from a sealed memfd copy (CVE-2019-5736).
// The subcommand is the first argument that is neither a global option nor the value of one.
bool needs_sealed_copy(int argc, char** argv) {
  static constexpr std::string_view kValueOptions[] = {"--root", "--log", "--log-format",
                                                       "--rootless", "--criu"};
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.empty()) return false;
    if (arg[0] != '-') return arg == "create" || arg == "run" || arg == "exec";
    if (arg.find('=') != std::string_view::npos) continue;  // --root=/x
    for (std::string_view option : kValueOptions) {
      if (arg == option) {
        ++i;  // skip its value
        break;
      }
    }
  }
  return false;
}

int setup_logging(const Globals& globals) {
  log::set_program("berth-runtime");
  log::set_level(globals.debug ? log::Level::kDebug : log::Level::kWarn);
  log::Format format = globals.log_format == "json" ? log::Format::kJson : log::Format::kText;
  if (!globals.log_path.empty()) {
    int fd = ::open(globals.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
      std::string msg =
          "berth-runtime: open log " + globals.log_path + ": " + std::strerror(errno) + "\n";
      if (::write(2, msg.data(), msg.size()) < 0) {
      }
      return 1;
    }
    log::set_output(fd, format);
    g_log_to_file = true;
  } else {
    log::set_output(2, format);
  }
  return 0;
}

}  // namespace
}  // namespace berth::runtime_cli

int main(int argc, char** argv) {
  using namespace berth;
  using namespace berth::runtime_cli;
  if (needs_sealed_copy(argc, argv)) {
    auto st = runtime::reexec_sealed(argv);
    if (!st.ok()) return report(st.error().with_context("CVE-2019-5736 protection"));
  }

  Globals globals;
  Action action;
  CLI::App app{"berth-runtime: an OCI container runtime with runc's command line"};
  app.name("berth-runtime");
  app.set_version_flag("-v,--version",
                       std::string("berth-runtime version ") + BERTH_VERSION + "\nspec: 1.2.0");
  app.add_option("--root", globals.root, "root directory for storage of container state")
      ->capture_default_str();
  app.add_option("--log", globals.log_path, "log file (default: stderr)");
  app.add_option("--log-format", globals.log_format, "log format: text or json")
      ->check(CLI::IsMember({"text", "json"}));
  app.add_flag("--debug", globals.debug, "enable debug logging");
  app.add_flag("--systemd-cgroup", globals.systemd_cgroup, "use the systemd cgroup driver");
  app.add_option("--rootless", globals.rootless,
                 "ignore cgroup permission errors (true, false, auto)");
  app.add_option("--criu", globals.criu, "path to criu (checkpointing is not supported)");
  app.require_subcommand(1);
  app.fallthrough();

  add_lifecycle_commands(app, globals, action);
  add_exec_command(app, globals, action);
  add_query_commands(app, globals, action);
  add_spec_commands(app, globals, action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (setup_logging(globals) != 0) return 1;
  if (log::level() <= log::Level::kDebug) {
    std::string command;
    for (int i = 1; i < argc; ++i) command += (i > 1 ? " " : "") + std::string(argv[i]);
    log::debug("berth-runtime {} (pid {}): {}", BERTH_VERSION, ::getpid(), command);
  }
  if (globals.systemd_cgroup) {
    return report(Error(ErrorCode::kUnimplemented,
                        "--systemd-cgroup: the systemd cgroup driver is not supported; use the "
                        "cgroupfs driver (omit the flag)"));
  }
  return action ? action() : 0;
}
