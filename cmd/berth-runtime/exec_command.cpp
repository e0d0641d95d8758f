// exec: run a new process inside a running container.
#include <sys/socket.h>
#include <unistd.h>

#include "base/file_util.h"
#include "base/strings.h"
#include "commands.h"
#include "foreground.h"
#include "oci/runtime_spec_json.h"
#include "sys/fd_passing.h"

namespace berth::runtime_cli {
namespace {

struct ExecFlags {
  std::string id;
  std::vector<std::string> command;
  std::string process_file;
  std::string console_socket;
  std::string pid_file;
  std::string cwd;
  std::vector<std::string> env;
  std::string user;
  std::vector<uint32_t> additional_gids;
  std::vector<std::string> caps;
  std::string apparmor;
  std::string process_label;
  std::string cgroup;
  bool tty = false;
  bool detach = false;
  bool no_new_privs = false;
  bool ignore_paused = false;
  int preserve_fds = 0;
};

Result<oci::Process> build_process(runtime::Runtime& rt, const ExecFlags& f) {
  if (!f.process_file.empty()) {
    std::string text = TRY(read_file(f.process_file));
    Json j = TRY(parse_json(text, f.process_file));
    return oci::parse_process(j);
  }
  if (f.command.empty())
    return Error(ErrorCode::kInvalidArgument, "exec: no command given (args or --process)");
  oci::Spec spec = TRY(rt.store().load_config(f.id));
  oci::Process p = spec.process.value_or(oci::Process{});
  p.args = f.command;
  p.terminal = f.tty;
  p.console_size.reset();
  for (const auto& e : f.env) p.env.push_back(e);
  if (!f.cwd.empty()) p.cwd = f.cwd;
  if (!f.user.empty()) {
    auto [uid, gid] = split_once(f.user, ':');
    p.user.uid = TRY(parse_uint64(uid)) & 0xffffffffu;
    if (!gid.empty()) p.user.gid = TRY(parse_uint64(gid)) & 0xffffffffu;
  }
  for (uint32_t g : f.additional_gids) p.user.additional_gids.push_back(g);
  if (!f.caps.empty()) {
    if (!p.capabilities) p.capabilities.emplace();
    for (const auto& c : f.caps) {
      for (auto* set : {&p.capabilities->bounding, &p.capabilities->effective,
                        &p.capabilities->permitted, &p.capabilities->inheritable}) {
        set->push_back(c);
      }
    }
  }
  if (f.no_new_privs) p.no_new_privileges = true;
  if (!f.apparmor.empty()) p.apparmor_profile = f.apparmor;
  if (!f.process_label.empty()) p.selinux_label = f.process_label;
  return p;
}

int do_exec(const Globals& g, const ExecFlags& f) {
  auto rt = make_runtime(g);
  auto process = build_process(rt, f);
  if (!process.ok()) return report(process.error());
  runtime::ExecOptions options;
  options.id = f.id;
  options.process = std::move(*process);
  options.console_socket = f.console_socket;
  options.pid_file = f.pid_file;
  options.preserve_fds = f.preserve_fds;
  UniqueFd our_end, their_end;
  if (options.process.terminal && f.console_socket.empty()) {
    if (f.detach)
      return report(
          Error(ErrorCode::kInvalidArgument,
                "cannot allocate tty if berth-runtime will detach without a console socket"));
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
      return report(errno_error("socketpair"));
    our_end.reset(pair[0]);
    their_end.reset(pair[1]);
    options.console_socket_fd = their_end.get();
  }
  if (!f.detach) block_forwarded_signals();
  auto pid = rt.exec(options);
  if (!pid.ok()) return report(pid.error());
  if (f.detach) return 0;
  their_end.reset();
  UniqueFd master;
  if (our_end) {
    auto fd = sys::recv_fd(our_end.get());
    if (!fd.ok()) return report(fd.error());
    master = std::move(*fd);
  }
  return supervise(*pid, master ? master.get() : -1);
}

}  // namespace

void add_exec_command(CLI::App& app, Globals& g, Action& action) {
  static ExecFlags f;
  auto* exec = app.add_subcommand("exec", "execute a new process inside a container");
  exec->add_option("--console-socket", f.console_socket, "unix socket receiving the pty master");
  exec->add_option("--cwd", f.cwd, "current working directory in the container");
  // One value per occurrence, as runc's repeated flags: a list must not swallow the id.
  exec->add_option("-e,--env", f.env, "set an environment variable (KEY=value)")
      ->allow_extra_args(false);
  exec->add_flag("-t,--tty", f.tty, "allocate a pseudo-TTY");
  exec->add_option("-u,--user", f.user, "UID[:GID]");
  exec->add_option("-g,--additional-gids", f.additional_gids, "additional gids")
      ->allow_extra_args(false);
  exec->add_option("-p,--process", f.process_file, "path to a process.json");
  exec->add_flag("-d,--detach", f.detach, "detach from the process");
  exec->add_option("--pid-file", f.pid_file, "file to write the process pid to");
  exec->add_option("--process-label", f.process_label,
                   "SELinux label (unsupported: ignored if SELinux is off)");
  exec->add_option("--apparmor", f.apparmor, "AppArmor profile");
  exec->add_flag("--no-new-privs", f.no_new_privs, "set no_new_privs");
  exec->add_option("-c,--cap", f.caps, "add a capability (CAP_X)")->allow_extra_args(false);
  exec->add_option("--preserve-fds", f.preserve_fds, "pass N more fds (from 3)");
  exec->add_option("--cgroup", f.cgroup, "sub-cgroup to run in (unsupported)");
  exec->add_flag("--ignore-paused", f.ignore_paused, "allow exec in a paused container");
  exec->add_option("id", f.id, "container id")->required();
  exec->add_option("command", f.command, "command and arguments");
  // Options end at the container id: everything after it belongs to the command ("-c" of
  // `sh -c` is not --cap), as with runc.
  exec->positionals_at_end();
  exec->callback([&] {
    action = [&] {
      if (!f.cgroup.empty())
        return report(Error(ErrorCode::kUnimplemented, "exec --cgroup is not supported"));
      return do_exec(g, f);
    };
  });
}

}  // namespace berth::runtime_cli
