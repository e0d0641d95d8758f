// `start` (cli/command/container/start.go).
#include <fmt/format.h>

#include "cli/commands/common.h"
#include "cli/commands/registry.h"
#include "cli/run/attach_flow.h"
#include "client/containers.h"

namespace berth::cli {
namespace {

struct StartOptions {
  bool attach = false;
  bool interactive = false;
  std::string detach_keys;
  std::string checkpoint;
  std::string checkpoint_dir;
};

Result<int> run_start(Invocation& inv, const StartOptions& o) {
  Cli& cli = inv.cli;
  client::Client& c = *TRY(cli.client());
  if (o.attach || o.interactive) {
    if (inv.args.size() > 1) {
      return Error(ErrorCode::kInvalidArgument,
                   "you cannot start and attach multiple containers at once");
    }
    Json info = TRY(client::container_inspect(c, inv.args[0]));
    AttachFlow flow;
    flow.id = info.value("Id", "");
    flow.tty = info["Config"].value("Tty", false);
    flow.attach_stdin = o.interactive && info["Config"].value("OpenStdin", false);
    flow.attach_stdout = true;
    flow.attach_stderr = true;
    flow.sig_proxy = !flow.tty;
    flow.detach_keys = o.detach_keys.empty() ? cli.config().detach_keys() : o.detach_keys;
    flow.wait_condition = info["HostConfig"].value("AutoRemove", false) ? "removed" : "next-exit";
    flow.start = true;
    return run_attach_flow(cli, c, flow);
  }
  std::vector<std::string> failed;
  for (const auto& id : inv.args) {
    Status st = client::container_start(c, id);
    if (!st.ok()) {
      cli.err(st.error().message() + "\n");
      failed.push_back(id);
      continue;
    }
    cli.out(id + "\n");
  }
  if (!failed.empty()) {
    std::string list;
    for (size_t i = 0; i < failed.size(); ++i) list += (i ? ", " : "") + failed[i];
    return cli.fail("Error: failed to start containers: " + list, 1);
  }
  return 0;
}

}  // namespace

std::unique_ptr<Command> new_start_command() {
  auto cmd = new_command("start [OPTIONS] CONTAINER [CONTAINER...]",
                         "Start one or more stopped containers", "berth container start, berth start");
  cmd->set_args(ArgRule::kMin, 1);
  auto o = std::make_shared<StartOptions>();
  FlagSet& f = cmd->flags();
  f.add_bool("attach", "a", &o->attach, false, "Attach STDOUT/STDERR and forward signals");
  f.add_string("detach-keys", "", &o->detach_keys, "",
               "Override the key sequence for detaching a container");
  f.add_bool("interactive", "i", &o->interactive, false, "Attach container's STDIN");
  f.add_string("checkpoint", "", &o->checkpoint, "", "Restore from this checkpoint").hidden = true;
  f.add_string("checkpoint-dir", "", &o->checkpoint_dir, "",
               "Use a custom checkpoint storage directory")
      .hidden = true;
  cmd->set_run([o](Invocation& inv) { return run_start(inv, *o); });
  return cmd;
}

}  // namespace berth::cli
