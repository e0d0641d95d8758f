// version and info (cli/command/system/version.go, info.go).
#include <ctime>

#include <fmt/format.h>

#include "base/strings.h"
#include "base/time_format.h"
#include "cli/commands/common.h"
#include "cli/commands/registry.h"
#include "cli/format/units.h"
#include "client/client.h"
#include "client/system.h"
#include "template/tabwriter.h"
#include "template/template.h"

namespace berth::cli {
namespace {

constexpr const char* kVersionTemplate =
    "{{with .Client -}}\n"
    "Client:{{if ne .Platform nil}}{{if ne .Platform.Name \"\"}} {{.Platform.Name}}{{end}}{{end}}\n"
    " Version:\t{{.Version}}\n"
    " API version:\t{{.APIVersion}}{{if ne .APIVersion .DefaultAPIVersion}} (downgraded from "
    "{{.DefaultAPIVersion}}){{end}}\n"
    " Go version:\t{{.GoVersion}}\n"
    " Git commit:\t{{.GitCommit}}\n"
    " Built:\t{{.BuildTime}}\n"
    " OS/Arch:\t{{.Os}}/{{.Arch}}\n"
    " Context:\t{{.Context}}\n"
    "{{- end}}\n"
    "\n"
    "{{- if ne .Server nil}}{{with .Server}}\n"
    "\n"
    "Server:{{if ne .Platform.Name \"\"}} {{.Platform.Name}}{{end}}\n"
    " {{- range $component := .Components}}\n"
    " {{$component.Name}}:\n"
    "  {{- if eq $component.Name \"Engine\" }}\n"
    "  Version:\t{{.Version}}\n"
    "  API version:\t{{index .Details \"ApiVersion\"}} (minimum version {{index .Details "
    "\"MinAPIVersion\"}})\n"
    "  Go version:\t{{index .Details \"GoVersion\"}}\n"
    "  Git commit:\t{{index .Details \"GitCommit\"}}\n"
    "  Built:\t{{index .Details \"BuildTime\"}}\n"
    "  OS/Arch:\t{{index .Details \"Os\"}}/{{index .Details \"Arch\"}}\n"
    "  Experimental:\t{{index .Details \"Experimental\"}}\n"
    "  {{- else }}\n"
    "  Version:\t{{$component.Version}}\n"
    "  {{- range $key, $value := $component.Details}}\n"
    "  {{$key}}:\t{{index $component.Details $key}}\n"
    "   {{- end}}\n"
    "  {{- end}}\n"
    " {{- end}}\n"
    " {{- end}}{{- end}}";

// reformatDate: RFC 3339 → time.ANSIC in the local zone.
std::string reformat_date(const std::string& text) {
  auto ns = parse_rfc3339_ns(text);
  if (!ns.ok()) return text;
  time_t t = static_cast<time_t>(*ns / 1000000000);
  struct tm tm {};
  localtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof(buf), "%a %b %e %H:%M:%S %Y", &tm);
  return buf;
}

Json client_version(Cli& cli, const std::string& api_version) {
  Json c = Json::object();
  c["Platform"] = {{"Name", "Berth"}};
  c["Version"] = BERTH_VERSION;
  c["APIVersion"] = api_version;
  c["ApiVersion"] = api_version;
  c["DefaultAPIVersion"] = std::string(client::kMaxApiVersion);
  c["GitCommit"] = "berth";
  c["GoVersion"] = "n/a";
  c["Os"] = "linux";
#if defined(__aarch64__)
  c["Arch"] = "arm64";
#else
  c["Arch"] = "amd64";
#endif
  c["BuildTime"] = std::string(__DATE__) + " " + __TIME__;
  c["Context"] = cli.options().context.empty() ? "default" : cli.options().context;
  return c;
}

}  // namespace

