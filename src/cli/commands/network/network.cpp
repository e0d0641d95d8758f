// network create/ls/inspect/rm/prune/connect/disconnect (cli/command/network).
#include <algorithm>

#include <fmt/format.h>

#include "base/strings.h"
#include "cli/commands/common.h"
#include "cli/commands/registry.h"
#include "cli/format/natural_sort.h"
#include "cli/format/units.h"
#include "cli/opts/cidr.h"
#include "cli/opts/validators.h"
#include "client/api_error.h"
#include "client/networks.h"

namespace berth::cli {
namespace {

struct CreateOptions {
  std::string driver;
  std::map<std::string, std::string> driver_opts;
  std::vector<std::string> labels;
  bool internal = false;
  bool ipv4 = true;
  bool ipv6 = false;
  bool attachable = false;
  bool ingress = false;
  std::string scope;
  bool config_only = false;
  std::string config_from;
  std::string ipam_driver;
  std::vector<std::string> subnets;
  std::vector<std::string> ip_ranges;
  std::vector<std::string> gateways;
  std::map<std::string, std::string> aux_addresses;
  std::map<std::string, std::string> ipam_opts;
};

// createIPAMConfig.
Result<OrderedJson> ipam_config(const CreateOptions& o) {
  auto invalid = [](std::string m) { return Error(ErrorCode::kInvalidArgument, std::move(m)); };
  if (o.subnets.size() < o.ip_ranges.size() || o.subnets.size() < o.gateways.size()) {
    return invalid("every ip-range or gateway must have a corresponding subnet");
  }
  struct Config {
    std::string subnet, range, gateway;
    std::map<std::string, std::string> aux;
  };
  std::vector<Config> configs;
  for (const auto& s : o.subnets) {
    for (const auto& c : configs) {
      bool a = TRY(subnet_matches(s, c.subnet));
      bool b = TRY(subnet_matches(c.subnet, s));
      if (a || b) return invalid("multiple overlapping subnet configuration is not supported");
    }
    configs.push_back({s, "", "", {}});
  }
  for (const auto& r : o.ip_ranges) {
    bool match = false;
    for (auto& c : configs) {
      TRY(parse_cidr(r));
      if (!TRY(subnet_matches(c.subnet, r))) continue;
      if (!c.range.empty()) {
        return invalid(fmt::format("cannot configure multiple ranges ({}, {}) on the same subnet ({})",
                                   r, c.range, c.subnet));
      }
      c.range = r;
      match = true;
    }
    if (!match) return invalid(fmt::format("no matching subnet for range {}", r));
  }
  for (const auto& g : o.gateways) {
    bool match = false;
    for (auto& c : configs) {
      if (!TRY(subnet_matches(c.subnet, g))) continue;
      if (!c.gateway.empty()) {
        return invalid(fmt::format(
            "cannot configure multiple gateways ({}, {}) for the same subnet ({})", g, c.gateway,
            c.subnet));
      }
      c.gateway = g;
      match = true;
    }
    if (!match) return invalid(fmt::format("no matching subnet for gateway {}", g));
  }
  for (const auto& [key, addr] : o.aux_addresses) {
    bool match = false;
    for (auto& c : configs) {
      if (!TRY(subnet_matches(c.subnet, addr))) continue;
      c.aux[key] = addr;
      match = true;
    }
    if (!match) return invalid(fmt::format("no matching subnet for aux-address {}", addr));
  }
  OrderedJson list = OrderedJson::array();
  for (const auto& c : configs) {
    OrderedJson j = OrderedJson::object();
    j["Subnet"] = c.subnet;
    if (!c.range.empty()) j["IPRange"] = c.range;
    if (!c.gateway.empty()) j["Gateway"] = c.gateway;
    if (!c.aux.empty()) {
      OrderedJson aux = OrderedJson::object();
      for (const auto& [k, v] : c.aux) aux[k] = v;
      j["AuxiliaryAddresses"] = aux;
    }
    list.push_back(j);
  }
  OrderedJson opts = OrderedJson::object();
  for (const auto& [k, v] : o.ipam_opts) opts[k] = v;
  OrderedJson ipam = OrderedJson::object();
  ipam["Driver"] = o.ipam_driver;
  ipam["Options"] = opts;
  ipam["Config"] = list;
  return ipam;
}

std::unique_ptr<Command> create_command() {
  auto cmd = new_command("create [OPTIONS] NETWORK", "Create a network");
  cmd->set_args(ArgRule::kExact, 1);
  auto o = std::make_shared<CreateOptions>();
  FlagSet& f = cmd->flags();
  f.add_string("driver", "d", &o->driver, "bridge", "Driver to manage the Network");
  f.add_map("opt", "o", &o->driver_opts, "Set driver specific options");
  f.add_list("label", "", &o->labels, "Set metadata on a network", validate_label);
  f.add_bool("internal", "", &o->internal, false, "Restrict external access to the network");
  f.add_bool("ipv4", "", &o->ipv4, true, "Enable or disable IPv4 address assignment");
  f.add_bool("ipv6", "", &o->ipv6, false, "Enable or disable IPv6 address assignment");
  f.add_bool("attachable", "", &o->attachable, false, "Enable manual container attachment");
  f.add_bool("ingress", "", &o->ingress, false, "Create swarm routing-mesh network");
  f.add_string("scope", "", &o->scope, "", "Control the network's scope");
  f.add_bool("config-only", "", &o->config_only, false, "Create a configuration only network");
  f.add_string("config-from", "", &o->config_from, "",
               "The network from which to copy the configuration");
  f.add_string("ipam-driver", "", &o->ipam_driver, "default", "IP Address Management Driver");
  f.add_strings("subnet", "", &o->subnets,
                "Subnet in CIDR format that represents a network segment");
  f.add_strings("ip-range", "", &o->ip_ranges, "Allocate container ip from a sub-range");
  f.add_strings("gateway", "", &o->gateways, "IPv4 or IPv6 Gateway for the master subnet");
  f.add_map("aux-address", "", &o->aux_addresses,
            "Auxiliary IPv4 or IPv6 addresses used by Network driver");
  f.add_map("ipam-opt", "", &o->ipam_opts, "Set IPAM driver specific options");
  cmd->set_run([o](Invocation& inv) -> Result<int> {
    OrderedJson ipam = TRY(ipam_config(*o));
    std::map<std::string, std::string> labels;
    for (const auto& l : o->labels) {
      auto [k, v] = split_once(l, '=');
      labels[std::string(k)] = std::string(v);
    }
    // network.CreateRequest in Go's field order.
    OrderedJson body = OrderedJson::object();
    body["Driver"] = o->driver;
    body["Scope"] = o->scope;
    if (inv.command.flags().changed("ipv4")) body["EnableIPv4"] = o->ipv4;
    if (inv.command.flags().changed("ipv6")) body["EnableIPv6"] = o->ipv6;
    body["IPAM"] = ipam;
    body["Internal"] = o->internal;
    body["Attachable"] = o->attachable;
    body["Ingress"] = o->ingress;
    body["ConfigOnly"] = o->config_only;
    body["ConfigFrom"] = o->config_from.empty() ? OrderedJson(nullptr)
                                                : OrderedJson::object({{"Network", o->config_from}});
    OrderedJson opts = OrderedJson::object();
    for (const auto& [k, v] : o->driver_opts) opts[k] = v;
    body["Options"] = opts;
    OrderedJson label_json = OrderedJson::object();
    for (const auto& [k, v] : labels) label_json[k] = v;
    body["Labels"] = label_json;
    body["Name"] = inv.args[0];
    client::Client& c = *TRY(inv.cli.client());
    http::Headers h;
    h.set("Content-Type", "application/json");
    http::Response r = TRY(c.call("POST", "/networks/create", {}, body.dump(), h));
    Json resp = TRY(parse_json(r.body, "network create response"));
    inv.cli.out(resp.value("Id", "") + "\n");
    return 0;
  });
  return cmd;
}

std::unique_ptr<Command> ls_command() {
  auto cmd = new_command("ls [OPTIONS]", "List networks", "berth network ls, berth network list");
  cmd->aliases = {"list"};
  cmd->set_args(ArgRule::kNone);
  struct Options {
    bool quiet = false, no_trunc = false;
    std::string format;
    client::Filters filters;
  };
  auto o = std::make_shared<Options>();
  FlagSet& f = cmd->flags();
  f.add_bool("quiet", "q", &o->quiet, false, "Only display network IDs");
  f.add_bool("no-trunc", "", &o->no_trunc, false, "Do not truncate the output");
  f.add_string("format", "", &o->format, "", kFormatHelp);
  f.add("filter", "f", "Provide filter values (e.g. \"driver=bridge\")",
        std::make_shared<CustomValue>(
            "filter", [o](std::string_view v) { return o->filters.parse_flag(v); }, nullptr));
  cmd->set_run([o](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    client::Client& c = *TRY(cli.client());
    Json list = TRY(client::network_list(c, o->filters));
    std::string format = o->format;
    if (format.empty()) {
      std::string configured = cli.config().string_field("networksFormat");
      format = !configured.empty() && !o->quiet ? configured : "table";
    }
    if (format == "table") {
      format = o->quiet ? "{{.ID}}" : "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}";
    } else if (format == "raw") {
      format = o->quiet ? "network_id: {{.ID}}"
                        : "network_id: {{.ID}}\\nname: {{.Name}}\\ndriver: {{.Driver}}\\nscope: "
                          "{{.Scope}}\\n";
    }
    std::vector<Json> nets(list.begin(), list.end());
    std::stable_sort(nets.begin(), nets.end(), [](const Json& a, const Json& b) {
      return natural_less(a.value("Name", ""), b.value("Name", ""));
    });
    std::vector<ListRow> rows;
    for (const auto& n : nets) {
      ListRow row;
      std::string id = n.value("Id", "");
      row.fields["ID"] = !o->no_trunc ? truncate_id(id) : id;
      row.fields["Name"] = n.value("Name", "");
      row.fields["Driver"] = n.value("Driver", "");
      row.fields["Scope"] = n.value("Scope", "");
      row.fields["IPv4"] = n.value("EnableIPv4", false) ? "true" : "false";
      row.fields["IPv6"] = n.value("EnableIPv6", false) ? "true" : "false";
      row.fields["Internal"] = n.value("Internal", false) ? "true" : "false";
      std::vector<std::string> labels;
      if (n.contains("Labels") && n["Labels"].is_object()) {
        for (const auto& [k, v] : n["Labels"].items()) {
          labels.push_back(k + "=" + v.get<std::string>());
          row.labels[k] = v.get<std::string>();
        }
      }
      row.fields["Labels"] = join(labels, ",");
      row.fields["CreatedAt"] = go_time_string_rfc3339(n.value("Created", ""));
      rows.push_back(std::move(row));
    }
    Json header{{"ID", "NETWORK ID"}, {"Name", "NAME"},       {"Driver", "DRIVER"},
                {"Scope", "SCOPE"},   {"IPv4", "IPV4"},       {"IPv6", "IPV6"},
                {"Internal", "INTERNAL"}, {"Labels", "LABELS"}, {"CreatedAt", "CREATED AT"}};
    return print_list(cli, format, header, rows);
  });
  return cmd;
}

std::unique_ptr<Command> inspect_command() {
  auto cmd = new_command("inspect [OPTIONS] NETWORK [NETWORK...]",
                         "Display detailed information on one or more networks");
  cmd->set_args(ArgRule::kMin, 1);
  struct Options {
    std::string format;
    bool verbose = false;
  };
  auto o = std::make_shared<Options>();
  cmd->flags().add_string("format", "f", &o->format, "", kInspectFormatHelp);
  cmd->flags().add_bool("verbose", "v", &o->verbose, false, "Verbose output for diagnostics");
  cmd->set_run([o](Invocation& inv) -> Result<int> {
    client::Client& c = *TRY(inv.cli.client());
    return inspect_each(inv.cli, inv.args, o->format, [&](const std::string& ref) {
      return client::network_inspect_raw(c, ref);
    });
  });
  return cmd;
}

std::unique_ptr<Command> rm_command() {
  auto cmd = new_command("rm NETWORK [NETWORK...]", "Remove one or more networks",
                         "berth network rm, berth network remove");
  cmd->aliases = {"remove"};
  cmd->set_args(ArgRule::kMin, 1);
  auto force = std::make_shared<bool>(false);
  cmd->flags().add_bool("force", "f", force.get(), false, "Do not error if the network does not exist");
  cmd->set_run([force](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    client::Client& c = *TRY(cli.client());
    int status = 0;
    for (const auto& name : inv.args) {
      Status st = client::network_remove(c, name);
      if (!st.ok()) {
        if (*force && client::is_not_found(st.error())) continue;
        cli.err(st.error().message() + "\n");
        status = 1;
        continue;
      }
      cli.out(name + "\n");
    }
    if (status != 0) return cli.fail("exit status 1", 1);
    return 0;
  });
  return cmd;
}

std::unique_ptr<Command> prune_command() {
  auto cmd = new_command("prune [OPTIONS]", "Remove all unused networks");
  cmd->set_args(ArgRule::kNone);
  struct Options {
    bool force = false;
    client::Filters filters;
  };
  auto o = std::make_shared<Options>();
  cmd->flags().add_bool("force", "f", &o->force, false, "Do not prompt for confirmation");
  cmd->flags().add("filter", "", "Provide filter values (e.g. \"until=<timestamp>\")",
                   std::make_shared<CustomValue>(
                       "filter", [o](std::string_view v) { return o->filters.parse_flag(v); },
                       nullptr));
  cmd->set_run([o](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    if (!o->force && !confirm(cli, "WARNING! This will remove all custom networks not used by at "
                                   "least one container.\nAre you sure you want to continue?")) {
      return 0;
    }
    client::Client& c = *TRY(cli.client());
    Json report = TRY(client::network_prune(c, o->filters));
    const Json deleted = report.is_object() ? report.value("NetworksDeleted", Json()) : Json();
    if (deleted.is_array() && !deleted.empty()) {
      std::string out = "Deleted Networks:\n";
      for (const auto& id : deleted) out += id.get<std::string>() + "\n";
      cli.out(out + "\n");
    }
    return 0;
  });
  return cmd;
}

std::unique_ptr<Command> connect_command() {
  auto cmd = new_command("connect [OPTIONS] NETWORK CONTAINER", "Connect a container to a network");
  cmd->set_args(ArgRule::kExact, 2);
  struct Options {
    std::string ip, ip6;
    std::vector<std::string> links, aliases, link_local_ips, driver_opts;
    int64_t gw_priority = 0;
  };
  auto o = std::make_shared<Options>();
  FlagSet& f = cmd->flags();
  f.add_string("ip", "", &o->ip, "", "IPv4 address (e.g., \"172.30.100.104\")");
  f.add_string("ip6", "", &o->ip6, "", "IPv6 address (e.g., \"2001:db8::33\")");
  f.add_list("link", "", &o->links, "Add link to another container", validate_link);
  f.add_strings("alias", "", &o->aliases, "Add network-scoped alias for the container");
  f.add_strings("link-local-ip", "", &o->link_local_ips, "Add a link-local address for the container");
  f.add_strings("driver-opt", "", &o->driver_opts, "driver options for the network");
  f.add_int("gw-priority", "", &o->gw_priority, 0,
            "Highest gw-priority provides the default gateway. Accepts positive and negative "
            "values.");
  cmd->set_run([o](Invocation& inv) -> Result<int> {
    Json driver_opts = Json::object();
    for (const auto& opt : o->driver_opts) {
      bool ok = false;
      auto [k, v] = split_once(opt, '=', &ok);
      std::string key(trim(k));
      if (!ok || key.empty()) {
        return Error(ErrorCode::kInvalidArgument, "invalid key/value pair format in driver options");
      }
      driver_opts[key] = std::string(trim(v));
    }
    Json ipam = Json::object();
    if (!o->ip.empty()) ipam["IPv4Address"] = o->ip;
    if (!o->ip6.empty()) ipam["IPv6Address"] = o->ip6;
    if (!o->link_local_ips.empty()) ipam["LinkLocalIPs"] = o->link_local_ips;
    Json ep = {{"IPAMConfig", ipam},
               {"Links", o->links.empty() ? Json(nullptr) : Json(o->links)},
               {"Aliases", o->aliases.empty() ? Json(nullptr) : Json(o->aliases)},
               {"DriverOpts", driver_opts},
               {"GwPriority", o->gw_priority}};
    client::Client& c = *TRY(inv.cli.client());
    TRY(client::network_connect(c, inv.args[0], inv.args[1], ep));
    return 0;
  });
  return cmd;
}

std::unique_ptr<Command> disconnect_command() {
  auto cmd = new_command("disconnect [OPTIONS] NETWORK CONTAINER",
                         "Disconnect a container from a network");
  cmd->set_args(ArgRule::kExact, 2);
  auto force = std::make_shared<bool>(false);
  cmd->flags().add_bool("force", "f", force.get(), false,
                        "Force the container to disconnect from a network");
  cmd->set_run([force](Invocation& inv) -> Result<int> {
    client::Client& c = *TRY(inv.cli.client());
    TRY(client::network_disconnect(c, inv.args[0], inv.args[1], *force));
    return 0;
  });
  return cmd;
}

}  // namespace

std::unique_ptr<Command> new_network_command() {
  auto g = new_group("network", "Manage networks");
  g->add(connect_command());
  g->add(create_command());
  g->add(disconnect_command());
  g->add(inspect_command());
  g->add(ls_command());
  g->add(prune_command());
  g->add(rm_command());
  return g;
}

}  // namespace berth::cli
