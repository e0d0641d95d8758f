// Times the lifecycle a container engine drives for every short-lived container: `create`,
// `start`, wait for the process to exit, `delete`, of /bin/true in a busybox bundle. Each
// iteration is timed end to end, fork/exec of the runtime binary included (that is what
// containerd's shim pays), for berth-runtime and runc in the same run, alternating which goes
// first, with the same config.json. Prints per-runtime median, p10, p90 (and per phase), the
// ratio of the medians, and the load average before and after.
//
//   runtime_start_bench [--runs 100] [--warmup 5] [--berth PATH] [--runc /usr/sbin/runc]
//                       [--rootfs DIR] [--workdir /var/tmp/berth-bench-rt] [--only NAME]
//                       [--keep] [--verbose]
//
// Like containerd's shim, the benchmark is a child subreaper: the container's init, orphaned when
// `create` exits, becomes its child, and it reaps it to learn that the process exited.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

struct Args {
  int runs = 100;
  int warmup = 5;
  std::string berth;  // default: berth-runtime beside this program
  std::string runc = "/usr/sbin/runc";
  std::string rootfs = "/var/cache/berth-test/busybox-rootfs";
  std::string workdir = "/var/tmp/berth-bench-rt";
  std::string only;  // "berth" or "runc": time just one
  bool keep = false;
  bool verbose = false;
};

// The phases of one iteration; "wait" is from `start` returning to the init being reaped.
constexpr std::array<const char*, 4> kPhases = {"create", "start", "wait", "delete"};

struct Contender {
  std::string name;
  std::string binary;
  std::string root;    // --root: its own state directory
  std::string bundle;  // same config.json for both
  std::vector<double> total_ms;
  std::array<std::vector<double>, kPhases.size()> phase_ms;
};

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "runtime_start_bench: %s\n", what.c_str());
  std::exit(1);
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs `argv` with stdin from /dev/null and stdout/stderr appended to `log`; returns its exit
// status (-1 when it could not run or was killed).
int run(const std::vector<std::string>& argv, const std::string& log) {
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, cargv[0], &actions, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string tail_of(const std::string& path) {
  std::string text = read_text(path);
  return text.size() > 2000 ? text.substr(text.size() - 2000) : text;
}

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// One create/start/wait/delete; returns false (after cleaning up) if a step failed.
bool iterate(Contender& c, int n, const std::string& log, bool record) {
  std::string id = "bench-" + c.name + "-" + std::to_string(n);
  std::string pid_file = c.bundle + "/init.pid";
  std::array<double, kPhases.size()> phase{};

  auto t0 = Clock::now();
  auto t = t0;
  if (run({c.binary, "--root", c.root, "create", "--bundle", c.bundle, "--pid-file", pid_file, id},
          log) != 0) {
    std::fprintf(stderr, "%s create failed:\n%s\n", c.name.c_str(), tail_of(log).c_str());
    return false;
  }
  phase[0] = ms_since(t);
  pid_t init = static_cast<pid_t>(std::atol(read_text(pid_file).c_str()));
  t = Clock::now();
  if (run({c.binary, "--root", c.root, "start", id}, log) != 0) {
    std::fprintf(stderr, "%s start failed:\n%s\n", c.name.c_str(), tail_of(log).c_str());
    run({c.binary, "--root", c.root, "delete", "--force", id}, log);
    return false;
  }
  phase[1] = ms_since(t);
  t = Clock::now();
  int status = 0;
  // The init was re-parented to us (a subreaper) when `create` exited.
  while (init > 0 && ::waitpid(init, &status, 0) < 0 && errno == EINTR) {
  }
  phase[2] = ms_since(t);
  t = Clock::now();
  if (run({c.binary, "--root", c.root, "delete", id}, log) != 0) {
    std::fprintf(stderr, "%s delete failed:\n%s\n", c.name.c_str(), tail_of(log).c_str());
    return false;
  }
  phase[3] = ms_since(t);
  double total = ms_since(t0);
  if (init <= 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "%s: container init %d did not exit 0 (status %#x)\n", c.name.c_str(),
                 init, status);
    return false;
  }
  if (record) {
    c.total_ms.push_back(total);
    for (size_t i = 0; i < phase.size(); ++i) c.phase_ms[i].push_back(phase[i]);
  }
  return true;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  double pos = p * static_cast<double>(v.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

std::string loadavg() {
  std::string text = read_text("/proc/loadavg");
  std::istringstream in(text);
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

Args parse_args(int argc, char** argv) {
  Args args;
  auto value = [&](int& i) -> std::string {
    if (i + 1 >= argc) die(std::string("missing value for ") + argv[i]);
    return argv[++i];
  };
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--runs") {
      args.runs = std::atoi(value(i).c_str());
    } else if (a == "--warmup") {
      args.warmup = std::atoi(value(i).c_str());
    } else if (a == "--berth") {
      args.berth = value(i);
    } else if (a == "--runc") {
      args.runc = value(i);
    } else if (a == "--rootfs") {
      args.rootfs = value(i);
    } else if (a == "--workdir") {
      args.workdir = value(i);
    } else if (a == "--only") {
      args.only = value(i);
    } else if (a == "--keep") {
      args.keep = true;
    } else if (a == "--verbose") {
      args.verbose = true;
    } else {
      die("unknown argument " + a +
          " (see the usage at the top of bench/runtime-start/runtime_start_bench.cpp)");
    }
  }
  if (args.runs < 1) die("--runs must be at least 1");
  if (args.only != "" && args.only != "berth" && args.only != "runc")
    die("--only takes berth or runc");
  if (args.berth.empty()) {
    char self[4096];
    ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) die("readlink /proc/self/exe");
    std::string path(self, static_cast<size_t>(n));
    args.berth = path.substr(0, path.rfind('/')) + "/berth-runtime";
  }
  return args;
}

