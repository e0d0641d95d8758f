#include "image/image_config.h"

#include "base/time_format.h"
#include "image/json_read.h"

namespace berth::image {

namespace {

Result<std::optional<int64_t>> opt_time(const Json& j, std::string_view key,
                                        std::string_view path) {
  auto text = TRY(json::opt_string(j, key, path));
  if (!text || text->empty()) return std::optional<int64_t>();
  auto ns = parse_rfc3339_ns(*text);
  if (!ns.ok()) {
    return make_error(ErrorCode::kInvalidArgument, "{}: invalid time {}", json::member(path, key),
                      *text);
  }
  return std::optional<int64_t>(*ns);
}

Result<HealthConfig> parse_health(const Json& j, std::string_view path) {
  HealthConfig h;
  h.test = TRY(json::opt_strings(j, "Test", path)).value_or(std::vector<std::string>{});
  h.interval_ns = TRY(json::opt_int(j, "Interval", path)).value_or(0);
  h.timeout_ns = TRY(json::opt_int(j, "Timeout", path)).value_or(0);
  h.start_period_ns = TRY(json::opt_int(j, "StartPeriod", path)).value_or(0);
  h.start_interval_ns = TRY(json::opt_int(j, "StartInterval", path)).value_or(0);
  h.retries = TRY(json::opt_int(j, "Retries", path)).value_or(0);
  return h;
}

OrderedJson health_json(const HealthConfig& h) {
  OrderedJson j = OrderedJson::object();
  j["Test"] = h.test;
  if (h.interval_ns != 0) j["Interval"] = h.interval_ns;
  if (h.timeout_ns != 0) j["Timeout"] = h.timeout_ns;
  if (h.start_period_ns != 0) j["StartPeriod"] = h.start_period_ns;
  if (h.start_interval_ns != 0) j["StartInterval"] = h.start_interval_ns;
  if (h.retries != 0) j["Retries"] = h.retries;
  return j;
}

template <typename T>
OrderedJson or_null(const std::optional<T>& v) {
  return v ? OrderedJson(*v) : OrderedJson(nullptr);
}

OrderedJson key_set(const std::optional<std::vector<std::string>>& keys) {
  if (!keys) return nullptr;
  OrderedJson j = OrderedJson::object();
  for (const auto& k : *keys) j[k] = OrderedJson::object();
  return j;
}

Result<HistoryEntry> parse_history(const Json& j, std::string_view path) {
  if (!j.is_object()) return json::type_error(path, "an object", j);
  HistoryEntry h;
  h.created_ns = TRY(opt_time(j, "created", path));
  h.created_by = TRY(json::string_or_empty(j, "created_by", path));
  h.author = TRY(json::string_or_empty(j, "author", path));
  h.comment = TRY(json::string_or_empty(j, "comment", path));
  h.empty_layer = TRY(json::bool_or_false(j, "empty_layer", path));
  return h;
}

// The container.Config fields in Docker's order, as Docker writes them into configs it creates
// and shows them in ImageInspect.Config.
OrderedJson container_json(const ContainerConfig& c) {
  OrderedJson j = OrderedJson::object();
  j["Hostname"] = c.hostname;
  j["Domainname"] = c.domainname;
  j["User"] = c.user;
  j["AttachStdin"] = c.attach_stdin;
  j["AttachStdout"] = c.attach_stdout;
  j["AttachStderr"] = c.attach_stderr;
  if (c.exposed_ports) j["ExposedPorts"] = key_set(c.exposed_ports);
  j["Tty"] = c.tty;
  j["OpenStdin"] = c.open_stdin;
  j["StdinOnce"] = c.stdin_once;
  j["Env"] = or_null(c.env);
  j["Cmd"] = or_null(c.cmd);
  if (c.healthcheck) j["Healthcheck"] = health_json(*c.healthcheck);
  if (c.args_escaped) j["ArgsEscaped"] = true;
  j["Image"] = c.image;
  j["Volumes"] = key_set(c.volumes);
  j["WorkingDir"] = c.working_dir;
  j["Entrypoint"] = or_null(c.entrypoint);
  if (c.network_disabled) j["NetworkDisabled"] = true;
  if (!c.mac_address.empty()) j["MacAddress"] = c.mac_address;
  j["OnBuild"] = or_null(c.on_build);
  j["Labels"] = or_null(c.labels);
  if (!c.stop_signal.empty()) j["StopSignal"] = c.stop_signal;
  if (c.stop_timeout) j["StopTimeout"] = *c.stop_timeout;
  if (c.shell) j["Shell"] = *c.shell;
  return j;
}

}  // namespace

Result<ContainerConfig> parse_container_config(const Json& j, std::string_view path) {
  if (!j.is_object()) return json::type_error(path, "an object", j);
  ContainerConfig c;
  c.hostname = TRY(json::string_or_empty(j, "Hostname", path));
  c.domainname = TRY(json::string_or_empty(j, "Domainname", path));
  c.user = TRY(json::string_or_empty(j, "User", path));
  c.attach_stdin = TRY(json::bool_or_false(j, "AttachStdin", path));
  c.attach_stdout = TRY(json::bool_or_false(j, "AttachStdout", path));
  c.attach_stderr = TRY(json::bool_or_false(j, "AttachStderr", path));
  c.exposed_ports = TRY(json::opt_key_set(j, "ExposedPorts", path));
  c.tty = TRY(json::bool_or_false(j, "Tty", path));
  c.open_stdin = TRY(json::bool_or_false(j, "OpenStdin", path));
  c.stdin_once = TRY(json::bool_or_false(j, "StdinOnce", path));
  c.env = TRY(json::opt_strings(j, "Env", path));
  c.cmd = TRY(json::opt_strings(j, "Cmd", path));
  if (const Json* h = TRY(json::opt_object(j, "Healthcheck", path))) {
    c.healthcheck = TRY(parse_health(*h, json::member(path, "Healthcheck")));
  }
  c.args_escaped = TRY(json::bool_or_false(j, "ArgsEscaped", path));
  c.image = TRY(json::string_or_empty(j, "Image", path));
  c.volumes = TRY(json::opt_key_set(j, "Volumes", path));
  c.working_dir = TRY(json::string_or_empty(j, "WorkingDir", path));
  c.entrypoint = TRY(json::opt_strings(j, "Entrypoint", path));
  c.network_disabled = TRY(json::bool_or_false(j, "NetworkDisabled", path));
  c.mac_address = TRY(json::string_or_empty(j, "MacAddress", path));
  c.on_build = TRY(json::opt_strings(j, "OnBuild", path));
  c.labels = TRY(json::opt_string_map(j, "Labels", path));
  c.stop_signal = TRY(json::string_or_empty(j, "StopSignal", path));
  c.stop_timeout = TRY(json::opt_int(j, "StopTimeout", path));
  c.shell = TRY(json::opt_strings(j, "Shell", path));
  return c;
}

OrderedJson container_config_json(const ContainerConfig& c) {
  return container_json(c);
}

Result<ImageConfig> parse_image_config(std::string_view bytes) {
  constexpr std::string_view kPath = "config";
  auto j = TRY(json::parse_object(bytes, "image config"));
  ImageConfig c;
  c.created_ns = TRY(opt_time(j, "created", kPath));
  c.author = TRY(json::string_or_empty(j, "author", kPath));
  c.architecture = TRY(json::string_or_empty(j, "architecture", kPath));
  c.os = TRY(json::string_or_empty(j, "os", kPath));
  if (c.os.empty()) c.os = "linux";
  c.os_version = TRY(json::string_or_empty(j, "os.version", kPath));
  c.os_features =
      TRY(json::opt_strings(j, "os.features", kPath)).value_or(std::vector<std::string>{});
  c.variant = TRY(json::string_or_empty(j, "variant", kPath));
  if (const Json* cfg = TRY(json::opt_object(j, "config", kPath))) {
    c.config = TRY(parse_container_config(*cfg, "config.config"));
  }
  const Json* rootfs = TRY(json::opt_object(j, "rootfs", kPath));
  if (rootfs == nullptr) {
    return make_error(ErrorCode::kInvalidArgument, "image config: rootfs: missing");
  }
  c.rootfs_type = TRY(json::string_or_empty(*rootfs, "type", "config.rootfs"));
  if (c.rootfs_type != "layers") {
    return make_error(ErrorCode::kInvalidArgument,
                      "image config: rootfs.type: must be \"layers\", got \"{}\"", c.rootfs_type);
  }
  auto diff_ids = TRY(json::opt_strings(*rootfs, "diff_ids", "config.rootfs"));
  if (diff_ids) {
    for (size_t i = 0; i < diff_ids->size(); ++i) {
      c.diff_ids.push_back(TRY_CTX(store::Digest::parse((*diff_ids)[i]),
                                   json::element("image config: rootfs.diff_ids", i)));
    }
  }
  if (const Json* hist = TRY(json::opt_array(j, "history", kPath))) {
    for (size_t i = 0; i < hist->size(); ++i) {
      c.history.push_back(TRY(parse_history((*hist)[i], json::element("config.history", i))));
    }
  }
  c.id = TRY(json::string_or_empty(j, "id", kPath));
  c.parent = TRY(json::string_or_empty(j, "parent", kPath));
  c.comment = TRY(json::string_or_empty(j, "comment", kPath));
  c.container = TRY(json::string_or_empty(j, "container", kPath));
  if (const Json* cc = TRY(json::opt_object(j, "container_config", kPath))) {
    c.container_config = TRY(parse_container_config(*cc, "config.container_config"));
  }
  c.docker_version = TRY(json::string_or_empty(j, "docker_version", kPath));
  return c;
}

std::string serialize_image_config(const ImageConfig& c) {
  OrderedJson j = OrderedJson::object();
  if (!c.id.empty()) j["id"] = c.id;
  if (!c.parent.empty()) j["parent"] = c.parent;
  if (!c.comment.empty()) j["comment"] = c.comment;
  if (c.created_ns) j["created"] = format_rfc3339_nano_ns(*c.created_ns);
  if (!c.container.empty()) j["container"] = c.container;
  if (c.container_config) j["container_config"] = container_json(*c.container_config);
  if (!c.docker_version.empty()) j["docker_version"] = c.docker_version;
  if (!c.author.empty()) j["author"] = c.author;
  if (c.config) j["config"] = container_json(*c.config);
  j["architecture"] = c.architecture;
  if (!c.variant.empty()) j["variant"] = c.variant;
  j["os"] = c.os;
  OrderedJson rootfs = OrderedJson::object();
  rootfs["type"] = c.rootfs_type;
  OrderedJson ids = OrderedJson::array();
  for (const auto& d : c.diff_ids) ids.push_back(d.to_string());
  rootfs["diff_ids"] = std::move(ids);
  j["rootfs"] = std::move(rootfs);
  if (!c.history.empty()) {
    OrderedJson hist = OrderedJson::array();
    for (const auto& h : c.history) {
      OrderedJson e = OrderedJson::object();
      if (h.created_ns) e["created"] = format_rfc3339_nano_ns(*h.created_ns);
      if (!h.author.empty()) e["author"] = h.author;
      if (!h.created_by.empty()) e["created_by"] = h.created_by;
      if (!h.comment.empty()) e["comment"] = h.comment;
      if (h.empty_layer) e["empty_layer"] = true;
      hist.push_back(std::move(e));
    }
    j["history"] = std::move(hist);
  }
  if (!c.os_version.empty()) j["os.version"] = c.os_version;
  if (!c.os_features.empty()) j["os.features"] = c.os_features;
  return j.dump();
}

}  // namespace berth::image
