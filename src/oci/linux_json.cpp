// config.json "linux" <-> oci::Linux (resources and seccomp have their own files).
#include "oci/spec_json_parts.h"

namespace berth::oci {

namespace {

bool is_node_device(const std::string& type) {
  return type == "c" || type == "b" || type == "u";
}

}  // namespace

Status read_value(const Json& json, const std::string& path, IdMapping* out) {
  auto r = TRY(ObjectReader::open(json, path));
  TRY(r.require("containerID", &out->container_id));
  TRY(r.require("hostID", &out->host_id));
  TRY(r.require("size", &out->size));
  return {};
}

Json write_value(const IdMapping& mapping) {
  return {
      {"containerID", mapping.container_id}, {"hostID", mapping.host_id}, {"size", mapping.size}};
}

Status read_value(const Json& json, const std::string& path, Namespace* out) {
  auto r = TRY(ObjectReader::open(json, path));
  // The enum cannot hold an unknown type, so that check is the parser's.
  std::string type;
  if (!r.has("type")) return required_error(r.path_of("type"));
  TRY(r.get("type", &type));
  std::optional<NamespaceType> parsed = namespace_type_from_name(type);
  if (!parsed) {
    return make_error(ErrorCode::kInvalidArgument, "{}: unknown namespace type \"{}\"",
                      r.path_of("type"), type);
  }
  out->type = *parsed;
  TRY(r.get("path", &out->path));
  return {};
}

Json write_value(const Namespace& ns) {
  Json out = {{"type", namespace_type_name(ns.type)}};
  put_string(out, "path", ns.path);
  return out;
}

Status read_value(const Json& json, const std::string& path, Device* out) {
  auto r = TRY(ObjectReader::open(json, path));
  TRY(r.get("type", &out->type));
  TRY(r.get("path", &out->path));
  // major/minor are REQUIRED unless the device is a FIFO ("p").
  if (is_node_device(out->type)) {
    TRY(r.require("major", &out->major));
    TRY(r.require("minor", &out->minor));
  } else {
    TRY(r.get("major", &out->major));
    TRY(r.get("minor", &out->minor));
  }
  TRY(r.get("fileMode", &out->file_mode));
  TRY(r.get("uid", &out->uid));
  TRY(r.get("gid", &out->gid));
  return {};
}

Json write_value(const Device& device) {
  Json out = {{"type", device.type}, {"path", device.path}};
  if (is_node_device(device.type)) {
    out["major"] = device.major;
    out["minor"] = device.minor;
  } else {
    put_nonzero(out, "major", device.major);
    put_nonzero(out, "minor", device.minor);
  }
  put_optional(out, "fileMode", device.file_mode);
  put_optional(out, "uid", device.uid);
  put_optional(out, "gid", device.gid);
  return out;
}

Status read_value(const Json& json, const std::string& path, TimeOffset* out) {
  auto r = TRY(ObjectReader::open(json, path));
  TRY(r.get("secs", &out->secs));
  TRY(r.get("nanosecs", &out->nanosecs));
  return {};
}

Json write_value(const TimeOffset& offset) {
  return {{"secs", offset.secs}, {"nanosecs", offset.nanosecs}};
}

Status read_value(const Json& json, const std::string& path, Personality* out) {
  auto r = TRY(ObjectReader::open(json, path));
  TRY(r.get("domain", &out->domain));
  TRY(r.get("flags", &out->flags));
  return {};
}

Json write_value(const Personality& personality) {
  Json out = {{"domain", personality.domain}};
  put_array(out, "flags", personality.flags);
  return out;
}

Status read_value(const Json& json, const std::string& path, IntelRdt* out) {
  auto r = TRY(ObjectReader::open(json, path));
  TRY(r.get("closID", &out->clos_id));
  TRY(r.get("l3CacheSchema", &out->l3_cache_schema));
  TRY(r.get("memBwSchema", &out->mem_bw_schema));
  TRY(r.get("enableCMT", &out->enable_cmt));
  TRY(r.get("enableMBM", &out->enable_mbm));
  return {};
}

Json write_value(const IntelRdt& rdt) {
  Json out = Json::object();
  put_string(out, "closID", rdt.clos_id);
  put_string(out, "l3CacheSchema", rdt.l3_cache_schema);
  put_string(out, "memBwSchema", rdt.mem_bw_schema);
  put_flag(out, "enableCMT", rdt.enable_cmt);
  put_flag(out, "enableMBM", rdt.enable_mbm);
  return out;
}

Status read_value(const Json& json, const std::string& path, Linux* out) {
  auto r = TRY(ObjectReader::open(json, path));
  TRY(r.get("uidMappings", &out->uid_mappings));
  TRY(r.get("gidMappings", &out->gid_mappings));
  TRY(r.get("sysctl", &out->sysctl));
  TRY(r.get("resources", &out->resources));
  TRY(r.get("cgroupsPath", &out->cgroups_path));
  TRY(r.get("namespaces", &out->namespaces));
  TRY(r.get("devices", &out->devices));
  TRY(r.get("seccomp", &out->seccomp));
  TRY(r.get("rootfsPropagation", &out->rootfs_propagation));
  TRY(r.get("maskedPaths", &out->masked_paths));
  TRY(r.get("readonlyPaths", &out->readonly_paths));
  TRY(r.get("mountLabel", &out->mount_label));
  TRY(r.get("timeOffsets", &out->time_offsets));
  TRY(r.get("personality", &out->personality));
  TRY(r.get("intelRdt", &out->intel_rdt));
  return {};
}

Json write_value(const Linux& linux_config) {
  Json out = Json::object();
  put_array(out, "uidMappings", linux_config.uid_mappings);
  put_array(out, "gidMappings", linux_config.gid_mappings);
  put_map(out, "sysctl", linux_config.sysctl);
  put_optional(out, "resources", linux_config.resources);
  put_string(out, "cgroupsPath", linux_config.cgroups_path);
  put_array(out, "namespaces", linux_config.namespaces);
  put_array(out, "devices", linux_config.devices);
  put_optional(out, "seccomp", linux_config.seccomp);
  put_string(out, "rootfsPropagation", linux_config.rootfs_propagation);
  put_array(out, "maskedPaths", linux_config.masked_paths);
  put_array(out, "readonlyPaths", linux_config.readonly_paths);
  put_string(out, "mountLabel", linux_config.mount_label);
  put_map(out, "timeOffsets", linux_config.time_offsets);
  put_optional(out, "personality", linux_config.personality);
  put_optional(out, "intelRdt", linux_config.intel_rdt);
  return out;
}

}  // namespace berth::oci
