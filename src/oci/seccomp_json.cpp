// linux.seccomp <-> oci::Seccomp.
#include "oci/spec_json_parts.h"

namespace berth::oci {

Status read_value(const Json& json, const std::string& path, SeccompArg* out) {
  auto r = TRY(ObjectReader::open(json, path));
  TRY(r.require("index", &out->index));
  TRY(r.require("value", &out->value));
  TRY(r.get("valueTwo", &out->value_two));
  TRY(r.get("op", &out->op));
  return {};
}

Json write_value(const SeccompArg& arg) {
  Json out = {{"index", arg.index}, {"value", arg.value}, {"op", arg.op}};
  put_nonzero(out, "valueTwo", arg.value_two);
  return out;
}

Status read_value(const Json& json, const std::string& path, SeccompSyscall* out) {
  auto r = TRY(ObjectReader::open(json, path));
  TRY(r.get("names", &out->names));
  TRY(r.get("action", &out->action));
  TRY(r.get("errnoRet", &out->errno_ret));
  TRY(r.get("args", &out->args));
  return {};
}

Json write_value(const SeccompSyscall& syscall) {
  Json out = {{"names", write_value(syscall.names)}, {"action", syscall.action}};
  put_optional(out, "errnoRet", syscall.errno_ret);
  put_array(out, "args", syscall.args);
  return out;
}

Status read_value(const Json& json, const std::string& path, Seccomp* out) {
  auto r = TRY(ObjectReader::open(json, path));
  TRY(r.get("defaultAction", &out->default_action));
  TRY(r.get("defaultErrnoRet", &out->default_errno_ret));
  TRY(r.get("architectures", &out->architectures));
  TRY(r.get("flags", &out->flags));
  TRY(r.get("listenerPath", &out->listener_path));
  TRY(r.get("listenerMetadata", &out->listener_metadata));
  TRY(r.get("syscalls", &out->syscalls));
  return {};
}

Json write_value(const Seccomp& seccomp) {
  Json out = {{"defaultAction", seccomp.default_action}};
  put_optional(out, "defaultErrnoRet", seccomp.default_errno_ret);
  put_array(out, "architectures", seccomp.architectures);
  put_array(out, "flags", seccomp.flags);
  put_string(out, "listenerPath", seccomp.listener_path);
  put_string(out, "listenerMetadata", seccomp.listener_metadata);
  put_array(out, "syscalls", seccomp.syscalls);
  return out;
}

}  // namespace berth::oci