// The config both runtimes run: runc's `spec` (default namespaces, mounts, masked paths,
// capabilities), running /bin/true without a terminal, on the shared busybox rootfs.
void write_bundle(const Args& args, const std::string& bundle, const std::string& log) {
  if (::mkdir(bundle.c_str(), 0755) != 0 && errno != EEXIST) die("mkdir " + bundle);
  std::string config = bundle + "/config.json";
  ::unlink(config.c_str());
  if (run({args.runc, "spec", "--bundle", bundle}, log) != 0)
    die("runc spec failed: " + tail_of(log));
  nlohmann::json j = nlohmann::json::parse(read_text(config));
  j["process"]["args"] = {"/bin/true"};
  j["process"]["terminal"] = false;
  j["root"]["path"] = args.rootfs;
  std::ofstream(config) << j.dump(2);
}

void print_row(const char* label, const std::vector<double>& v) {
  std::printf("  %-8s median %7.2f ms   p10 %7.2f   p90 %7.2f   min %7.2f   max %7.2f\n", label,
              percentile(v, 0.5), percentile(v, 0.1), percentile(v, 0.9), percentile(v, 0),
              percentile(v, 1));
}

}  // namespace

int main(int argc, char** argv) {
  Args args = parse_args(argc, argv);
  if (::geteuid() != 0) die("needs root (it creates containers)");
  if (::access(args.berth.c_str(), X_OK) != 0) die("no berth-runtime at " + args.berth);
  if (::access(args.runc.c_str(), X_OK) != 0) die("no runc at " + args.runc);
  if (::access((args.rootfs + "/bin/true").c_str(), F_OK) != 0)
    die(args.rootfs + " has no /bin/true: run scripts/make-busybox-rootfs.sh (or pass --rootfs)");
  if (::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) die("PR_SET_CHILD_SUBREAPER");

  std::string rm = "rm -rf '" + args.workdir + "'";
  if (std::system(rm.c_str()) != 0) die("cannot clear " + args.workdir);
  if (::mkdir(args.workdir.c_str(), 0755) != 0) die("mkdir " + args.workdir);
  std::string log = args.workdir + "/runtime.log";
  std::string bundle = args.workdir + "/bundle";
  write_bundle(args, bundle, log);

  std::vector<Contender> contenders;
  if (args.only != "runc") contenders.push_back({"berth", args.berth, args.workdir + "/berth", bundle});
  if (args.only != "berth") contenders.push_back({"runc", args.runc, args.workdir + "/runc", bundle});

  std::printf("runtime-start: create+start+wait+delete of /bin/true, %d runs (+%d warm-up)\n",
              args.runs, args.warmup);
  for (const auto& c : contenders) std::printf("  %-6s %s\n", c.name.c_str(), c.binary.c_str());
  std::printf("  load average before: %s\n", loadavg().c_str());
  std::fflush(stdout);

  int failures = 0;
  for (int n = 0; n < args.warmup + args.runs; ++n) {
    bool record = n >= args.warmup;
    // Alternate who goes first, so neither always runs on the caches the other warmed.
    for (size_t k = 0; k < contenders.size(); ++k) {
      auto& c = contenders[(k + static_cast<size_t>(n)) % contenders.size()];
      if (!iterate(c, n, log, record) && ++failures > 3) die("too many failures");
      // Reap any other orphan that came our way (a runtime's short-lived helpers).
      while (::waitpid(-1, nullptr, WNOHANG) > 0) {
      }
      if (args.verbose && record) {
        std::printf("%4d %-6s %7.2f ms\n", n - args.warmup, c.name.c_str(), c.total_ms.back());
      }
    }
  }

  std::printf("  load average after:  %s\n\n", loadavg().c_str());
  for (const auto& c : contenders) {
    std::printf("%s (%zu runs)\n", c.name.c_str(), c.total_ms.size());
    print_row("total", c.total_ms);
    for (size_t i = 0; i < kPhases.size(); ++i) print_row(kPhases[i], c.phase_ms[i]);
  }
  if (contenders.size() == 2 && !contenders[0].total_ms.empty() &&
      !contenders[1].total_ms.empty()) {
    double berth = percentile(contenders[0].total_ms, 0.5);
    double runc = percentile(contenders[1].total_ms, 0.5);
    std::printf("\nratio berth/runc (medians): %.2f  (goal: 0.50 or less)\n", berth / runc);
  }
  if (!args.keep) (void)std::system(rm.c_str());
  return failures == 0 ? 0 : 1;
}
