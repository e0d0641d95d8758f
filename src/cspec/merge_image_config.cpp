#include "cspec/merge_image_config.h"

#include <optional>
#include <vector>

#include "base/file_util.h"
#include "cspec/docker_json.h"

namespace berth::cspec {
namespace {

using StrSlice = std::optional<std::vector<std::string>>;

constexpr std::string_view kConfig = "Config";

Json slice_json(const StrSlice& slice) {
  if (!slice) return nullptr;
  return *slice;
}

std::string env_name(const std::string& entry) {
  return entry.substr(0, entry.find('='));
}

Result<Json> merge_env(const Json& user, const Json& image) {
  auto user_env = TRY(get_strings(user, "Env", kConfig));
  auto image_env = TRY(get_strings(image, "Env", "Image.Config"));
  if (user_env.empty()) {
    if (field(image, "Env") == nullptr) return Json(nullptr);
    return Json(image_env);
  }
  for (const auto& entry : image_env) {
    std::string name = env_name(entry);
    bool found = false;
    for (const auto& mine : user_env) {
      if (env_name(mine) == name) {
        found = true;
        break;
      }
    }
    if (!found) user_env.push_back(entry);
  }
  return Json(user_env);
}

// ExposedPorts and Volumes: sets spelled as objects whose values are {}.
Result<Json> merge_set(const Json& user, const Json& image, std::string_view key) {
  const Json* mine = field(user, key);
  const Json* theirs = field(image, key);
  if (mine != nullptr && !mine->is_object()) return type_error(*mine, kConfig, key, "map");
  if (theirs != nullptr && !theirs->is_object()) {
    return type_error(*theirs, "Image.Config", key, "map");
  }
  if (mine == nullptr || mine->empty()) return theirs == nullptr ? Json(nullptr) : *theirs;
  Json out = Json::object();
  for (const auto& [name, value] : mine->items()) out[name] = Json::object();
  if (theirs != nullptr) {
    for (const auto& [name, value] : theirs->items()) out[name] = Json::object();
  }
  return out;
}

Result<Json> merge_labels(const Json& user, const Json& image) {
  auto labels = TRY(get_string_map(user, "Labels", kConfig));
  auto image_labels = TRY(get_string_map(image, "Labels", "Image.Config"));
  for (const auto& [name, value] : image_labels) labels.emplace(name, value);
  Json out = Json::object();
  for (const auto& [name, value] : labels) out[name] = value;
  return out;
}

Result<Json> merge_healthcheck(const Json& user, const Json& image) {
  const Json* mine = field(user, "Healthcheck");
  const Json* theirs = field(image, "Healthcheck");
  if (mine != nullptr && !mine->is_object()) {
    return type_error(*mine, kConfig, "Healthcheck", "HealthcheckConfig");
  }
  if (theirs == nullptr || !theirs->is_object()) {
    return mine == nullptr ? Json(nullptr) : *mine;
  }
  if (mine == nullptr) return *theirs;
  Json out = *mine;
  auto test = TRY(get_strings(*mine, "Test", "Config.Healthcheck"));
  if (test.empty() && field(*theirs, "Test") != nullptr) out["Test"] = (*theirs)["Test"];
  for (const char* key : {"Interval", "Timeout", "StartPeriod", "StartInterval", "Retries"}) {
    int64_t value = TRY(get_int(*mine, key, "Config.Healthcheck"));
    if (value == 0 && field(*theirs, key) != nullptr) out[key] = (*theirs)[key];
  }
  return out;
}

// Copies a field of the request through, checking its type; `omit_empty` fields are left out
// when unset, as dockerd's `json:",omitempty"` tags do.
Status copy_string(const Json& user, Json& out, const char* key, bool omit_empty = false) {
  std::string value = TRY(get_string(user, key, kConfig));
  if (!(omit_empty && value.empty())) out[key] = value;
  return {};
}

Status copy_bool(const Json& user, Json& out, const char* key, bool omit_empty = false) {
  bool value = TRY(get_bool(user, key, kConfig));
  if (!(omit_empty && !value)) out[key] = value;
  return {};
}

}  // namespace

Result<Json> merge_image_config(const Json& container_config, const Json& image_config,
                                const MergeOptions& options) {
  const Json& user = container_config;
  static const Json kNoImage = Json::object();
  const Json& image = image_config.is_object() ? image_config : kNoImage;
  if (!user.is_null() && !user.is_object()) {
    return make_error(ErrorCode::kInvalidArgument,
                      "config cannot be empty in order to create a container");
  }

  Json out = Json::object();
  std::string hostname = TRY(get_string(user, "Hostname", kConfig));
  if (hostname.empty()) {
    hostname = options.host_network ? options.host_hostname : options.container_id.substr(0, 12);
  }
  out["Hostname"] = hostname;
  TRY(copy_string(user, out, "Domainname"));
  std::string user_name = TRY(get_string(user, "User", kConfig));
  if (user_name.empty()) user_name = TRY(get_string(image, "User", "Image.Config"));
  out["User"] = user_name;
  TRY(copy_bool(user, out, "AttachStdin"));
  TRY(copy_bool(user, out, "AttachStdout"));
  TRY(copy_bool(user, out, "AttachStderr"));
  Json ports = TRY(merge_set(user, image, "ExposedPorts"));
  if (!ports.is_null() && !ports.empty()) out["ExposedPorts"] = ports;
  TRY(copy_bool(user, out, "Tty"));
  TRY(copy_bool(user, out, "OpenStdin"));
  TRY(copy_bool(user, out, "StdinOnce"));
  out["Env"] = TRY(merge_env(user, image));

  StrSlice entrypoint = TRY(get_str_slice(user, "Entrypoint", kConfig));
  StrSlice cmd = TRY(get_str_slice(user, "Cmd", kConfig));
  if (!entrypoint || entrypoint->empty()) {
    if (!cmd || cmd->empty()) cmd = TRY(get_str_slice(image, "Cmd", "Image.Config"));
    if (!entrypoint) entrypoint = TRY(get_str_slice(image, "Entrypoint", "Image.Config"));
  }
  if (entrypoint && entrypoint->size() == 1 && entrypoint->front().empty()) entrypoint.reset();
  if ((!entrypoint || entrypoint->empty()) && (!cmd || cmd->empty())) {
    return make_error(ErrorCode::kInvalidArgument, "no command specified");
  }
  out["Cmd"] = slice_json(cmd);

  Json healthcheck = TRY(merge_healthcheck(user, image));
  if (!healthcheck.is_null()) out["Healthcheck"] = healthcheck;
  TRY(copy_bool(user, out, "ArgsEscaped", true));
  TRY(copy_string(user, out, "Image"));
  out["Volumes"] = TRY(merge_set(user, image, "Volumes"));
  std::string working_dir = TRY(get_string(user, "WorkingDir", kConfig));
  working_dir = working_dir.empty() ? TRY(get_string(image, "WorkingDir", "Image.Config"))
                                    : clean_path(working_dir);
  out["WorkingDir"] = working_dir;
  out["Entrypoint"] = slice_json(entrypoint);
  TRY(copy_bool(user, out, "NetworkDisabled", true));
  TRY(copy_string(user, out, "MacAddress", true));
  auto on_build = TRY(get_strings(user, "OnBuild", kConfig));
  out["OnBuild"] = on_build.empty() ? Json(nullptr) : Json(on_build);
  out["Labels"] = TRY(merge_labels(user, image));
  std::string stop_signal = TRY(get_string(user, "StopSignal", kConfig));
  if (stop_signal.empty()) stop_signal = TRY(get_string(image, "StopSignal", "Image.Config"));
  if (!stop_signal.empty()) out["StopSignal"] = stop_signal;
  auto stop_timeout = TRY(get_optional_int(user, "StopTimeout", kConfig));
  if (stop_timeout) out["StopTimeout"] = *stop_timeout;
  StrSlice shell = TRY(get_str_slice(user, "Shell", kConfig));
  if (shell && !shell->empty()) out["Shell"] = *shell;
  return out;
}

Result<Json> merge_image_config(const Json& container_config, const Json& image_config,
                                const std::string& container_id) {
  MergeOptions options;
  options.container_id = container_id;
  return merge_image_config(container_config, image_config, options);
}

}  // namespace berth::cspec
