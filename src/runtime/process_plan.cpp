#include "runtime/process_plan.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/close_range.h>
#include <sched.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

#include "base/strings.h"
#include "runtime/rlimits.h"
#include "sys/syscalls.h"

namespace berth::runtime {

CStringArray::CStringArray(std::vector<std::string> strings) : strings_(std::move(strings)) {
  pointers_.reserve(strings_.size() + 1);
  for (const auto& s : strings_) pointers_.push_back(s.c_str());
  pointers_.push_back(nullptr);
}

namespace {

Result<int> scheduler_policy(const std::string& name) {
  if (name == "SCHED_OTHER") return SCHED_OTHER;
  if (name == "SCHED_FIFO") return SCHED_FIFO;
  if (name == "SCHED_RR") return SCHED_RR;
  if (name == "SCHED_BATCH") return SCHED_BATCH;
  if (name == "SCHED_IDLE") return SCHED_IDLE;
  if (name == "SCHED_DEADLINE") return 6;  // SCHED_DEADLINE
  return make_error(ErrorCode::kInvalidArgument, "process.scheduler.policy: unsupported \"{}\"",
                    name);
}

Result<int> io_priority_value(const oci::IoPriority& prio) {
  int io_class;
  if (prio.io_class == "IOPRIO_CLASS_RT")
    io_class = 1;
  else if (prio.io_class == "IOPRIO_CLASS_BE")
    io_class = 2;
  else if (prio.io_class == "IOPRIO_CLASS_IDLE")
    io_class = 3;
  else
    return make_error(ErrorCode::kInvalidArgument, "process.ioPriority.class: unknown \"{}\"",
                      prio.io_class);
  if (prio.priority < 0 || prio.priority > 7)
    return Error(ErrorCode::kInvalidArgument, "process.ioPriority.priority: must be 0..7");
  return (io_class << 13) | prio.priority;
}

std::vector<std::string> path_entries(const std::vector<std::string>& env) {
  std::string path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  for (const auto& entry : env) {
    if (entry.rfind("PATH=", 0) == 0) path = entry.substr(5);
  }
  std::vector<std::string> dirs;
  for (auto& dir : split(path, ':')) dirs.push_back(dir.empty() ? "." : std::move(dir));
  return dirs;
}

}  // namespace

Result<ProcessPlan> make_process_plan(const oci::Process& process,
                                      const std::optional<oci::Seccomp>& seccomp,
                                      int preserve_fds) {
  ProcessPlan plan;
  if (process.args.empty())
    return Error(ErrorCode::kInvalidArgument, "process.args: must not be empty");
  plan.argv = CStringArray(process.args);
  plan.envp = CStringArray(process.env);
  plan.search_path = CStringArray(path_entries(process.env));
  plan.cwd = process.cwd.empty() ? "/" : process.cwd;
  plan.uid = process.user.uid;
  plan.gid = process.user.gid;
  plan.additional_gids.assign(process.user.additional_gids.begin(),
                              process.user.additional_gids.end());
  if (process.user.umask) plan.umask = static_cast<mode_t>(*process.user.umask);

  if (process.capabilities) {
    plan.has_capabilities = true;
    plan.capabilities = TRY(security::capability_sets_from_spec(*process.capabilities));
  }
  plan.last_cap = security::kernel_last_cap();
  plan.no_new_privileges = process.no_new_privileges;
  if (seccomp) {
    plan.seccomp = TRY_CTX(security::compile_seccomp(*seccomp), "linux.seccomp");
    plan.has_seccomp = true;
  }
  for (const auto& rl : process.rlimits) {
    RlimitSetting setting;
    setting.resource = TRY(rlimit_from_name(rl.type));
    setting.limit.rlim_cur = rl.soft;
    setting.limit.rlim_max = rl.hard;
    plan.rlimits.push_back(setting);
  }
  plan.oom_score_adj = process.oom_score_adj;
  if (process.scheduler) {
    plan.has_scheduler = true;
    plan.sched_policy = TRY(scheduler_policy(process.scheduler->policy));
    plan.sched_priority = process.scheduler->priority;
    plan.sched_nice = process.scheduler->nice;
  }
  if (process.io_priority) plan.io_priority = TRY(io_priority_value(*process.io_priority));
  plan.apparmor_profile = process.apparmor_profile;
  plan.terminal = process.terminal;
  plan.console_size = process.console_size;
  plan.preserve_fds = preserve_fds;
  return plan;
}

namespace {

// Looks argv[0] up as Go's exec.LookPath does (the cwd and PATH of the container); writes the
// path to run into `out`. Returns 0 or -errno.
int resolve_executable(const ProcessPlan& plan, char* out, size_t out_size) noexcept {
  const char* name = plan.argv.data()[0];
  auto is_executable = [](const char* path) {
    struct stat st {};
    if (::stat(path, &st) != 0) return -errno;
    if (S_ISDIR(st.st_mode)) return -EACCES;
    if ((st.st_mode & 0111) == 0) return -EACCES;
    return 0;
  };
  if (std::strchr(name, '/') != nullptr) {
    size_t len = std::strlen(name);
    if (len >= out_size) return -ENAMETOOLONG;
    std::memcpy(out, name, len + 1);
    return is_executable(out);
  }
  int last_error = -ENOENT;
  for (char* const* dir = plan.search_path.data(); *dir != nullptr; ++dir) {
    size_t dlen = std::strlen(*dir);
    size_t nlen = std::strlen(name);
    if (dlen + 1 + nlen >= out_size) continue;
    std::memcpy(out, *dir, dlen);
    out[dlen] = '/';
    std::memcpy(out + dlen + 1, name, nlen + 1);
    int rc = is_executable(out);
    if (rc == 0) return 0;
    if (rc == -EACCES) last_error = rc;
  }
  return last_error == -ENOENT ? kNotFoundInPath : last_error;
}

// The kernel's getcwd reports "(unreachable)/..." for a cwd outside the process root — the
// signature of a leaked host directory fd used as cwd (CVE-2024-21626).
int verify_cwd() noexcept {
  char buf[PATH_MAX];
  long rc = ::syscall(SYS_getcwd, buf, sizeof buf);
  if (rc < 0) return -errno;
  if (buf[0] != '/') return -ENOENT;
  return 0;
}

}  // namespace

int lookup_executable(const ProcessPlan& plan, char* out, size_t out_size) noexcept {
  return resolve_executable(plan, out, out_size);
}

int apply_credentials_and_security(const ProcessPlan& plan, const char** what) noexcept {
  for (const auto& rl : plan.rlimits) {
    if (::setrlimit(static_cast<__rlimit_resource_t>(rl.resource), &rl.limit) != 0) {
      *what = "setrlimit";
      return -errno;
    }
  }
  if (plan.personality && ::personality(*plan.personality) < 0) {
    *what = "personality";
    return -errno;
  }
  if (plan.has_scheduler) {
    struct sched_param param {};
    param.sched_priority = plan.sched_priority;
    if (::sched_setscheduler(0, plan.sched_policy, &param) != 0) {
      *what = "sched_setscheduler";
      return -errno;
    }
    if (plan.sched_nice != 0 && ::setpriority(PRIO_PROCESS, 0, plan.sched_nice) != 0) {
      *what = "setpriority";
      return -errno;
    }
  }
  if (plan.io_priority &&
      ::syscall(SYS_ioprio_set, 1 /* IOPRIO_WHO_PROCESS */, 0, *plan.io_priority) != 0) {
    *what = "ioprio_set";
    return -errno;
  }
  if (!plan.apparmor_profile.empty()) {
    int fd = ::open("/proc/self/attr/apparmor/exec", O_WRONLY | O_CLOEXEC);
    if (fd < 0) fd = ::open("/proc/self/attr/exec", O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
      *what = "set apparmor profile";
      return -errno;
    }
    char buf[512] = "exec ";
    size_t len = std::strlen(plan.apparmor_profile.c_str());
    if (len + 6 > sizeof buf) len = sizeof buf - 6;
    std::memcpy(buf + 5, plan.apparmor_profile.c_str(), len);
    int rc = sys::write_all_raw(fd, buf, len + 5);
    ::close(fd);
    if (rc < 0) {
      *what = "set apparmor profile";
      return rc;
    }
  }

  // Without no_new_privs, loading a filter needs CAP_SYS_ADMIN: load it before dropping caps.
  if (plan.has_seccomp && !plan.no_new_privileges) {
    int rc = security::load_seccomp_raw(plan.seccomp);
    if (rc < 0) {
      *what = "load seccomp filter";
      return rc;
    }
  }

  // Dropping from the bounding set needs CAP_SETPCAP in the effective set, which a change to a
  // non-root uid empties: drop while still root.
  if (plan.has_capabilities) {
    int rc = security::drop_bounding_raw(plan.capabilities.bounding, plan.last_cap);
    if (rc < 0) {
      *what = "drop capabilities from the bounding set";
      return rc;
    }
  }
  // Keep permitted capabilities across the uid change; the final sets are applied below.
  if (::prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0) {
    *what = "prctl(PR_SET_KEEPCAPS)";
    return -errno;
  }
  bool chdir_done = ::chdir(plan.cwd.c_str()) == 0;
  int chdir_errno = chdir_done ? 0 : errno;
  if (plan.set_groups) {
    if (::setgroups(plan.additional_gids.size(), plan.additional_gids.data()) != 0) {
      *what = "setgroups";
      return -errno;
    }
  }
  if (::syscall(SYS_setresgid, plan.gid, plan.gid, plan.gid) != 0) {
    *what = "setresgid";
    return -errno;
  }
  if (::syscall(SYS_setresuid, plan.uid, plan.uid, plan.uid) != 0) {
    *what = "setresuid";
    return -errno;
  }
  if (!chdir_done) {
    if (chdir_errno != EACCES && chdir_errno != EPERM) {
      *what = "chdir to cwd";
      return -chdir_errno;
    }
    if (::chdir(plan.cwd.c_str()) != 0) {
      *what = "chdir to cwd";
      return -errno;
    }
  }
  int rc = verify_cwd();
  if (rc < 0) {
    *what = "current working directory is outside of the container root";
    return rc;
  }
  if (::prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0) {
    *what = "prctl(PR_SET_KEEPCAPS)";
    return -errno;
  }
  if (plan.has_capabilities) {
    rc = security::apply_capabilities_raw(plan.capabilities, plan.last_cap);
    if (rc < 0) {
      *what = "apply capabilities";
      return rc;
    }
  }
  if (plan.umask) ::umask(*plan.umask);
  if (plan.no_new_privileges && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    *what = "prctl(PR_SET_NO_NEW_PRIVS)";
    return -errno;
  }
  return 0;
}

int exec_process(const ProcessPlan& plan, const char* resolved, const char** what) noexcept {
  // Everything but stdio and the fds passed on is closed at exec (CVE-2024-21626); the
  // passed ones must survive it.
  unsigned first_closed = 3 + static_cast<unsigned>(plan.preserve_fds);
  for (unsigned fd = 3; fd < first_closed; ++fd) {
    int flags = ::fcntl(static_cast<int>(fd), F_GETFD);
    if (flags >= 0) ::fcntl(static_cast<int>(fd), F_SETFD, flags & ~FD_CLOEXEC);
  }
  if (sys::raw_close_range(first_closed, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
    *what = "close_range";
    return -errno;
  }
  if (plan.has_seccomp && plan.no_new_privileges) {
    // Loaded last, so that the filter need not allow the runtime's own set-up calls.
    int rc = security::load_seccomp_raw(plan.seccomp);
    if (rc < 0) {
      *what = "load seccomp filter";
      return rc;
    }
  }
  ::execve(resolved, plan.argv.data(), plan.envp.data());
  *what = "exec";
  return -errno;
}

}  // namespace berth::runtime