std::unique_ptr<Command> new_version_command() {
  auto cmd = new_command("version [OPTIONS]", "Show the Berth version information");
  cmd->top_order = 11;
  cmd->set_args(ArgRule::kNone);
  auto format = std::make_shared<std::string>();
  cmd->flags().add_string("format", "f", format.get(), "",
                          "Format output using a custom template:\n"
                          "'json':             Print in JSON format\n"
                          "'TEMPLATE':         Print output using the given Go template.\n"
                          "Refer to https://docs.docker.com/go/formatting/ for more information "
                          "about formatting output with templates");
  cmd->set_run([format](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    std::string text = format->empty() ? kVersionTemplate
                       : *format == "json" ? "{{json .}}"
                                           : tmpl::expand_format_escapes(*format);
    auto t = tmpl::Template::parse(text);
    if (!t.ok()) return cli.fail("template parsing error: " + t.error().message(), 64);
    Json data = Json::object();
    auto client = cli.client();
    std::string api_version(client::kMaxApiVersion);
    std::optional<Error> server_error;
    if (client.ok()) {
      api_version = (*client)->api_version();
      auto sv = client::system_version(**client);
      if (sv.ok()) {
        Json server = *sv;
        if (!server.contains("Platform")) server["Platform"] = {{"Name", ""}};
        bool found = false;
        if (server.contains("Components") && server["Components"].is_array()) {
          for (auto& comp : server["Components"]) {
            if (comp.value("Name", "") != "Engine") continue;
            found = true;
            if (comp.contains("Details") && comp["Details"].contains("BuildTime")) {
              comp["Details"]["BuildTime"] = reformat_date(comp["Details"]["BuildTime"].get<std::string>());
            }
          }
        } else {
          server["Components"] = Json::array();
        }
        if (!found) {
          server["Components"].push_back(
              {{"Name", "Engine"},
               {"Version", server.value("Version", "")},
               {"Details",
                {{"ApiVersion", server.value("ApiVersion", "")},
                 {"MinAPIVersion", server.value("MinAPIVersion", "")},
                 {"GitCommit", server.value("GitCommit", "")},
                 {"GoVersion", server.value("GoVersion", "")},
                 {"Os", server.value("Os", "")},
                 {"Arch", server.value("Arch", "")},
                 {"BuildTime", reformat_date(server.value("BuildTime", ""))},
                 {"Experimental", server.value("Experimental", false) ? "true" : "false"}}}});
        }
        // Go's field name for templates ({{.Server.APIVersion}}) beside the JSON one.
        if (server.contains("ApiVersion")) server["APIVersion"] = server["ApiVersion"];
        data["Server"] = server;
      } else {
        server_error = sv.error();
      }
    } else {
      server_error = client.error();
    }
    data["Client"] = client_version(cli, api_version);
    if (!data.contains("Server")) data["Server"] = nullptr;
    auto rendered = t->execute(data);
    std::string out = rendered.ok() ? *rendered : "";
    cli.out(tmpl::tabwrite(out + "\n", tmpl::TabwriterOptions{20, 1, 1, ' ', 0}));
    if (server_error) return cli.fail(server_error->message(), 1);
    if (!rendered.ok()) return cli.fail("template: " + rendered.error().message(), 1);
    return 0;
  });
  return cmd;
}

namespace {

void line(std::string& out, const std::string& label, const std::string& value) {
  out += label + " " + value + "\n";
}

void line_nonempty(std::string& out, const std::string& label, const std::string& value) {
  if (!value.empty()) line(out, label, value);
}

std::string jstr(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_boolean()) return it->get<bool>() ? "true" : "false";
  return it->dump();
}

std::string joined(const Json& list) {
  std::vector<std::string> parts;
  if (list.is_array()) {
    for (const auto& s : list) parts.push_back(s.is_string() ? s.get<std::string>() : s.dump());
  }
  return join(parts, " ");
}

