// berth-shim <bundle-dir>: runs one container as its parent, detached from berthd
// (docs/engine.md). fd 3, when open, receives "ok <pid>\n" or "error <message>\n".
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "base/file_util.h"
#include "base/log.h"
#include "shim/protocol.h"
#include "shim/shim_config.h"
#include "shim/shim_server.h"

namespace {

void report_status(int fd, const std::string& line) {
  if (fd < 0) return;
  std::string text = line + "\n";
  (void)!::write(fd, text.data(), text.size());
}

}  // namespace

int main(int argc, char** argv) {
  using namespace berth;
  if (argc != 2) {
    const char usage[] = "usage: berth-shim <bundle-dir>\n";
    (void)!::write(2, usage, sizeof usage - 1);
    return 2;
  }
  int status_fd = ::fcntl(3, F_GETFD) >= 0 ? 3 : -1;
  if (status_fd >= 0) ::fcntl(status_fd, F_SETFD, FD_CLOEXEC);
  std::string bundle = argv[1];

  auto text = read_file(shim::config_path(bundle));
  if (!text.ok()) {
    report_status(status_fd, "error " + text.error().to_string());
    return 1;
  }
  auto json = parse_json(*text, "shim.json");
  auto config = json.ok() ? shim::shim_config_from_json(*json) : Result<shim::ShimConfig>(json.error());
  if (!config.ok()) {
    report_status(status_fd, "error " + config.error().to_string());
    return 1;
  }

  // Detach: the process berthd started exits at once (berthd reaps it); the shim lives on in a
  // session of its own, reparented away from berthd.
  pid_t child = ::fork();
  if (child < 0) {
    report_status(status_fd, std::string("error fork: ") + std::strerror(errno));
    return 1;
  }
  if (child > 0) return 0;
  ::setsid();
  ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  if (::chdir(bundle.c_str()) != 0) {
    report_status(status_fd, "error chdir " + bundle);
    return 1;
  }
  int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  for (int i = 0; i < 3; ++i) ::dup2(null, i);
  int log_fd = ::open((bundle + "/shim.log").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd >= 0) log::set_output(log_fd, log::Format::kText);
  log::set_program("berth-shim");
  (void)write_file(shim::pid_file_path(bundle), std::to_string(::getpid()));

  shim::ShimServer server(std::move(*config));
  auto pid = server.create();
  if (!pid.ok()) {
    report_status(status_fd, "error " + pid.error().to_string());
    return 1;
  }
  report_status(status_fd, "ok " + std::to_string(*pid));
  if (status_fd >= 0) ::close(status_fd);
  return server.run();
}
