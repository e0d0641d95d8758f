// stop, restart, kill, pause, unpause, rm, wait, rename: one request per container, docker's
// output (each name that succeeded) and error aggregation.
#include <fmt/format.h>

#include "base/strings.h"
#include "cli/commands/common.h"
#include "cli/commands/registry.h"
#include "client/api_error.h"
#include "client/containers.h"

namespace berth::cli {
namespace {

struct StopOptions {
  std::string signal;
  int64_t timeout = 0;
};

std::unique_ptr<Command> stop_like(const char* name, const char* short_help, bool restart) {
  auto cmd = new_command(fmt::format("{} [OPTIONS] CONTAINER [CONTAINER...]", name), short_help,
                         fmt::format("berth container {0}, berth {0}", name));
  cmd->set_args(ArgRule::kMin, 1);
  auto o = std::make_shared<StopOptions>();
  FlagSet& f = cmd->flags();
  f.add_string("signal", "s", &o->signal, "", "Signal to send to the container");
  f.add_int("timeout", "t", &o->timeout, 0, "Seconds to wait before killing the container");
  f.alias("time", "timeout").deprecated = "use --timeout instead";
  cmd->set_run([o, restart](Invocation& inv) -> Result<int> {
    client::Client& c = *TRY(inv.cli.client());
    std::optional<int64_t> timeout;
    if (inv.command.flags().changed("timeout")) timeout = o->timeout;
    return run_each(inv.cli, inv.args, [&](const std::string& id) {
      return restart ? client::container_restart(c, id, timeout, o->signal)
                     : client::container_stop(c, id, timeout, o->signal);
    });
  });
  return cmd;
}

std::unique_ptr<Command> simple_each(const char* name, const char* short_help,
                                     Status (*fn)(client::Client&, const std::string&)) {
  auto cmd = new_command(fmt::format("{} CONTAINER [CONTAINER...]", name), short_help,
                         fmt::format("berth container {0}, berth {0}", name));
  cmd->set_args(ArgRule::kMin, 1);
  cmd->set_run([fn](Invocation& inv) -> Result<int> {
    client::Client& c = *TRY(inv.cli.client());
    return run_each(inv.cli, inv.args, [&](const std::string& id) { return fn(c, id); });
  });
  return cmd;
}

}  // namespace

std::unique_ptr<Command> new_stop_command() {
  return stop_like("stop", "Stop one or more running containers", false);
}

std::unique_ptr<Command> new_restart_command() {
  return stop_like("restart", "Restart one or more containers", true);
}

std::unique_ptr<Command> new_kill_command() {
  auto cmd = new_command("kill [OPTIONS] CONTAINER [CONTAINER...]",
                         "Kill one or more running containers", "berth container kill, berth kill");
  cmd->set_args(ArgRule::kMin, 1);
  auto signal = std::make_shared<std::string>();
  cmd->flags().add_string("signal", "s", signal.get(), "", "Signal to send to the container");
  cmd->set_run([signal](Invocation& inv) -> Result<int> {
    client::Client& c = *TRY(inv.cli.client());
    return run_each(inv.cli, inv.args,
                    [&](const std::string& id) { return client::container_kill(c, id, *signal); });
  });
  return cmd;
}

std::unique_ptr<Command> new_pause_command() {
  return simple_each("pause", "Pause all processes within one or more containers",
                     client::container_pause);
}

std::unique_ptr<Command> new_unpause_command() {
  return simple_each("unpause", "Unpause all processes within one or more containers",
                     client::container_unpause);
}

std::unique_ptr<Command> new_rm_command(bool top_level) {
  auto cmd = new_command("rm [OPTIONS] CONTAINER [CONTAINER...]", "Remove one or more containers",
                         "berth container rm, berth container remove, berth rm");
  if (!top_level) cmd->aliases = {"remove"};
  cmd->set_args(ArgRule::kMin, 1);
  struct Options {
    bool force = false, link = false, volumes = false;
  };
  auto o = std::make_shared<Options>();
  FlagSet& f = cmd->flags();
  f.add_bool("force", "f", &o->force, false,
             "Force the removal of a running container (uses SIGKILL)");
  f.add_bool("link", "l", &o->link, false, "Remove the specified link");
  f.add_bool("volumes", "v", &o->volumes, false,
             "Remove anonymous volumes associated with the container");
  cmd->set_run([o](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    client::Client& c = *TRY(cli.client());
    std::vector<std::string> errors;
    for (const auto& name : inv.args) {
      std::string id(trim(name));
      while (!id.empty() && id.front() == '/') id.erase(id.begin());
      while (!id.empty() && id.back() == '/') id.pop_back();
      Status st = id.empty() ? Status(Error(ErrorCode::kInvalidArgument,
                                            "container name cannot be empty"))
                             : client::container_remove(c, id, o->force, o->volumes, o->link);
      if (!st.ok()) {
        // With -f a missing container is reported but is not a failure.
        if (o->force && client::is_not_found(st.error())) {
          cli.err(st.error().message() + "\n");
          continue;
        }
        errors.push_back(st.error().message());
        continue;
      }
      cli.out(name + "\n");
    }
    if (errors.empty()) return 0;
    return cli.fail(join(errors, "\n"), 1);
  });
  return cmd;
}

std::unique_ptr<Command> new_wait_command() {
  auto cmd = new_command("wait CONTAINER [CONTAINER...]",
                         "Block until one or more containers stop, then print their exit codes",
                         "berth container wait, berth wait");
  cmd->set_args(ArgRule::kMin, 1);
  cmd->set_run([](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    client::Client& c = *TRY(cli.client());
    std::vector<std::string> errors;
    for (const auto& id : inv.args) {
      auto r = [&]() -> Result<client::WaitResult> {
        auto stream = TRY(client::container_wait(c, id, ""));
        return client::read_wait_result(*stream);
      }();
      if (!r.ok()) {
        errors.push_back(r.error().message());
        continue;
      }
      cli.out(std::to_string(r->status_code) + "\n");
    }
    if (errors.empty()) return 0;
    return cli.fail(join(errors, "\n"), 1);
  });
  return cmd;
}

std::unique_ptr<Command> new_rename_command() {
  auto cmd = new_command("rename CONTAINER NEW_NAME", "Rename a container",
                         "berth container rename, berth rename");
  cmd->set_args(ArgRule::kExact, 2);
  cmd->set_run([](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    std::string old_name(trim(inv.args[0]));
    std::string new_name(trim(inv.args[1]));
    if (old_name.empty() || new_name.empty()) {
      return Error(ErrorCode::kInvalidArgument, "Error: Neither old nor new names may be empty");
    }
    client::Client& c = *TRY(cli.client());
    Status st = client::container_rename(c, old_name, new_name);
    if (!st.ok()) {
      cli.err(st.error().message() + "\n");
      return cli.fail("Error: failed to rename container named " + old_name, 1);
    }
    return 0;
  });
  return cmd;
}

}  // namespace berth::cli