std::string server_info_text(Cli& cli, const Json& info) {
  std::string o;
  line(o, " Containers:", jstr(info, "Containers"));
  line(o, "  Running:", jstr(info, "ContainersRunning"));
  line(o, "  Paused:", jstr(info, "ContainersPaused"));
  line(o, "  Stopped:", jstr(info, "ContainersStopped"));
  line(o, " Images:", jstr(info, "Images"));
  line_nonempty(o, " Server Version:", jstr(info, "ServerVersion"));
  line_nonempty(o, " Storage Driver:", jstr(info, "Driver"));
  for (const auto& pair : info.value("DriverStatus", Json::array())) {
    if (pair.is_array() && pair.size() == 2) o += fmt::format("  {}: {}\n", pair[0].get<std::string>(), pair[1].get<std::string>());
  }
  for (const auto& pair : info.value("SystemStatus", Json::array())) {
    if (pair.is_array() && pair.size() == 2) o += fmt::format(" {}: {}\n", pair[0].get<std::string>(), pair[1].get<std::string>());
  }
  line_nonempty(o, " Logging Driver:", jstr(info, "LoggingDriver"));
  line_nonempty(o, " Cgroup Driver:", jstr(info, "CgroupDriver"));
  line_nonempty(o, " Cgroup Version:", jstr(info, "CgroupVersion"));
  Json plugins = info.value("Plugins", Json::object());
  if (plugins.is_null()) plugins = Json::object();
  o += " Plugins:\n";
  line(o, "  Volume:", joined(plugins.value("Volume", Json::array())));
  line(o, "  Network:", joined(plugins.value("Network", Json::array())));
  if (plugins.contains("Authorization") && !plugins["Authorization"].empty() &&
      !plugins["Authorization"].is_null()) {
    line(o, "  Authorization:", joined(plugins["Authorization"]));
  }
  line(o, "  Log:", joined(plugins.value("Log", Json::array())));
  if (auto dirs = info.value("CDISpecDirs", Json::array()); dirs.is_array() && !dirs.empty()) {
    o += " CDI spec directories:\n";
    for (const auto& d : dirs) o += "  " + d.get<std::string>() + "\n";
  }
  Json swarm = info.value("Swarm", Json::object());
  line(o, " Swarm:", swarm.is_object() ? jstr(swarm, "LocalNodeState") : "");
  if (auto runtimes = info.value("Runtimes", Json::object()); runtimes.is_object() && !runtimes.empty()) {
    std::vector<std::string> names;
    for (const auto& [k, v] : runtimes.items()) names.push_back(k);
    line(o, " Runtimes:", join(names, " "));
    line(o, " Default Runtime:", jstr(info, "DefaultRuntime"));
  }
  if (jstr(info, "OSType") == "linux") {
    auto commit = [&](const char* key) {
      Json c = info.value(key, Json::object());
      return c.is_object() ? jstr(c, "ID") : "";
    };
    line(o, " Init Binary:", jstr(info, "InitBinary"));
    line(o, " containerd version:", commit("ContainerdCommit"));
    line(o, " runc version:", commit("RuncCommit"));
    line(o, " init version:", commit("InitCommit"));
    if (auto opts = info.value("SecurityOptions", Json::array()); opts.is_array() && !opts.empty()) {
      o += " Security Options:\n";
      for (const auto& so : opts) {
        // "name=seccomp,profile=builtin"
        std::string name;
        std::string profile;
        for (const auto& kv : split(so.get<std::string>(), ',')) {
          auto [k, v] = split_once(kv, '=');
          if (k == "name") name = std::string(v);
          if (k == "profile") profile = std::string(v);
        }
        o += "  " + name + "\n";
        if (!profile.empty()) line(o, "   Profile:", profile);
      }
    }
  }
  line_nonempty(o, " Kernel Version:", jstr(info, "KernelVersion"));
  line_nonempty(o, " Operating System:", jstr(info, "OperatingSystem"));
  line_nonempty(o, " OSType:", jstr(info, "OSType"));
  line_nonempty(o, " Architecture:", jstr(info, "Architecture"));
  line(o, " CPUs:", jstr(info, "NCPU"));
  line(o, " Total Memory:", bytes_size(static_cast<double>(info.value("MemTotal", int64_t{0}))));
  line_nonempty(o, " Name:", jstr(info, "Name"));
  line_nonempty(o, " ID:", jstr(info, "ID"));
  line(o, " Docker Root Dir:", jstr(info, "DockerRootDir"));
  line(o, " Debug Mode:", info.value("Debug", false) ? "true" : "false");
  if (info.value("Debug", false) || cli.options().debug) {
    line(o, "  File Descriptors:", jstr(info, "NFd"));
    line(o, "  Goroutines:", jstr(info, "NGoroutines"));
    line(o, "  System Time:", jstr(info, "SystemTime"));
    line(o, "  EventsListeners:", jstr(info, "NEventsListener"));
  }
  line_nonempty(o, " HTTP Proxy:", jstr(info, "HttpProxy"));
  line_nonempty(o, " HTTPS Proxy:", jstr(info, "HttpsProxy"));
  line_nonempty(o, " No Proxy:", jstr(info, "NoProxy"));
  line_nonempty(o, " Username:", cli.config().get_auth(std::string(client::kIndexServer)).username);
  if (auto labels = info.value("Labels", Json::array()); labels.is_array() && !labels.empty()) {
    o += " Labels:\n";
    for (const auto& l : labels) o += "  " + l.get<std::string>() + "\n";
  }
  line(o, " Experimental:", info.value("ExperimentalBuild", false) ? "true" : "false");
  Json reg = info.value("RegistryConfig", Json::object());
  if (reg.is_object()) {
    Json cidrs = reg.value("InsecureRegistryCIDRs", Json::array());
    Json indexes = reg.value("IndexConfigs", Json::object());
    if ((cidrs.is_array() && !cidrs.empty()) || (indexes.is_object() && !indexes.empty())) {
      o += " Insecure Registries:\n";
      if (indexes.is_object()) {
        for (const auto& [name, cfg] : indexes.items()) {
          if (!cfg.value("Secure", false)) o += "  " + cfg.value("Name", name) + "\n";
        }
      }
      if (cidrs.is_array()) {
        for (const auto& c : cidrs) o += "  " + (c.is_string() ? c.get<std::string>() : c.dump()) + "\n";
      }
    }
    if (auto mirrors = reg.value("Mirrors", Json::array()); mirrors.is_array() && !mirrors.empty()) {
      o += " Registry Mirrors:\n";
      for (const auto& m : mirrors) o += "  " + m.get<std::string>() + "\n";
    }
  }
  line(o, " Live Restore Enabled:", info.value("LiveRestoreEnabled", false) ? "true" : "false");
  if (std::string license = jstr(info, "ProductLicense"); !license.empty()) {
    line(o, " Product License:", license);
  }
  if (auto pools = info.value("DefaultAddressPools", Json::array()); pools.is_array() && !pools.empty()) {
    o += " Default Address Pools:\n";
    for (const auto& p : pools) {
      o += fmt::format("   Base: {}, Size: {}\n", p.value("Base", ""), p.value("Size", 0));
    }
  }
  o += "\n";
  return o;
}

}  // namespace

