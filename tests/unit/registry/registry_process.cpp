#include "registry_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "base/file_util.h"
#include "test_http_server.h"

extern char** environ;

namespace berth::registry {
namespace {

bool port_open(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

Result<std::string> run_shell(const std::string& command) {
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (!p) return errno_error("popen");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = ::pclose(p);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return make_error(ErrorCode::kInternal, "`{}` failed: {}", command, out);
  return out;
}

Result<std::unique_ptr<RegistryProcess>> RegistryProcess::start(const std::string& dir,
                                                                const RegistryConfig& c) {
  std::unique_ptr<RegistryProcess> r(new RegistryProcess());
  r->port_ = free_port();
  r->storage_ = dir + "/storage";
  r->log_path_ = dir + "/registry.log";
  TRY(make_dirs(r->storage_));
  std::string yaml =
      "version: 0.1\n"
      "log:\n  level: info\n  accesslog:\n    disabled: true\n"
      "storage:\n  filesystem:\n    rootdirectory: " +
      r->storage_ +
      "\n"
      "  delete:\n    enabled: true\n"
      "  maintenance:\n    uploadpurging:\n      enabled: false\n"
      "http:\n  addr: 127.0.0.1:" +
      std::to_string(r->port_) +
      "\n"
      "  secret: berth-test-secret\n";
  if (!c.tls_cert.empty()) {
    yaml += "  tls:\n    certificate: " + c.tls_cert + "\n    key: " + c.tls_key + "\n";
    if (!c.client_ca.empty()) yaml += "    clientcas:\n      - " + c.client_ca + "\n";
  }
  yaml += c.auth_yaml;
  std::string config_path = dir + "/config.yml";
  TRY(write_file(config_path, yaml));

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, r->log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::string program = kRegistryBinary;
  std::string serve = "serve";
  std::vector<char*> argv = {program.data(), serve.data(), config_path.data(), nullptr};
  int rc = posix_spawn(&r->pid_, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return Error(ErrorCode::kUnavailable, "spawn " + program, rc);

  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!port_open(r->port_)) {
    int status = 0;
    if (::waitpid(r->pid_, &status, WNOHANG) == r->pid_) {
      r->pid_ = -1;
      return make_error(ErrorCode::kUnavailable, "docker-registry exited: {}", r->log());
    }
    if (std::chrono::steady_clock::now() > deadline)
      return make_error(ErrorCode::kDeadlineExceeded, "docker-registry did not listen: {}",
                        r->log());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return r;
}

RegistryProcess::~RegistryProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

std::string RegistryProcess::blob_data_path(const std::string& hex) const {
  return storage_ + "/docker/registry/v2/blobs/sha256/" + hex.substr(0, 2) + "/" + hex + "/data";
}

std::string RegistryProcess::log() const {
  return read_file(log_path_).value_or("");
}

}  // namespace berth::registry
