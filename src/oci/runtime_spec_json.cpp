// The top of config.json (version, root, mounts, hooks, hostname, annotations) and the entry
// points of runtime_spec_json.h. Sections with more to them have their own *_json.cpp.
#include "oci/runtime_spec_json.h"

#include <cerrno>

#include "base/file_util.h"
#include "oci/spec_json_parts.h"

namespace berth::oci {

Status read_value(const Json& json, const std::string& path, Root* out) {
  auto r = TRY(ObjectReader::open(json, path));
  TRY(r.get("path", &out->path));
  TRY(r.get("readonly", &out->readonly));
  return {};
}

Json write_value(const Root& root) {
  Json out = {{"path", root.path}};
  put_flag(out, "readonly", root.readonly);
  return out;
}

Status read_value(const Json& json, const std::string& path, Mount* out) {
  auto r = TRY(ObjectReader::open(json, path));
  TRY(r.get("destination", &out->destination));
  TRY(r.get("type", &out->type));
  TRY(r.get("source", &out->source));
  TRY(r.get("options", &out->options));
  TRY(r.get("uidMappings", &out->uid_mappings));
  TRY(r.get("gidMappings", &out->gid_mappings));
  return {};
}

Json write_value(const Mount& mount) {
  Json out = {{"destination", mount.destination}};
  put_string(out, "type", mount.type);
  put_string(out, "source", mount.source);
  put_array(out, "options", mount.options);
  put_array(out, "uidMappings", mount.uid_mappings);
  put_array(out, "gidMappings", mount.gid_mappings);
  return out;
}

Status read_value(const Json& json, const std::string& path, Hook* out) {
  auto r = TRY(ObjectReader::open(json, path));
  TRY(r.get("path", &out->path));
  TRY(r.get("args", &out->args));
  TRY(r.get("env", &out->env));
  TRY(r.get("timeout", &out->timeout));
  return {};
}

Json write_value(const Hook& hook) {
  Json out = {{"path", hook.path}};
  put_array(out, "args", hook.args);
  put_array(out, "env", hook.env);
  put_optional(out, "timeout", hook.timeout);
  return out;
}

Status read_value(const Json& json, const std::string& path, Hooks* out) {
  auto r = TRY(ObjectReader::open(json, path));
  TRY(r.get("prestart", &out->prestart));
  TRY(r.get("createRuntime", &out->create_runtime));
  TRY(r.get("createContainer", &out->create_container));
  TRY(r.get("startContainer", &out->start_container));
  TRY(r.get("poststart", &out->poststart));
  TRY(r.get("poststop", &out->poststop));
  return {};
}

Json write_value(const Hooks& hooks) {
  Json out = Json::object();
  put_array(out, "prestart", hooks.prestart);
  put_array(out, "createRuntime", hooks.create_runtime);
  put_array(out, "createContainer", hooks.create_container);
  put_array(out, "startContainer", hooks.start_container);
  put_array(out, "poststart", hooks.poststart);
  put_array(out, "poststop", hooks.poststop);
  return out;
}

Result<Spec> parse_spec(const Json& json) {
  if (!json.is_object()) return type_error("config", "an object", json);
  auto r = TRY(ObjectReader::open(json, ""));
  Spec spec;
  TRY(r.get("ociVersion", &spec.oci_version));
  TRY(r.get("process", &spec.process));
  TRY(r.get("root", &spec.root));
  TRY(r.get("hostname", &spec.hostname));
  TRY(r.get("domainname", &spec.domainname));
  TRY(r.get("mounts", &spec.mounts));
  TRY(r.get("hooks", &spec.hooks));
  TRY(r.get("annotations", &spec.annotations));
  TRY(r.get("linux", &spec.linux));
  return spec;
}

Result<Spec> parse_spec_text(std::string_view text) {
  Json json = TRY(parse_json(text, "config"));
  return parse_spec(json);
}

Result<Spec> load_spec(const std::string& bundle_dir) {
  std::string path = path_join(bundle_dir, "config.json");
  Result<std::string> text = read_file(path);
  if (!text.ok()) {
    if (text.error().sys_errno() == ENOENT) {
      return Error(ErrorCode::kNotFound,
                   fmt::format("load spec: bundle {} has no config.json", bundle_dir), ENOENT);
    }
    return std::move(text).error().context("load spec");
  }
  Result<Spec> spec = parse_spec_text(*text);
  if (!spec.ok()) return std::move(spec).error().context(fmt::format("load spec: {}", path));
  return spec;
}

Json to_json(const Spec& spec) {
  Json out = {{"ociVersion", spec.oci_version}};
  put_optional(out, "process", spec.process);
  put_optional(out, "root", spec.root);
  put_string(out, "hostname", spec.hostname);
  put_string(out, "domainname", spec.domainname);
  put_array(out, "mounts", spec.mounts);
  put_optional(out, "hooks", spec.hooks);
  put_map(out, "annotations", spec.annotations);
  put_optional(out, "linux", spec.linux);
  return out;
}

}  // namespace berth::oci
