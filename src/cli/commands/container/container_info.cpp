// port, top, diff, export: read-only views of one container.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

#include <fmt/format.h>

#include "base/strings.h"
#include "cli/commands/common.h"
#include "cli/commands/registry.h"
#include "cli/format/natural_sort.h"
#include "cli/format/ports.h"
#include "client/containers.h"
#include "template/tabwriter.h"

namespace berth::cli {

std::unique_ptr<Command> new_port_command() {
  auto cmd = new_command("port CONTAINER [PRIVATE_PORT[/PROTO]]",
                         "List port mappings or a specific mapping for the container",
                         "berth container port, berth port");
  cmd->set_args(ArgRule::kRange, 1, 2);
  cmd->set_run([](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    client::Client& c = *TRY(cli.client());
    Json info = TRY(client::container_inspect(c, inv.args[0]));
    Json ports = Json::object();
    if (auto ns = info.find("NetworkSettings"); ns != info.end() && ns->is_object()) {
      if (auto p = ns->find("Ports"); p != ns->end() && p->is_object()) ports = *p;
    }
    std::vector<std::string> out;
    if (inv.args.size() == 2) {
      const std::string& spec = inv.args[1];
      auto [port, proto_view] = split_once(spec, '/');
      std::string proto = proto_view.empty() ? "tcp" : std::string(proto_view);
      auto num = parse_uint64(port);
      bool digits = !port.empty() && port.find_first_not_of("0123456789") == std::string::npos;
      if (!digits || !num.ok() || *num > 65535) {
        return Error(ErrorCode::kInvalidArgument,
                     fmt::format("Error: invalid port ({}): strconv.ParseUint: parsing \"{}\": {}",
                                 port, port, digits ? "value out of range" : "invalid syntax"));
      }
      auto it = ports.find(std::string(port) + "/" + proto);
      if (it == ports.end() || !it->is_array() || it->empty()) {
        return Error(ErrorCode::kNotFound, fmt::format("Error: No public port '{}' published for {}",
                                                       spec, inv.args[0]));
      }
      for (const auto& fe : *it) {
        out.push_back(join_host_port(fe.value("HostIp", ""), fe.value("HostPort", "")));
      }
    } else {
      for (const auto& [from, frontends] : ports.items()) {
        if (!frontends.is_array()) continue;
        for (const auto& fe : frontends) {
          out.push_back(fmt::format("{} -> {}", from,
                                    join_host_port(fe.value("HostIp", ""), fe.value("HostPort", ""))));
        }
      }
    }
    if (!out.empty()) {
      std::sort(out.begin(), out.end(), natural_less);
      cli.out(join(out, "\n") + "\n");
    }
    return 0;
  });
  return cmd;
}

std::unique_ptr<Command> new_top_command() {
  auto cmd = new_command("top CONTAINER [ps OPTIONS]", "Display the running processes of a container",
                         "berth container top, berth top");
  cmd->set_args(ArgRule::kMin, 1);
  cmd->flags().set_interspersed(false);
  cmd->set_run([](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    client::Client& c = *TRY(cli.client());
    std::vector<std::string> ps_args(inv.args.begin() + 1, inv.args.end());
    Json top = TRY(client::container_top(c, inv.args[0], join(ps_args, " ")));
    std::string text;
    std::vector<std::string> titles;
    for (const auto& t : top.value("Titles", Json::array())) titles.push_back(t.get<std::string>());
    text += join(titles, "\t") + "\n";
    for (const auto& proc : top.value("Processes", Json::array())) {
      std::vector<std::string> cols;
      for (const auto& col : proc) cols.push_back(col.is_string() ? col.get<std::string>() : col.dump());
      text += join(cols, "\t") + "\n";
    }
    cli.out(tmpl::tabwrite(text, tmpl::TabwriterOptions{20, 1, 3, ' ', 0}));
    return 0;
  });
  return cmd;
}

std::unique_ptr<Command> new_diff_command() {
  auto cmd = new_command("diff CONTAINER",
                         "Inspect changes to files or directories on a container's filesystem",
                         "berth container diff, berth diff");
  cmd->set_args(ArgRule::kExact, 1);
  cmd->set_run([](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    if (inv.args[0].empty()) return Error(ErrorCode::kInvalidArgument, "Container name cannot be empty");
    client::Client& c = *TRY(cli.client());
    Json changes = TRY(client::container_changes(c, inv.args[0]));
    std::vector<ListRow> rows;
    if (changes.is_array()) {
      for (const auto& ch : changes) {
        int kind = ch.value("Kind", 0);
        const char* type = kind == 0 ? "C" : kind == 1 ? "A" : kind == 2 ? "D" : "";
        rows.push_back({Json{{"Type", type}, {"Path", ch.value("Path", "")}}, {}});
      }
    }
    return print_list(cli, "{{.Type}} {{.Path}}", Json{{"Type", "CHANGE TYPE"}, {"Path", "PATH"}},
                      rows);
  });
  return cmd;
}

// Copies a response body to a file (written atomically, mode 0600) or to stdout.
Status copy_body_to_output(Cli& cli, http::ResponseStream& body, const std::string& output,
                           const std::string& what) {
  int fd = cli.out_fd();
  std::string tmp;
  if (!output.empty()) {
    tmp = output + ".berth-tmp";
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return errno_error(fmt::format("failed to {}: open {}", what, tmp));
  }
  char buf[65536];
  Status st = ok_status();
  while (true) {
    auto n = body.read(buf, sizeof(buf));
    if (!n.ok()) {
      st = std::move(n).error();
      break;
    }
    if (*n == 0) break;
    if (fd >= 0) {
      st = write_all(fd, std::string_view(buf, *n));
    } else {
      cli.out(std::string_view(buf, *n));
    }
    if (!st.ok()) break;
  }
  if (!output.empty()) {
    if (st.ok() && ::fsync(fd) != 0) st = errno_error("fsync");
    ::close(fd);
    if (st.ok() && ::rename(tmp.c_str(), output.c_str()) != 0) {
      st = errno_error(fmt::format("rename {}", output));
    }
    if (!st.ok()) ::unlink(tmp.c_str());
  }
  return st;
}

std::unique_ptr<Command> new_export_command() {
  auto cmd = new_command("export [OPTIONS] CONTAINER", "Export a container's filesystem as a tar archive",
                         "berth container export, berth export");
  cmd->set_args(ArgRule::kExact, 1);
  auto output = std::make_shared<std::string>();
  cmd->flags().add_string("output", "o", output.get(), "", "Write to a file, instead of STDOUT");
  cmd->set_run([output](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    if (output->empty() && cli.out_is_terminal()) {
      return Error(ErrorCode::kInvalidArgument,
                   "cowardly refusing to save to a terminal. Use the -o flag or redirect");
    }
    client::Client& c = *TRY(cli.client());
    auto body = TRY(client::container_export(c, inv.args[0]));
    TRY(copy_body_to_output(cli, *body, *output, "export container"));
    return 0;
  });
  return cmd;
}

}  // namespace berth::cli
