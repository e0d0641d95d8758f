#include "cli/run/create_flow.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include <fmt/format.h>

#include "client/api_error.h"
#include "client/config_file.h"
#include "client/containers.h"
#include "client/images.h"
#include "cli/format/json_message.h"
#include "cli/format/reference.h"
#include "cli/run/terminal.h"

namespace berth::cli {

void add_create_flags(FlagSet& f, CreateOptions& o, const std::string& pull_usage) {
  f.add_string("name", "", &o.name, "", "Assign a name to the container");
  f.add_string("pull", "", &o.pull, "missing", pull_usage);
  f.add_bool("quiet", "q", &o.quiet, false, "Suppress the pull output");
  f.add_bool("use-api-socket", "", &o.use_api_socket, false,
             "Bind mount Docker API socket and required auth");
  f.add_string("platform", "", &o.platform, "", "Set platform if server is multi-platform capable");
  // Content trust is not implemented; the flag is accepted so scripts keep working.
  static bool disable_trust = true;
  f.add_bool("disable-content-trust", "", &disable_trust, true, "Skip image verification");
}

Status validate_pull_option(const std::string& pull) {
  if (pull == "always" || pull == "missing" || pull == "never") return ok_status();
  return make_error(ErrorCode::kInvalidArgument,
                    "invalid pull option: '{}': must be one of \"always\", \"missing\" or \"never\"",
                    pull);
}

std::string registry_auth_for(Cli& cli, const std::string& image) {
  std::string key = client::auth_key_for_host(client::registry_host_of(image));
  client::AuthConfig auth = cli.config().get_auth(key);
  if (auth.empty()) return client::encode_registry_auth(client::AuthConfig{});
  auth.server_address = key;
  return client::encode_registry_auth(auth);
}

Status pull_image_for_create(Cli& cli, const std::string& image, const std::string& platform,
                             bool quiet) {
  client::Client* c = TRY(cli.client());
  auto stream = TRY(client::image_pull(*c, image, false, platform, registry_auth_for(cli, image)));
  MessageDisplay display;
  display.is_terminal = !quiet && cli.err_is_terminal();
  display.terminal_width = static_cast<int>(terminal_size(cli.err_fd()).width);
  if (display.terminal_width == 0) display.terminal_width = 200;
  display.out = [&](std::string_view text) {
    if (!quiet) cli.err(text);
  };
  return display_json_messages(*stream, display);
}

namespace {

// docker's cidFile: created before the container, removed again unless an id was written.
class CidFile {
 public:
  static Result<CidFile> open(const std::string& path) {
    CidFile f;
    if (path.empty()) return f;
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
      return make_error(ErrorCode::kAlreadyExists,
                        "container ID file found, make sure the other container isn't running or "
                        "delete {}",
                        path);
    }
    std::ofstream out(path);
    if (!out) {
      return make_error(ErrorCode::kInvalidArgument,
                        "failed to create the container ID file: open {}: {}", path,
                        std::strerror(errno));
    }
    f.path_ = path;
    return f;
  }
  CidFile() = default;
  CidFile(CidFile&& other) noexcept : path_(std::move(other.path_)), written_(other.written_) {
    other.path_.clear();
  }
  ~CidFile() {
    if (!path_.empty() && !written_) std::remove(path_.c_str());
  }
  Status write(const std::string& id) {
    if (path_.empty()) return ok_status();
    std::ofstream out(path_, std::ios::trunc);
    out << id;
    if (!out) return Error(ErrorCode::kInternal, "failed to write the container ID to the file");
    written_ = true;
    return ok_status();
  }

 private:
  std::string path_;
  bool written_ = false;
};

// --use-api-socket: the daemon's socket bind-mounted at /var/run/docker.sock, so tools in the
// container talk to berthd as they would to dockerd.
Status add_api_socket_mount(ContainerConfig& config, const std::string& host) {
  if (!host.starts_with("unix://")) {
    return make_error(ErrorCode::kInvalidArgument,
                      "flag --use-api-socket can only be used with unix sockets: berth endpoint {} "
                      "incompatible",
                      host);
  }
  OrderedJson mount = OrderedJson::object();
  mount["Type"] = "bind";
  mount["Source"] = host.substr(7);
  mount["Target"] = "/var/run/docker.sock";
  mount["BindOptions"] = OrderedJson::object();
  OrderedJson& h = config.host_config;
  if (h.contains("Mounts")) {
    h["Mounts"].push_back(mount);
    return ok_status();
  }
  // Mounts sits before MaskedPaths in HostConfig; keep Go's field order.
  OrderedJson rebuilt = OrderedJson::object();
  for (auto& [k, v] : h.items()) {
    if (k == "MaskedPaths") rebuilt["Mounts"] = OrderedJson::array({mount});
    rebuilt[k] = v;
  }
  h = std::move(rebuilt);
  return ok_status();
}

}  // namespace

Result<std::string> create_container(Cli& cli, ContainerConfig& config, const CreateOptions& o) {
  std::string image = config.config["Image"].get<std::string>();
  CidFile cid = TRY(CidFile::open(config.host_config["ContainerIDFile"].get<std::string>()));

  std::optional<ImageReference> named;
  if (!is_full_image_id(image)) {
    auto ref = parse_normalized_named(image);
    if (!ref.ok()) {
      // ParseAnyReference also accepts short ids; anything else is a bad reference.
      if (image.find_first_not_of("0123456789abcdef") != std::string::npos) {
        return std::move(ref).error();
      }
    } else {
      named = *ref;
      if (named->name_only()) named->tag = "latest";
    }
  }

  client::Client* c = TRY(cli.client());
  if (o.use_api_socket) TRY(add_api_socket_mount(config, c->host()));
  if (o.pull == "always") TRY(pull_image_for_create(cli, image, o.platform, o.quiet));

  TermSize size = cli.out_is_terminal() ? terminal_size(cli.out_fd()) : TermSize{};
  config.host_config["ConsoleSize"] = OrderedJson::array({size.height, size.width});

  OrderedJson body = create_request_body(config, c->api_version());
  auto created = client::container_create(*c, body, o.name, o.platform);
  if (!created.ok() && client::is_not_found(created.error()) && named && o.pull == "missing") {
    if (!o.quiet) {
      cli.err(fmt::format("Unable to find image '{}' locally\n", named->familiar()));
    }
    TRY(pull_image_for_create(cli, image, o.platform, o.quiet));
    created = client::container_create(*c, body, o.name, o.platform);
  }
  if (!created.ok()) return std::move(created).error();
  for (const auto& w : created->warnings) cli.err("WARNING: " + w + "\n");
  TRY(cid.write(created->id));
  return created->id;
}

}  // namespace berth::cli
