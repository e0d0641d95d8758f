// Validation of process (config.json's, or an exec's process.json).
#include <set>

#include "oci/runtime_spec_validate.h"
#include "oci/spec_names.h"
#include "oci/validate_internal.h"

namespace berth::oci {

namespace {

Status validate_rlimits(const std::vector<Rlimit>& rlimits) {
  std::set<std::string> seen;
  for (size_t i = 0; i < rlimits.size(); ++i) {
    const Rlimit& rlimit = rlimits[i];
    std::string field = fmt::format("process.rlimits[{}]", i);
    if (!is_known_rlimit(rlimit.type)) {
      return invalid_field(field + ".type", "unknown rlimit {:?}", rlimit.type);
    }
    if (!seen.insert(rlimit.type).second) {
      return invalid_field(field + ".type", "duplicate rlimit {}", rlimit.type);
    }
    if (rlimit.soft > rlimit.hard) {
      return invalid_field(field, "soft limit {} exceeds hard limit {}", rlimit.soft, rlimit.hard);
    }
  }
  return {};
}

Status validate_capability_set(std::string_view set_name, const std::vector<std::string>& caps) {
  for (size_t i = 0; i < caps.size(); ++i) {
    if (!is_known_capability(caps[i])) {
      return invalid_field(fmt::format("process.capabilities.{}[{}]", set_name, i),
                           "unknown capability {:?}", caps[i]);
    }
  }
  return {};
}

Status validate_capabilities(const Capabilities& caps) {
  TRY(validate_capability_set("bounding", caps.bounding));
  TRY(validate_capability_set("effective", caps.effective));
  TRY(validate_capability_set("inheritable", caps.inheritable));
  TRY(validate_capability_set("permitted", caps.permitted));
  TRY(validate_capability_set("ambient", caps.ambient));
  return {};
}

// The combinations sched_setattr(2) accepts, as runc checks them.
Status validate_scheduler(const Scheduler& scheduler) {
  if (!is_known_scheduler_policy(scheduler.policy)) {
    return invalid_field("process.scheduler.policy", "unknown policy {:?}", scheduler.policy);
  }
  if (scheduler.nice < -20 || scheduler.nice > 19) {
    return invalid_field("process.scheduler.nice", "must be between -20 and 19, got {}",
                         scheduler.nice);
  }
  bool realtime = scheduler.policy == "SCHED_FIFO" || scheduler.policy == "SCHED_RR";
  if (scheduler.priority != 0 && !realtime) {
    return invalid_field("process.scheduler.priority",
                         "only SCHED_FIFO and SCHED_RR take a priority, policy is {}",
                         scheduler.policy);
  }
  bool deadline = scheduler.policy == "SCHED_DEADLINE";
  if (!deadline && (scheduler.runtime != 0 || scheduler.deadline != 0 || scheduler.period != 0)) {
    return invalid_field("process.scheduler",
                         "runtime, deadline and period apply only to SCHED_DEADLINE, policy is {}",
                         scheduler.policy);
  }
  for (size_t i = 0; i < scheduler.flags.size(); ++i) {
    if (!is_known_scheduler_flag(scheduler.flags[i])) {
      return invalid_field(fmt::format("process.scheduler.flags[{}]", i), "unknown flag {:?}",
                           scheduler.flags[i]);
    }
  }
  return {};
}

Status validate_io_priority(const IoPriority& priority) {
  if (!is_known_io_priority_class(priority.io_class)) {
    return invalid_field("process.ioPriority.class", "unknown class {:?}", priority.io_class);
  }
  if (priority.priority < 0 || priority.priority > 7) {
    return invalid_field("process.ioPriority.priority", "must be between 0 and 7, got {}",
                         priority.priority);
  }
  return {};
}

}  // namespace

// With a user namespace of its own, the process can only become ids its maps cover.
Status validate_user_mapped(const User& user, const Spec& spec) {
  if (!spec.linux || namespace_mode(spec, NamespaceType::kUser) == NamespaceMode::kInherit) {
    return {};
  }
  const auto& uid_map = spec.linux->uid_mappings;
  const auto& gid_map = spec.linux->gid_mappings;
  if (!uid_map.empty() && !id_is_mapped(uid_map, user.uid)) {
    return invalid_field("process.user.uid", "{} is not mapped by linux.uidMappings", user.uid);
  }
  if (gid_map.empty()) return {};
  if (!id_is_mapped(gid_map, user.gid)) {
    return invalid_field("process.user.gid", "{} is not mapped by linux.gidMappings", user.gid);
  }
  for (size_t i = 0; i < user.additional_gids.size(); ++i) {
    if (!id_is_mapped(gid_map, user.additional_gids[i])) {
      return invalid_field(fmt::format("process.user.additionalGids[{}]", i),
                           "{} is not mapped by linux.gidMappings", user.additional_gids[i]);
    }
  }
  return {};
}

Status validate_process(const Process& process, const Spec* container_spec) {
  if (process.args.empty()) return invalid_field("process.args", "must not be empty");
  for (size_t i = 0; i < process.args.size(); ++i) {
    TRY(check_no_nul(fmt::format("process.args[{}]", i), process.args[i]));
  }
  TRY(check_absolute("process.cwd", process.cwd));
  TRY(check_env("process.env", process.env));
  TRY(validate_rlimits(process.rlimits));
  if (process.capabilities) TRY(validate_capabilities(*process.capabilities));
  if (process.oom_score_adj && (*process.oom_score_adj < -1000 || *process.oom_score_adj > 1000)) {
    return invalid_field("process.oomScoreAdj", "must be between -1000 and 1000, got {}",
                         *process.oom_score_adj);
  }
  if (process.scheduler) TRY(validate_scheduler(*process.scheduler));
  if (process.io_priority) TRY(validate_io_priority(*process.io_priority));
  if (process.user.umask && *process.user.umask > 0777) {
    return invalid_field("process.user.umask", "must be at most 0777, got {:#o}",
                         *process.user.umask);
  }
  if (container_spec != nullptr) TRY(validate_user_mapped(process.user, *container_spec));
  return {};
}

}  // namespace berth::oci
