// pull and push (cli/command/image/pull.go, push.go).
#include "cli/commands/common.h"
#include "cli/commands/registry.h"
#include "cli/format/json_message.h"
#include "cli/format/reference.h"
#include "cli/run/create_flow.h"
#include "cli/run/terminal.h"
#include "client/images.h"

namespace berth::cli {
namespace {

struct TransferOptions {
  bool all = false;
  bool quiet = false;
  std::string platform;
  bool disable_trust = true;
};

MessageDisplay stdout_display(Cli& cli, bool quiet) {
  MessageDisplay d;
  d.is_terminal = !quiet && cli.out_is_terminal();
  d.terminal_width = static_cast<int>(terminal_size(cli.out_fd()).width);
  if (d.terminal_width == 0) d.terminal_width = 200;
  d.out = [&cli, quiet](std::string_view text) {
    if (!quiet) cli.out(text);
  };
  return d;
}

// The reference to pull or push, with docker's "Using default tag" rule.
Result<ImageReference> transfer_reference(Cli& cli, const std::string& remote, bool all,
                                          bool quiet) {
  ImageReference ref = TRY(parse_normalized_named(remote));
  if (all && !ref.name_only()) {
    return Error(ErrorCode::kInvalidArgument, "tag can't be used with --all-tags/-a");
  }
  if (!all && ref.name_only()) {
    ref.tag = "latest";
    if (!quiet) cli.out("Using default tag: latest\n");
  }
  return ref;
}

}  // namespace

std::unique_ptr<Command> new_pull_command(bool top_level) {
  auto cmd = new_command("pull [OPTIONS] NAME[:TAG|@DIGEST]", "Download an image from a registry",
                         "berth image pull, berth pull");
  if (top_level) cmd->top_order = 5;
  cmd->set_args(ArgRule::kExact, 1);
  auto o = std::make_shared<TransferOptions>();
  FlagSet& f = cmd->flags();
  f.add_bool("all-tags", "a", &o->all, false, "Download all tagged images in the repository");
  f.add_bool("quiet", "q", &o->quiet, false, "Suppress verbose output");
  f.add_string("platform", "", &o->platform, "", "Set platform if server is multi-platform capable");
  f.add_bool("disable-content-trust", "", &o->disable_trust, true, "Skip image verification");
  cmd->set_run([o](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    ImageReference ref = TRY(transfer_reference(cli, inv.args[0], o->all, o->quiet));
    client::Client& c = *TRY(cli.client());
    std::string auth = registry_auth_for(cli, ref.str());
    auto stream = TRY(client::image_pull(c, ref.familiar(), o->all, o->platform, auth));
    TRY(display_json_messages(*stream, stdout_display(cli, o->quiet)));
    cli.out(ref.str() + "\n");
    return 0;
  });
  return cmd;
}

std::unique_ptr<Command> new_push_command(bool top_level) {
  auto cmd = new_command("push [OPTIONS] NAME[:TAG]", "Upload an image to a registry",
                         "berth image push, berth push");
  if (top_level) cmd->top_order = 6;
  cmd->set_args(ArgRule::kExact, 1);
  auto o = std::make_shared<TransferOptions>();
  FlagSet& f = cmd->flags();
  f.add_bool("all-tags", "a", &o->all, false, "Push all tags of an image to the repository");
  f.add_bool("quiet", "q", &o->quiet, false, "Suppress verbose output");
  f.add_string("platform", "", &o->platform, "",
               "Push a platform-specific manifest as a single-platform image to the registry.\n"
               "Image index won't be pushed, meaning that other manifests, including "
               "attestations won't be preserved.\n"
               "'os[/arch[/variant]]': Explicit platform (eg. linux/amd64)");
  f.add_bool("disable-content-trust", "", &o->disable_trust, true, "Skip image signing");
  cmd->set_run([o](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    ImageReference ref = TRY(transfer_reference(cli, inv.args[0], o->all, o->quiet));
    client::Client& c = *TRY(cli.client());
    std::string auth = registry_auth_for(cli, ref.str());
    auto stream = TRY(client::image_push(c, ref.familiar(), o->all, o->platform, auth));
    TRY(display_json_messages(*stream, stdout_display(cli, o->quiet)));
    if (o->quiet) cli.out(ref.str() + "\n");
    return 0;
  });
  return cmd;
}

}  // namespace berth::cli
