// container inspect, and the top-level inspect that finds any object type.
#include <fmt/format.h>

#include "cli/commands/common.h"
#include "cli/commands/registry.h"
#include "client/api_error.h"
#include "client/containers.h"
#include "client/images.h"
#include "client/networks.h"
#include "client/volumes.h"

namespace berth::cli {
namespace {

struct InspectOptions {
  std::string format;
  bool size = false;
  std::string type;
};

constexpr const char* kAllTypes =
    "config\", \"container\", \"image\", \"network\", \"node\", \"plugin\", \"secret\", "
    "\"service\", \"task\", \"volume";

}  // namespace

std::unique_ptr<Command> new_container_inspect_command() {
  auto cmd = new_command("inspect [OPTIONS] CONTAINER [CONTAINER...]",
                         "Display detailed information on one or more containers");
  cmd->set_args(ArgRule::kMin, 1);
  auto o = std::make_shared<InspectOptions>();
  cmd->flags().add_string("format", "f", &o->format, "", kInspectFormatHelp);
  cmd->flags().add_bool("size", "s", &o->size, false, "Display total file sizes");
  cmd->set_run([o](Invocation& inv) -> Result<int> {
    client::Client& c = *TRY(inv.cli.client());
    return inspect_each(inv.cli, inv.args, o->format, [&](const std::string& ref) {
      return client::container_inspect_raw(c, ref, o->size);
    });
  });
  return cmd;
}

std::unique_ptr<Command> new_inspect_command() {
  auto cmd = new_command("inspect [OPTIONS] NAME|ID [NAME|ID...]",
                         "Return low-level information on Docker objects");
  cmd->set_args(ArgRule::kMin, 1);
  auto o = std::make_shared<InspectOptions>();
  FlagSet& f = cmd->flags();
  f.add_string("format", "f", &o->format, "", kInspectFormatHelp);
  f.add_string("type", "", &o->type, "", "Only inspect objects of the given type");
  f.add_bool("size", "s", &o->size, false, "Display total file sizes if the type is container");
  cmd->set_run([o](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    if (inv.command.flags().changed("type") && o->type.empty()) {
      return make_error(ErrorCode::kInvalidArgument, "type is empty: must be one of \"{}\"",
                        kAllTypes);
    }
    const std::string& t = o->type;
    static const char* kKnown[] = {"",       "config", "container", "image",   "network", "node",
                                   "plugin", "secret", "service",   "task",    "volume"};
    bool known = false;
    for (const char* k : kKnown) known = known || t == k;
    if (!known) {
      return make_error(ErrorCode::kInvalidArgument, "unknown type: \"{}\": must be one of \"{}\"",
                        t, kAllTypes);
    }
    client::Client& c = *TRY(cli.client());
    struct Searcher {
      const char* type;
      bool size_supported;
      std::function<Result<std::string>(const std::string&)> fn;
    };
    std::vector<Searcher> searchers = {
        {"container", true,
         [&](const std::string& r) { return client::container_inspect_raw(c, r, o->size); }},
        // A missing image is reported as the daemon words it, as docker 28's client does.
        {"image", false, [&](const std::string& r) { return client::image_inspect_raw(c, r); }},
        {"network", false, [&](const std::string& r) { return client::network_inspect_raw(c, r); }},
        {"volume", false, [&](const std::string& r) { return client::volume_inspect_raw(c, r); }},
    };
    auto find = [&](const std::string& ref) -> Result<std::string> {
      for (const auto& s : searchers) {
        if (!t.empty() && t != s.type) continue;
        auto raw = s.fn(ref);
        if (!raw.ok()) {
          const std::string& m = raw.error().message();
          bool skippable = client::is_not_found(raw.error()) ||
                           m.find("not supported") != std::string::npos ||
                           m.find("invalid reference format") != std::string::npos;
          if (t.empty() && skippable) continue;
          return raw;
        }
        if (o->size && !s.size_supported) {
          cli.err(fmt::format("WARNING: --size ignored for {}\n", s.type));
        }
        return raw;
      }
      return make_error(ErrorCode::kNotFound, "Error: No such object: {}", ref);
    };
    return inspect_each(cli, inv.args, o->format, find);
  });
  return cmd;
}

}  // namespace berth::cli
