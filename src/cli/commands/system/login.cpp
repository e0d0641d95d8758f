// login and logout (cli/command/registry).
#include <termios.h>
#include <unistd.h>

#include "base/strings.h"
#include "cli/commands/common.h"
#include "cli/commands/registry.h"
#include "client/api_error.h"
#include "client/system.h"

namespace berth::cli {
namespace {

// Reads a line from stdin (without its newline); echo off when `secret` and stdin is a terminal.
std::string read_line(Cli& cli, bool secret) {
  termios saved{};
  bool restore = secret && cli.in_is_terminal() && ::tcgetattr(cli.in_fd(), &saved) == 0;
  if (restore) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(cli.in_fd(), TCSANOW, &quiet);
  }
  std::string line;
  char c;
  while (::read(cli.in_fd(), &c, 1) == 1 && c != '\n') line += c;
  if (restore) {
    ::tcsetattr(cli.in_fd(), TCSANOW, &saved);
    cli.out("\n");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::string read_all_stdin(Cli& cli) {
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(cli.in_fd(), buf, sizeof(buf))) > 0) out.append(buf, static_cast<size_t>(n));
  return out;
}

// credentials.ConvertToHostname: "https://host:5000/v2/" → "host:5000".
std::string to_hostname(std::string url) {
  if (url.starts_with("http://")) url = url.substr(7);
  if (url.starts_with("https://")) url = url.substr(8);
  return url.substr(0, url.find('/'));
}

}  // namespace

std::unique_ptr<Command> new_login_command() {
  auto cmd = new_command("login [OPTIONS] [SERVER]", "Authenticate to a registry");
  cmd->long_help = "Authenticate to a registry.\nDefaults to Docker Hub if no server is specified.";
  cmd->top_order = 8;
  cmd->set_args(ArgRule::kMax, 1);
  struct Options {
    std::string user, password;
    bool password_stdin = false;
  };
  auto o = std::make_shared<Options>();
  FlagSet& f = cmd->flags();
  f.add_string("username", "u", &o->user, "", "Username");
  f.add_string("password", "p", &o->password, "", "Password or Personal Access Token (PAT)");
  f.add_bool("password-stdin", "", &o->password_stdin, false,
             "Take the Password or Personal Access Token (PAT) from stdin");
  cmd->set_run([o](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    std::string user = o->user;
    std::string password = o->password;
    if (!password.empty()) {
      cli.err("WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n");
    }
    if (o->password_stdin) {
      if (user.empty()) return Error(ErrorCode::kInvalidArgument, "username is empty");
      password = read_all_stdin(cli);
      if (password.ends_with("\n")) password.pop_back();
      if (password.ends_with("\r")) password.pop_back();
    }
    std::string server = !inv.args.empty() && inv.args[0] != "docker.io"
                             ? inv.args[0]
                             : std::string(client::kIndexServer);
    client::ConfigFile& config = cli.mutable_config();
    client::Client& c = *TRY(cli.client());
    client::AuthConfig stored = config.get_auth(server);
    stored.server_address = server;
    if (user.empty() && password.empty() && !stored.username.empty() && !stored.password.empty()) {
      cli.err("Authenticating with existing credentials... [Username: " + stored.username + "]\n");
      cli.err("\nTo login with a different account, run 'berth logout' followed by 'berth login'\n\n");
      auto r = client::registry_login(c, stored);
      if (r.ok()) {
        if (std::string token = r->value("IdentityToken", ""); !token.empty()) {
          stored.password.clear();
          stored.identity_token = token;
        }
        TRY(config.store_auth(stored));
        cli.out(r->value("Status", "Login Succeeded") + "\n");
        return 0;
      }
      if (r.error().code() == ErrorCode::kPermissionDenied) {
        cli.err("Stored credentials invalid or expired\n");
      } else {
        cli.err("Login did not succeed, error: " + r.error().message() + "\n");
      }
    }
    if ((user.empty() || password.empty()) && !cli.in_is_terminal()) {
      return Error(ErrorCode::kInvalidArgument,
                   "Error: Cannot perform an interactive login from a non TTY device");
    }
    user = std::string(trim(user));
    if (user.empty()) {
      std::string def = stored.username;
      cli.out(def.empty() ? "Username: " : "Username (" + def + "): ");
      user = std::string(trim(read_line(cli, false)));
      if (user.empty()) user = def;
      if (user.empty()) return Error(ErrorCode::kInvalidArgument, "Error: Non-null Username Required");
    }
    password = std::string(trim(password));
    if (password.empty()) {
      cli.out("Password: ");
      password = read_line(cli, true);
      if (password.empty()) return Error(ErrorCode::kInvalidArgument, "Error: Password Required");
    }
    client::AuthConfig auth;
    auth.username = user;
    auth.password = password;
    auth.server_address = server;
    Json r = TRY(client::registry_login(c, auth));
    if (std::string token = r.value("IdentityToken", ""); !token.empty()) {
      auth.password.clear();
      auth.identity_token = token;
    }
    Status stored_ok = config.store_auth(auth);
    if (!stored_ok.ok()) {
      return Error(ErrorCode::kInternal, "Error saving credentials: " + stored_ok.error().message());
    }
    cli.out(r.value("Status", "Login Succeeded") + "\n");
    return 0;
  });
  return cmd;
}

std::unique_ptr<Command> new_logout_command() {
  auto cmd = new_command("logout [SERVER]", "Log out from a registry");
  cmd->long_help =
      "Log out from a registry.\nIf no server is specified, the default is defined by the daemon.";
  cmd->top_order = 9;
  cmd->set_args(ArgRule::kMax, 1);
  cmd->set_run([](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    std::string server = inv.args.empty() ? std::string(client::kIndexServer) : inv.args[0];
    bool is_default = inv.args.empty();
    std::string hostname = is_default ? server : to_hostname(server);
    std::vector<std::string> targets = {server};
    if (!is_default) {
      targets.push_back(hostname);
      targets.push_back("http://" + hostname);
      targets.push_back("https://" + hostname);
    }
    cli.out("Removing login credentials for " + hostname + "\n");
    client::ConfigFile& config = cli.mutable_config();
    for (const auto& t : targets) (void)config.erase_auth(t);
    return 0;
  });
  return cmd;
}

}  // namespace berth::cli
