// config.json "process" (and the process.json that `exec --process` takes) <-> oci::Process.
#include "oci/runtime_spec_json.h"
#include "oci/spec_json_parts.h"

namespace berth::oci {

Status read_value(const Json& json, const std::string& path, User* out) {
  auto r = TRY(ObjectReader::open(json, path));
  // uid/gid are REQUIRED in the spec, but a missing user object already means uid 0 / gid 0,
  // so a missing uid inside one is read the same way (as runc does).
  TRY(r.get("uid", &out->uid));
  TRY(r.get("gid", &out->gid));
  TRY(r.get("umask", &out->umask));
  TRY(r.get("additionalGids", &out->additional_gids));
  TRY(r.get("username", &out->username));
  return {};
}

Json write_value(const User& user) {
  Json out = {{"uid", user.uid}, {"gid", user.gid}};
  put_optional(out, "umask", user.umask);
  put_array(out, "additionalGids", user.additional_gids);
  put_string(out, "username", user.username);
  return out;
}

Status read_value(const Json& json, const std::string& path, ConsoleSize* out) {
  auto r = TRY(ObjectReader::open(json, path));
  TRY(r.require("height", &out->height));
  TRY(r.require("width", &out->width));
  return {};
}

Json write_value(const ConsoleSize& size) {
  return {{"height", size.height}, {"width", size.width}};
}

Status read_value(const Json& json, const std::string& path, Capabilities* out) {
  auto r = TRY(ObjectReader::open(json, path));
  TRY(r.get("bounding", &out->bounding));
  TRY(r.get("effective", &out->effective));
  TRY(r.get("inheritable", &out->inheritable));
  TRY(r.get("permitted", &out->permitted));
  TRY(r.get("ambient", &out->ambient));
  return {};
}

Json write_value(const Capabilities& caps) {
  Json out = Json::object();
  put_array(out, "bounding", caps.bounding);
  put_array(out, "effective", caps.effective);
  put_array(out, "inheritable", caps.inheritable);
  put_array(out, "permitted", caps.permitted);
  put_array(out, "ambient", caps.ambient);
  return out;
}

Status read_value(const Json& json, const std::string& path, Rlimit* out) {
  auto r = TRY(ObjectReader::open(json, path));
  TRY(r.get("type", &out->type));
  TRY(r.require("hard", &out->hard));
  TRY(r.require("soft", &out->soft));
  return {};
}

Json write_value(const Rlimit& rlimit) {
  return {{"type", rlimit.type}, {"hard", rlimit.hard}, {"soft", rlimit.soft}};
}

Status read_value(const Json& json, const std::string& path, IoPriority* out) {
  auto r = TRY(ObjectReader::open(json, path));
  TRY(r.get("class", &out->io_class));
  TRY(r.require("priority", &out->priority));
  return {};
}

Json write_value(const IoPriority& priority) {
  return {{"class", priority.io_class}, {"priority", priority.priority}};
}

Status read_value(const Json& json, const std::string& path, Scheduler* out) {
  auto r = TRY(ObjectReader::open(json, path));
  TRY(r.get("policy", &out->policy));
  TRY(r.get("nice", &out->nice));
  TRY(r.get("priority", &out->priority));
  TRY(r.get("flags", &out->flags));
  TRY(r.get("runtime", &out->runtime));
  TRY(r.get("deadline", &out->deadline));
  TRY(r.get("period", &out->period));
  return {};
}

Json write_value(const Scheduler& scheduler) {
  Json out = {{"policy", scheduler.policy}};
  put_nonzero(out, "nice", scheduler.nice);
  put_nonzero(out, "priority", scheduler.priority);
  put_array(out, "flags", scheduler.flags);
  put_nonzero(out, "runtime", scheduler.runtime);
  put_nonzero(out, "deadline", scheduler.deadline);
  put_nonzero(out, "period", scheduler.period);
  return out;
}

Status read_value(const Json& json, const std::string& path, Process* out) {
  auto r = TRY(ObjectReader::open(json, path));
  TRY(r.get("terminal", &out->terminal));
  TRY(r.get("consoleSize", &out->console_size));
  TRY(r.get("cwd", &out->cwd));
  TRY(r.get("env", &out->env));
  TRY(r.get("args", &out->args));
  TRY(r.get("rlimits", &out->rlimits));
  TRY(r.get("apparmorProfile", &out->apparmor_profile));
  TRY(r.get("capabilities", &out->capabilities));
  TRY(r.get("noNewPrivileges", &out->no_new_privileges));
  TRY(r.get("oomScoreAdj", &out->oom_score_adj));
  TRY(r.get("scheduler", &out->scheduler));
  TRY(r.get("selinuxLabel", &out->selinux_label));
  TRY(r.get("ioPriority", &out->io_priority));
  TRY(r.get("user", &out->user));
  return {};
}

Json write_value(const Process& process) {
  Json out = {{"cwd", process.cwd}, {"user", write_value(process.user)}};
  put_flag(out, "terminal", process.terminal);
  put_optional(out, "consoleSize", process.console_size);
  put_array(out, "env", process.env);
  put_array(out, "args", process.args);
  put_array(out, "rlimits", process.rlimits);
  put_string(out, "apparmorProfile", process.apparmor_profile);
  put_optional(out, "capabilities", process.capabilities);
  put_flag(out, "noNewPrivileges", process.no_new_privileges);
  put_optional(out, "oomScoreAdj", process.oom_score_adj);
  put_optional(out, "scheduler", process.scheduler);
  put_string(out, "selinuxLabel", process.selinux_label);
  put_optional(out, "ioPriority", process.io_priority);
  return out;
}

Result<Process> parse_process(const Json& json) {
  Process process;
  TRY(read_value(json, "process", &process));
  return process;
}

Json to_json(const Process& process) {
  return write_value(process);
}

}  // namespace berth::oci
