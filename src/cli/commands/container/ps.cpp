// ps / container ls (cli/command/container/list.go and formatter/container.go).
#include <algorithm>

#include <fmt/format.h>

#include "base/strings.h"
#include "cli/commands/common.h"
#include "cli/commands/registry.h"
#include "cli/format/container_rows.h"
#include "client/containers.h"
#include "template/template.h"

namespace berth::cli {
namespace {

constexpr const char* kDefaultTable =
    "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";

struct PsOptions {
  bool quiet = false;
  bool size = false;
  bool all = false;
  bool no_trunc = false;
  bool latest = false;
  int64_t last = -1;
  std::string format;
  client::Filters filters;
};

// formatter.NewContainerFormat.
std::string container_format(const std::string& source, bool quiet, bool size) {
  if (source == "table" || source.empty()) {
    if (quiet) return "{{.ID}}";
    return std::string(kDefaultTable) + (size ? "\t{{.Size}}" : "");
  }
  if (source == "raw") {
    if (quiet) return "container_id: {{.ID}}";
    std::string f =
        "container_id: {{.ID}}\nimage: {{.Image}}\ncommand: {{.Command}}\ncreated_at: "
        "{{.CreatedAt}}\nstate: {{- pad .State 1 0}}\nstatus: {{- pad .Status 1 0}}\nnames: "
        "{{.Names}}\nlabels: {{- pad .Labels 1 0}}\nports: {{- pad .Ports 1 0}}\n";
    if (size) f += "size: {{.Size}}\\n";
    return f;
  }
  return quiet ? "{{.ID}}" : source;
}

Result<int> run_ps(Invocation& inv, PsOptions& o) {
  Cli& cli = inv.cli;
  std::string format = o.format;
  if (format.empty()) {
    format = cli.config().ps_format();
  } else if (o.quiet) {
    cli.err("WARNING: Ignoring custom format, because both --format and --quiet are set.\n");
  }
  client::ContainerListOptions lo;
  lo.all = o.all;
  lo.limit = o.last;
  lo.size = o.size;
  lo.filters = o.filters;
  if (o.latest && o.last == -1) lo.limit = 1;
  if (!format.empty()) {
    auto parsed = tmpl::Template::parse(format);
    if (!parsed.ok()) {
      return Error(ErrorCode::kInvalidArgument, "failed to parse template: " + parsed.error().message());
    }
    // docker runs the template once to see whether it uses .Size, and asks for sizes if so.
    if (!o.quiet && !lo.size && !inv.command.flags().changed("size") &&
        format.find(".Size") != std::string::npos) {
      lo.size = true;
    }
  }
  client::Client& c = *TRY(cli.client());
  Json list = TRY(client::container_list(c, lo));
  std::vector<ListRow> rows;
  if (list.is_array()) {
    for (const auto& item : list) rows.push_back(container_row(item, !o.no_trunc));
  }
  return print_list(cli, container_format(format, o.quiet, lo.size), container_header(), rows);
}

}  // namespace

std::unique_ptr<Command> new_ps_command(bool top_level) {
  auto cmd = new_command(top_level ? "ps [OPTIONS]" : "ls [OPTIONS]", "List containers",
                         "berth container ls, berth container list, berth container ps, berth ps");
  if (top_level) {
    cmd->top_order = 3;
  } else {
    cmd->aliases = {"ps", "list"};
  }
  cmd->set_args(ArgRule::kNone);
  auto o = std::make_shared<PsOptions>();
  FlagSet& f = cmd->flags();
  f.add_bool("quiet", "q", &o->quiet, false, "Only display container IDs");
  f.add_bool("size", "s", &o->size, false, "Display total file sizes");
  f.add_bool("all", "a", &o->all, false, "Show all containers (default shows just running)");
  f.add_bool("no-trunc", "", &o->no_trunc, false, "Don't truncate output");
  f.add_bool("latest", "l", &o->latest, false,
             "Show the latest created container (includes all states)");
  f.add_int("last", "n", &o->last, -1, "Show n last created containers (includes all states)");
  f.add_string("format", "", &o->format, "", kFormatHelp);
  f.add("filter", "f", "Filter output based on conditions provided",
        std::make_shared<CustomValue>(
            "filter", [o](std::string_view v) { return o->filters.parse_flag(v); }, nullptr));
  cmd->set_run([o](Invocation& inv) { return run_ps(inv, *o); });
  return cmd;
}

}  // namespace berth::cli