std::unique_ptr<Command> new_info_command(bool top_level) {
  auto cmd = new_command("info [OPTIONS]", "Display system-wide information",
                         "berth system info, berth info");
  if (top_level) cmd->top_order = 12;
  cmd->set_args(ArgRule::kNone);
  auto format = std::make_shared<std::string>();
  cmd->flags().add_string("format", "f", format.get(), "", kInspectFormatHelp);
  cmd->set_run([format](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    Json client_info = {{"Debug", cli.options().debug}, {"Version", BERTH_VERSION},
                        {"Context", "default"},         {"Plugins", Json::array()},
                        {"Warnings", nullptr}};
    auto c = cli.client();
    Result<Json> info = c.ok() ? client::system_info(**c) : Result<Json>(c.error());
    if (format->empty()) {
      std::string out = "Client: Berth\n";
      out += " Version:    " + std::string(BERTH_VERSION) + "\n";
      out += " Context:    default\n";
      out += std::string(" Debug Mode: ") + (cli.options().debug ? "true" : "false") + "\n";
      out += "\nServer:\n";
      cli.out(out);
      if (!info.ok()) {
        cli.err("ERROR: " + info.error().message() + "\n");
        return cli.fail("errors pretty printing info", 1);
      }
      cli.out(server_info_text(cli, *info));
      for (const auto& w : info->value("Warnings", Json::array())) {
        if (w.is_string()) cli.err(w.get<std::string>() + "\n");
      }
      return 0;
    }
    Json data = info.ok() && info->is_object() ? *info : Json::object();
    data["ClientInfo"] = client_info;
    if (!info.ok()) {
      data["ServerErrors"] = Json::array({info.error().message()});
      cli.err(info.error().message() + "\n");
    }
    std::string text = *format == "json" ? "{{json .}}" : tmpl::expand_format_escapes(*format);
    auto t = tmpl::Template::parse(text);
    if (!t.ok()) return cli.fail("template parsing error: " + t.error().message(), 64);
    auto out = t->execute(data);
    if (!out.ok()) return cli.fail("template: " + out.error().message(), 1);
    cli.out(*out + "\n");
    return info.ok() ? 0 : 1;
  });
  return cmd;
}

}  // namespace berth::cli
