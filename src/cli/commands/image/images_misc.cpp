// image inspect, tag, rmi, image prune, save, load, import.
#include <fcntl.h>
#include <unistd.h>

#include "base/strings.h"
#include "cli/commands/common.h"
#include "cli/commands/registry.h"
#include "cli/format/json_message.h"
#include "cli/format/units.h"
#include "cli/run/terminal.h"
#include "client/api_error.h"
#include "client/images.h"

namespace berth::cli {
namespace {

class FdBodyReader final : public http::BodyReader {
 public:
  explicit FdBodyReader(int fd) : fd_(fd) {}
  Result<size_t> read(char* buf, size_t len) override {
    while (true) {
      ssize_t n = ::read(fd_, buf, len);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return errno_error("read");
      return static_cast<size_t>(n);
    }
  }

 private:
  int fd_;
};

MessageDisplay out_display(Cli& cli) {
  MessageDisplay d;
  d.is_terminal = cli.out_is_terminal();
  d.terminal_width = static_cast<int>(terminal_size(cli.out_fd()).width);
  if (d.terminal_width == 0) d.terminal_width = 200;
  d.out = [&cli](std::string_view text) { cli.out(text); };
  return d;
}

}  // namespace

std::unique_ptr<Command> new_image_inspect_command() {
  auto cmd = new_command("inspect [OPTIONS] IMAGE [IMAGE...]",
                         "Display detailed information on one or more images");
  cmd->set_args(ArgRule::kMin, 1);
  auto format = std::make_shared<std::string>();
  cmd->flags().add_string("format", "f", format.get(), "", kInspectFormatHelp);
  cmd->set_run([format](Invocation& inv) -> Result<int> {
    client::Client& c = *TRY(inv.cli.client());
    // A missing image is reported as the daemon words it, as docker 28 does.
    return inspect_each(inv.cli, inv.args, *format,
                        [&](const std::string& ref) { return client::image_inspect_raw(c, ref); });
  });
  return cmd;
}

std::unique_ptr<Command> new_tag_command() {
  auto cmd = new_command("tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
                         "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
                         "berth image tag, berth tag");
  cmd->set_args(ArgRule::kExact, 2);
  cmd->set_run([](Invocation& inv) -> Result<int> {
    client::Client& c = *TRY(inv.cli.client());
    TRY(client::image_tag(c, inv.args[0], inv.args[1]));
    return 0;
  });
  return cmd;
}

std::unique_ptr<Command> new_rmi_command(bool top_level) {
  auto cmd = new_command(top_level ? "rmi [OPTIONS] IMAGE [IMAGE...]" : "rm [OPTIONS] IMAGE [IMAGE...]",
                         "Remove one or more images",
                         "berth image rm, berth image remove, berth rmi");
  if (!top_level) cmd->aliases = {"rmi", "remove"};
  cmd->set_args(ArgRule::kMin, 1);
  struct Options {
    bool force = false;
    bool no_prune = false;
  };
  auto o = std::make_shared<Options>();
  cmd->flags().add_bool("force", "f", &o->force, false, "Force removal of the image");
  cmd->flags().add_bool("no-prune", "", &o->no_prune, false, "Do not delete untagged parents");
  cmd->set_run([o](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    client::Client& c = *TRY(cli.client());
    bool fatal = false;
    std::vector<std::string> errors;
    for (const auto& img : inv.args) {
      auto r = client::image_remove(c, img, o->force, o->no_prune);
      if (!r.ok()) {
        if (!client::is_not_found(r.error())) fatal = true;
        errors.push_back(r.error().message());
        continue;
      }
      for (const auto& del : *r) {
        std::string deleted = del.value("Deleted", "");
        if (!deleted.empty()) {
          cli.out("Deleted: " + deleted + "\n");
        } else {
          cli.out("Untagged: " + del.value("Untagged", "") + "\n");
        }
      }
    }
    if (errors.empty()) return 0;
    if (!o->force || fatal) return cli.fail(join(errors, "\n"), 1);
    cli.err(join(errors, "\n") + "\n");
    return 0;
  });
  return cmd;
}

std::unique_ptr<Command> new_image_prune_command() {
  auto cmd = new_command("prune [OPTIONS]", "Remove unused images");
  cmd->set_args(ArgRule::kNone);
  struct Options {
    bool all = false;
    bool force = false;
    client::Filters filters;
  };
  auto o = std::make_shared<Options>();
  FlagSet& f = cmd->flags();
  f.add_bool("all", "a", &o->all, false, "Remove all unused images, not just dangling ones");
  f.add_bool("force", "f", &o->force, false, "Do not prompt for confirmation");
  f.add("filter", "", "Provide filter values (e.g. \"until=<timestamp>\")",
        std::make_shared<CustomValue>(
            "filter", [o](std::string_view v) { return o->filters.parse_flag(v); }, nullptr));
  cmd->set_run([o](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    client::Filters filters = o->filters;
    filters.add("dangling", o->all ? "false" : "true");
    std::string warning =
        o->all ? "WARNING! This will remove all images without at least one container associated "
                 "to them.\nAre you sure you want to continue?"
               : "WARNING! This will remove all dangling images.\nAre you sure you want to "
                 "continue?";
    if (!o->force && !confirm(cli, warning)) return 0;
    client::Client& c = *TRY(cli.client());
    Json report = TRY(client::image_prune(c, filters));
    uint64_t reclaimed = 0;
    const Json deleted = report.is_object() ? report.value("ImagesDeleted", Json()) : Json();
    if (deleted.is_array() && !deleted.empty()) {
      std::string out = "Deleted Images:\n";
      for (const auto& d : deleted) {
        std::string untagged = d.value("Untagged", "");
        out += untagged.empty() ? "deleted: " + d.value("Deleted", "") + "\n"
                                : "untagged: " + untagged + "\n";
      }
      cli.out(out + "\n");
      reclaimed = report.value("SpaceReclaimed", uint64_t{0});
    }
    cli.out("Total reclaimed space: " + human_size(static_cast<double>(reclaimed)) + "\n");
    return 0;
  });
  return cmd;
}

std::unique_ptr<Command> new_save_command() {
  auto cmd = new_command("save [OPTIONS] IMAGE [IMAGE...]",
                         "Save one or more images to a tar archive (streamed to STDOUT by default)",
                         "berth image save, berth save");
  cmd->set_args(ArgRule::kMin, 1);
  struct Options {
    std::string output;
    std::string platform;
  };
  auto o = std::make_shared<Options>();
  cmd->flags().add_string("output", "o", &o->output, "", "Write to a file, instead of STDOUT");
  cmd->flags().add_string("platform", "", &o->platform, "",
                          "Save only the given platform variant. Formatted as "
                          "\"os[/arch[/variant]]\" (e.g., \"linux/amd64\")")
      .hidden = true;
  cmd->set_run([o](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    if (o->output.empty() && cli.out_is_terminal()) {
      return Error(ErrorCode::kInvalidArgument,
                   "cowardly refusing to save to a terminal. Use the -o flag or redirect");
    }
    client::Client& c = *TRY(cli.client());
    auto body = TRY(client::image_save(c, inv.args, o->platform));
    TRY(copy_body_to_output(cli, *body, o->output, "save image"));
    return 0;
  });
  return cmd;
}

std::unique_ptr<Command> new_load_command() {
  auto cmd = new_command("load [OPTIONS]", "Load an image from a tar archive or STDIN",
                         "berth image load, berth load");
  cmd->set_args(ArgRule::kNone);
  struct Options {
    std::string input;
    bool quiet = false;
    std::string platform;
  };
  auto o = std::make_shared<Options>();
  cmd->flags().add_string("input", "i", &o->input, "", "Read from tar archive file, instead of STDIN");
  cmd->flags().add_bool("quiet", "q", &o->quiet, false, "Suppress the load output");
  cmd->flags().add_string("platform", "", &o->platform, "",
                          "Load only the given platform variant. Formatted as "
                          "\"os[/arch[/variant]]\" (e.g., \"linux/amd64\")")
      .hidden = true;
  cmd->set_run([o](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    int fd = cli.in_fd();
    if (o->input.empty()) {
      if (cli.in_is_terminal()) {
        return Error(ErrorCode::kInvalidArgument, "requested load from stdin, but stdin is empty");
      }
    } else {
      fd = ::open(o->input.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) return errno_error("open " + o->input);
    }
    FdBodyReader in(fd);
    client::Client& c = *TRY(cli.client());
    auto body = client::image_load(c, in, o->quiet || !cli.out_is_terminal());
    if (!o->input.empty()) ::close(fd);
    if (!body.ok()) return std::move(body).error();
    std::string_view type = (*body)->headers().value("Content-Type");
    if (type.find("application/json") != std::string_view::npos) {
      TRY(display_json_messages(**body, out_display(cli)));
      return 0;
    }
    std::string text = TRY((*body)->read_all(1 << 20));
    cli.out(text);
    return 0;
  });
  return cmd;
}

std::unique_ptr<Command> new_import_command() {
  auto cmd = new_command("import [OPTIONS] file|URL|- [REPOSITORY[:TAG]]",
                         "Import the contents from a tarball to create a filesystem image",
                         "berth image import, berth import");
  cmd->set_args(ArgRule::kRange, 1, 2);
  struct Options {
    std::vector<std::string> changes;
    std::string message;
    std::string platform;
  };
  auto o = std::make_shared<Options>();
  FlagSet& f = cmd->flags();
  f.add_list("change", "c", &o->changes, "Apply Dockerfile instruction to the created image");
  f.add_string("message", "m", &o->message, "", "Set commit message for imported image");
  f.add_string("platform", "", &o->platform, "", "Set platform if server is multi-platform capable");
  cmd->set_run([o](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    const std::string& source = inv.args[0];
    client::ImportOptions io;
    io.reference = inv.args.size() == 2 ? inv.args[1] : "";
    io.message = o->message;
    io.changes = o->changes;
    io.platform = o->platform;
    std::unique_ptr<FdBodyReader> body;
    int fd = -1;
    if (source == "-") {
      io.source = "-";
      body = std::make_unique<FdBodyReader>(cli.in_fd());
    } else if (source.starts_with("https://") || source.starts_with("http://")) {
      io.source = source;
    } else {
      fd = ::open(source.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) return errno_error("open " + source);
      io.source = "-";
      body = std::make_unique<FdBodyReader>(fd);
    }
    client::Client& c = *TRY(cli.client());
    auto stream = client::image_import(c, io, body.get());
    if (fd >= 0) ::close(fd);
    if (!stream.ok()) return std::move(stream).error();
    TRY(display_json_messages(**stream, out_display(cli)));
    return 0;
  });
  return cmd;
}

}  // namespace berth::cli
