// volume create/ls/inspect/rm/prune (cli/command/volume).
#include <algorithm>

#include "base/strings.h"
#include "cli/commands/common.h"
#include "cli/commands/registry.h"
#include "cli/format/natural_sort.h"
#include "cli/format/units.h"
#include "cli/opts/validators.h"
#include "client/volumes.h"
#include "http/api_version.h"

namespace berth::cli {
namespace {

std::unique_ptr<Command> create_command() {
  auto cmd = new_command("create [OPTIONS] [VOLUME]", "Create a volume");
  cmd->set_args(ArgRule::kMax, 1);
  struct Options {
    std::string name, driver;
    std::map<std::string, std::string> driver_opts;
    std::vector<std::string> labels;
    // Cluster volume flags, accepted for compatibility; berth has no swarm.
    std::string group, scope, sharing, availability, access_type;
    int64_t required_bytes = 0, limit_bytes = 0;
    std::map<std::string, std::string> secrets;
    std::vector<std::string> topology_required, topology_preferred;
  };
  auto o = std::make_shared<Options>();
  FlagSet& f = cmd->flags();
  f.add_string("driver", "d", &o->driver, "local", "Specify volume driver name");
  f.add_string("name", "", &o->name, "", "Specify volume name").hidden = true;
  f.add_list("label", "", &o->labels, "Set metadata for a volume", validate_label);
  f.add_map("opt", "o", &o->driver_opts, "Set driver specific options");
  f.add_string("group", "", &o->group, "", "Cluster Volume group (cluster volumes)");
  f.add_string("scope", "", &o->scope, "single",
               "Cluster Volume access scope (\"single\", \"multi\")");
  f.add_string("sharing", "", &o->sharing, "none",
               "Cluster Volume access sharing (\"none\", \"readonly\", \"onewriter\", \"all\")");
  f.add_string("availability", "", &o->availability, "active",
               "Cluster Volume availability (\"active\", \"pause\", \"drain\")");
  f.add_string("type", "", &o->access_type, "block",
               "Cluster Volume access type (\"mount\", \"block\")");
  auto bytes = [](int64_t* target) {
    return std::make_shared<ParsedIntValue>(
        target, "bytes", [](std::string_view t) { return ram_in_bytes(t); },
        [](int64_t v) { return v != 0 ? bytes_size(static_cast<double>(v)) : "0"; });
  };
  f.add("required-bytes", "", "Maximum size of the Cluster Volume in bytes", bytes(&o->required_bytes));
  f.add("limit-bytes", "", "Minimum size of the Cluster Volume in bytes", bytes(&o->limit_bytes));
  f.add_map("secret", "", &o->secrets, "Cluster Volume secrets");
  f.add_list("topology-preferred", "", &o->topology_preferred,
             "A topology that the Cluster Volume would be preferred in");
  f.add_list("topology-required", "", &o->topology_required,
             "A topology that the Cluster Volume must be accessible from");
  cmd->set_run([o](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    std::string name = o->name;
    if (!inv.args.empty()) {
      if (!name.empty() && name != inv.args[0]) {
        return make_error(ErrorCode::kInvalidArgument,
                          "conflicting options: cannot specify a volume-name through both --name "
                          "and as a positional arg");
      }
      name = inv.args[0];
    }
    for (const char* cluster_flag : {"group", "scope", "sharing", "availability", "type",
                                     "required-bytes", "limit-bytes", "secret",
                                     "topology-preferred", "topology-required"}) {
      if (inv.command.flags().changed(cluster_flag)) {
        return Error(ErrorCode::kUnimplemented, "cluster volumes are not supported by berth");
      }
    }
    Json labels = Json::object();
    for (const auto& l : o->labels) {
      auto [k, v] = split_once(l, '=');
      labels[std::string(k)] = std::string(v);
    }
    Json opts = Json::object();
    for (const auto& [k, v] : o->driver_opts) opts[k] = v;
    Json body = {{"Driver", o->driver}, {"DriverOpts", opts}, {"Labels", labels}, {"Name", name}};
    client::Client& c = *TRY(cli.client());
    Json vol = TRY(client::volume_create(c, body));
    cli.out(vol.value("Name", "") + "\n");
    return 0;
  });
  return cmd;
}

std::unique_ptr<Command> ls_command() {
  auto cmd = new_command("ls [OPTIONS]", "List volumes", "berth volume ls, berth volume list");
  cmd->aliases = {"list"};
  cmd->set_args(ArgRule::kNone);
  struct Options {
    bool quiet = false, cluster = false;
    std::string format;
    client::Filters filters;
  };
  auto o = std::make_shared<Options>();
  FlagSet& f = cmd->flags();
  f.add_bool("quiet", "q", &o->quiet, false, "Only display volume names");
  f.add_string("format", "", &o->format, "", kFormatHelp);
  f.add("filter", "f", "Provide filter values (e.g. \"dangling=true\")",
        std::make_shared<CustomValue>(
            "filter", [o](std::string_view v) { return o->filters.parse_flag(v); }, nullptr));
  f.add_bool("cluster", "", &o->cluster, false,
             "Display only cluster volumes, and use cluster volume list formatting");
  cmd->set_run([o](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    client::Client& c = *TRY(cli.client());
    Json resp = TRY(client::volume_list(c, o->filters));
    Json volumes = resp.is_object() ? resp.value("Volumes", Json::array()) : Json::array();
    if (volumes.is_null()) volumes = Json::array();
    std::string format = o->format;
    if (o->cluster) {
      volumes = Json::array();  // no cluster volumes without swarm
      format = o->quiet ? "table"
                        : "table {{.Name}}\t{{.Group}}\t{{.Driver}}\t{{.Availability}}\t{{.Status}}";
    } else if (format.empty()) {
      std::string configured = cli.config().string_field("volumesFormat");
      format = !configured.empty() && !o->quiet ? configured : "table";
    }
    if (format == "table") {
      format = o->quiet ? "{{.Name}}" : "table {{.Driver}}\t{{.Name}}";
    } else if (format == "raw") {
      format = o->quiet ? "name: {{.Name}}" : "name: {{.Name}}\\ndriver: {{.Driver}}\\n";
    }
    std::vector<Json> vols(volumes.begin(), volumes.end());
    std::stable_sort(vols.begin(), vols.end(), [](const Json& a, const Json& b) {
      return natural_less(a.value("Name", ""), b.value("Name", ""));
    });
    std::vector<ListRow> rows;
    for (const auto& v : vols) {
      ListRow row;
      row.fields["Name"] = v.value("Name", "");
      row.fields["Driver"] = v.value("Driver", "");
      row.fields["Scope"] = v.value("Scope", "");
      row.fields["Mountpoint"] = v.value("Mountpoint", "");
      std::vector<std::string> labels;
      if (v.contains("Labels") && v["Labels"].is_object()) {
        for (const auto& [k, val] : v["Labels"].items()) {
          labels.push_back(k + "=" + val.get<std::string>());
          row.labels[k] = val.get<std::string>();
        }
      }
      row.fields["Labels"] = join(labels, ",");
      const Json usage = v.value("UsageData", Json());
      row.fields["Links"] = usage.is_object() ? std::to_string(usage.value("RefCount", int64_t{0})) : "N/A";
      row.fields["Size"] = usage.is_object()
                               ? human_size(static_cast<double>(usage.value("Size", int64_t{0})))
                               : "N/A";
      // Cluster volume fields: berth has no swarm, so none are cluster volumes.
      row.fields["Group"] = "N/A";
      row.fields["Availability"] = "N/A";
      row.fields["Status"] = "N/A";
      rows.push_back(std::move(row));
    }
    Json header{{"ID", "ID"},          {"Name", "VOLUME NAME"},       {"Group", "GROUP"},
                {"Driver", "DRIVER"},  {"Scope", "SCOPE"},            {"Availability", "AVAILABILITY"},
                {"Mountpoint", "MOUNTPOINT"}, {"Labels", "LABELS"},   {"Links", "LINKS"},
                {"Size", "SIZE"},      {"Status", "STATUS"}};
    return print_list(cli, format, header, rows);
  });
  return cmd;
}

std::unique_ptr<Command> inspect_command() {
  auto cmd = new_command("inspect [OPTIONS] VOLUME [VOLUME...]",
                         "Display detailed information on one or more volumes");
  cmd->set_args(ArgRule::kMin, 1);
  auto format = std::make_shared<std::string>();
  cmd->flags().add_string("format", "f", format.get(), "", kInspectFormatHelp);
  cmd->set_run([format](Invocation& inv) -> Result<int> {
    client::Client& c = *TRY(inv.cli.client());
    return inspect_each(inv.cli, inv.args, *format, [&](const std::string& ref) -> Result<std::string> {
      // docker prints its decoded volume.Volume, not the raw answer: fields in the struct's
      // (alphabetical) order, Options always present.
      Json v = TRY(client::volume_inspect(c, ref));
      if (v.is_object() && !v.contains("Options")) v["Options"] = nullptr;
      return v.dump();
    });
  });
  return cmd;
}

std::unique_ptr<Command> rm_command() {
  auto cmd = new_command(
      "rm [OPTIONS] VOLUME [VOLUME...]", "Remove one or more volumes",
      "berth volume rm, berth volume remove");
  cmd->long_help =
      "Remove one or more volumes. You cannot remove a volume that is in use by a container.";
  cmd->aliases = {"remove"};
  cmd->set_args(ArgRule::kMin, 1);
  auto force = std::make_shared<bool>(false);
  cmd->flags().add_bool("force", "f", force.get(), false, "Force the removal of one or more volumes");
  cmd->set_run([force](Invocation& inv) -> Result<int> {
    client::Client& c = *TRY(inv.cli.client());
    return run_each(inv.cli, inv.args,
                    [&](const std::string& name) { return client::volume_remove(c, name, *force); });
  });
  return cmd;
}

std::unique_ptr<Command> prune_command() {
  auto cmd = new_command("prune [OPTIONS]", "Remove unused local volumes");
  cmd->set_args(ArgRule::kNone);
  struct Options {
    bool all = false, force = false;
    client::Filters filters;
  };
  auto o = std::make_shared<Options>();
  FlagSet& f = cmd->flags();
  f.add_bool("all", "a", &o->all, false, "Remove all unused volumes, not just anonymous ones");
  f.add("filter", "", "Provide filter values (e.g. \"label=<label>\")",
        std::make_shared<CustomValue>(
            "filter", [o](std::string_view v) { return o->filters.parse_flag(v); }, nullptr));
  f.add_bool("force", "f", &o->force, false, "Do not prompt for confirmation");
  cmd->set_run([o](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    client::Client& c = *TRY(cli.client());
    client::Filters filters = o->filters;
    std::string warning =
        "WARNING! This will remove anonymous local volumes not used by at least one "
        "container.\nAre you sure you want to continue?";
    const std::string all_warning =
        "WARNING! This will remove all local volumes not used by at least one container.\nAre "
        "you sure you want to continue?";
    if (http::compare_api_versions(c.api_version(), "1.42") >= 0) {
      if (o->all) {
        if (filters.contains("all")) {
          return Error(ErrorCode::kInvalidArgument,
                       "conflicting options: cannot specify both --all and --filter all=1");
        }
        filters.add("all", "true");
        warning = all_warning;
      }
    } else {
      warning = all_warning;
    }
    if (!o->force && !confirm(cli, warning)) return 0;
    Json report = TRY(client::volume_prune(c, filters));
    uint64_t reclaimed = 0;
    const Json deleted = report.is_object() ? report.value("VolumesDeleted", Json()) : Json();
    if (deleted.is_array() && !deleted.empty()) {
      std::string out = "Deleted Volumes:\n";
      for (const auto& id : deleted) out += id.get<std::string>() + "\n";
      cli.out(out + "\n");
      reclaimed = report.value("SpaceReclaimed", uint64_t{0});
    }
    cli.out("Total reclaimed space: " + human_size(static_cast<double>(reclaimed)) + "\n");
    return 0;
  });
  return cmd;
}

}  // namespace

std::unique_ptr<Command> new_volume_command() {
  auto g = new_group("volume", "Manage volumes");
  g->add(create_command());
  g->add(inspect_command());
  g->add(ls_command());
  g->add(prune_command());
  g->add(rm_command());
  return g;
}

}  // namespace berth::cli
