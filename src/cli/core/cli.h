// Cli: what every command gets — the standard streams, the global options, the config file and
// a lazily connected API client (connecting, and starting berthd, only when a command needs it).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "client/client.h"
#include "client/config_file.h"
#include "client/host.h"

namespace berth::cli {

struct GlobalOptions {
  client::HostOptions host;
  std::vector<std::string> hosts;  // -H
  std::string config_dir;          // --config
  std::string context;             // -c/--context: only "default" exists
  std::string log_level = "info";
  bool debug = false;
  bool version = false;
};

class Cli {
 public:
  // Uses the process's stdin/stdout/stderr.
  Cli();
  // Captures stdout and stderr in strings (tests); stdin reads from `in_fd`.
  Cli(std::string* out, std::string* err, int in_fd = -1);

  GlobalOptions& options() { return options_; }
  client::EnvLookup env = client::process_env();

  // Both are safe to call from several threads.
  void out(std::string_view text);
  void err(std::string_view text);
  int in_fd() const { return in_fd_; }
  int out_fd() const { return out_fd_; }
  int err_fd() const { return err_fd_; }
  bool in_is_terminal() const;
  bool out_is_terminal() const;
  bool err_is_terminal() const;
  // Terminal width of stdin for help text (docker asks fd 0), 80 when it is not a terminal.
  int help_width() const;

  // Prints `message` and a newline to stderr; returns `code`, for `return cli.fail(...)`.
  int fail(std::string_view message, int code);

  Result<client::Client*> client();
  const client::ConfigFile& config();
  client::ConfigFile& mutable_config();

  // Name used in messages ("berth").
  static constexpr std::string_view kName = "berth";

 private:
  GlobalOptions options_;
  // Stream pumps and the exit waiter of `run`/`exec` write from their own threads.
  std::mutex capture_mu_;
  std::string* out_capture_ = nullptr;
  std::string* err_capture_ = nullptr;
  int in_fd_ = 0;
  int out_fd_ = 1;
  int err_fd_ = 2;
  std::unique_ptr<client::Client> client_;
  std::optional<client::ConfigFile> config_;
};

// Writes all of `data` to `fd`, retrying on EINTR and short writes.
Status write_all(int fd, std::string_view data);

}  // namespace berth::cli
