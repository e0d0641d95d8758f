#include "cli/core/cli.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

namespace berth::cli {

Status write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_error("write");
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return ok_status();
}

Cli::Cli() = default;

Cli::Cli(std::string* out, std::string* err, int in_fd)
    : out_capture_(out), err_capture_(err), in_fd_(in_fd), out_fd_(-1), err_fd_(-1) {}

void Cli::out(std::string_view text) {
  if (out_capture_ != nullptr) {
    std::lock_guard lock(capture_mu_);
    out_capture_->append(text);
    return;
  }
  Status st = write_all(out_fd_, text);
  if (!st.ok() && st.error().sys_errno() == EPIPE) {
    // A closed stdout ends the program as it does for docker (Go dies of SIGPIPE there).
    ::signal(SIGPIPE, SIG_DFL);
    ::raise(SIGPIPE);
  }
}

void Cli::err(std::string_view text) {
  if (err_capture_ != nullptr) {
    std::lock_guard lock(capture_mu_);
    err_capture_->append(text);
  } else {
    (void)write_all(err_fd_, text);
  }
}

bool Cli::in_is_terminal() const { return in_fd_ >= 0 && ::isatty(in_fd_) == 1; }
bool Cli::out_is_terminal() const { return out_fd_ >= 0 && ::isatty(out_fd_) == 1; }
bool Cli::err_is_terminal() const { return err_fd_ >= 0 && ::isatty(err_fd_) == 1; }

int Cli::help_width() const {
  struct winsize ws {};
  if (in_fd_ >= 0 && ::ioctl(in_fd_, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

int Cli::fail(std::string_view message, int code) {
  err(std::string(message) + "\n");
  return code;
}

const client::ConfigFile& Cli::config() { return mutable_config(); }

client::ConfigFile& Cli::mutable_config() {
  if (!config_) {
    std::string dir = options_.config_dir.empty() ? client::ConfigFile::default_dir(env)
                                                  : options_.config_dir;
    auto loaded = client::ConfigFile::load(dir);
    if (loaded.ok()) {
      config_.emplace(std::move(loaded).value());
    } else {
      err("WARNING: Error " + loaded.error().message() + "\n");
      config_.emplace(client::ConfigFile::load("/nonexistent").value());
    }
  }
  return *config_;
}

Result<client::Client*> Cli::client() {
  if (client_) return client_.get();
  client::HostOptions host = options_.host;
  host.hosts = options_.hosts;
  host.config_dir = options_.config_dir.empty() ? client::ConfigFile::default_dir(env)
                                                : options_.config_dir;
  client::ClientConfig config;
  config.endpoint = TRY(client::resolve_endpoint(host, env));
  if (auto v = env("BERTH_API_VERSION"); v && !v->empty()) config.api_version = *v;
  if (auto v = env("BERTH_NO_AUTOSTART"); v && !v->empty()) config.autostart = false;
  client_ = TRY(client::Client::connect(std::move(config)));
  TRY(client_->ensure_ready());
  return client_.get();
}

}  // namespace berth::cli
