// create, run, start, delete, kill, state, pause, resume.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <iostream>

#include "commands.h"
#include "foreground.h"
#include "oci/runtime_spec_json.h"
#include "runtime/signals.h"
#include "sys/fd_passing.h"

namespace berth::runtime_cli {
namespace {

struct CreateFlags {
  std::string id;
  std::string bundle = ".";
  std::string pid_file;
  std::string console_socket;
  bool no_pivot = false;
  bool no_new_keyring = false;
  int preserve_fds = 0;
};

void add_create_flags(CLI::App* cmd, CreateFlags& f) {
  cmd->add_option("-b,--bundle", f.bundle, "path to the root of the bundle directory");
  cmd->add_option("--pid-file", f.pid_file, "file to write the container's init pid to");
  cmd->add_option("--console-socket", f.console_socket,
                  "unix socket that receives the pty master (process.terminal)");
  cmd->add_flag("--no-pivot", f.no_pivot, "use MS_MOVE + chroot instead of pivot_root");
  cmd->add_flag("--no-new-keyring", f.no_new_keyring, "keep the caller's session keyring");
  cmd->add_option("--preserve-fds", f.preserve_fds, "pass N more fds (from 3) to the container");
  cmd->add_option("id", f.id, "container id")->required();
}

runtime::CreateOptions create_options(const CreateFlags& f) {
  runtime::CreateOptions o;
  o.id = f.id;
  o.bundle = f.bundle;
  o.pid_file = f.pid_file;
  o.console_socket = f.console_socket;
  o.no_pivot = f.no_pivot;
  o.no_new_keyring = f.no_new_keyring;
  o.preserve_fds = f.preserve_fds;
  return o;
}

int run_container(const Globals& globals, const CreateFlags& flags, bool detach, bool keep,
                  bool no_subreaper) {
  auto rt = make_runtime(globals);
  runtime::CreateOptions options = create_options(flags);
  // A terminal in the foreground without a console socket: receive the pty master ourselves.
  UniqueFd our_end;
  UniqueFd their_end;
  if (!detach && flags.console_socket.empty()) {
    auto bundle = oci::load_spec(flags.bundle);
    if (bundle.ok() && bundle->process && bundle->process->terminal) {
      int pair[2];
      if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
        return report(errno_error("socketpair"));
      our_end.reset(pair[0]);
      their_end.reset(pair[1]);
      options.console_socket_fd = their_end.get();
    }
  }
  if (!detach) {
    if (!no_subreaper) ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    block_forwarded_signals();
  }
  auto pid = rt.create(options);
  if (!pid.ok()) return report(pid.error());
  their_end.reset();
  UniqueFd master;
  if (our_end) {
    auto fd = sys::recv_fd(our_end.get());
    if (!fd.ok()) {
      (void)rt.remove(flags.id, true);
      return report(fd.error());
    }
    master = std::move(*fd);
  }
  if (auto st = rt.start(flags.id); !st.ok()) {
    (void)rt.remove(flags.id, true);
    return report(st.error());
  }
  if (detach) return 0;
  int code = supervise(*pid, master ? master.get() : -1);
  if (!keep) {
    if (auto st = rt.remove(flags.id, true); !st.ok()) report(st.error());
  }
  return code;
}

Action with_id(const Globals& g, const std::string& id,
               std::function<Status(runtime::Runtime&, const std::string&)> fn) {
  return [&g, &id, fn] {
    auto rt = make_runtime(g);
    auto st = fn(rt, id);
    return st.ok() ? 0 : report(st.error());
  };
}

}  // namespace

void add_lifecycle_commands(CLI::App& app, Globals& g, Action& action) {
  static CreateFlags create_flags;
  auto* create = app.add_subcommand("create", "create a container");
  add_create_flags(create, create_flags);
  create->callback([&] {
    action = [&] {
      auto rt = make_runtime(g);
      auto pid = rt.create(create_options(create_flags));
      return pid.ok() ? 0 : report(pid.error());
    };
  });

  static CreateFlags run_flags;
  static bool detach = false, keep = false, no_subreaper = false;
  auto* run = app.add_subcommand("run", "create and run a container");
  add_create_flags(run, run_flags);
  run->add_flag("-d,--detach", detach, "detach from the container's process");
  run->add_flag("--keep", keep, "do not delete the container after it exits");
  run->add_flag("--no-subreaper", no_subreaper, "do not become a subreaper");
  run->callback(
      [&] { action = [&] { return run_container(g, run_flags, detach, keep, no_subreaper); }; });

  static std::string id;
  auto* start = app.add_subcommand("start", "start a created container");
  start->add_option("id", id)->required();
  start->callback([&] {
    action = with_id(g, id, [](runtime::Runtime& rt, const std::string& i) { return rt.start(i); });
  });

  static bool force = false;
  auto* del = app.add_subcommand("delete", "delete a container");
  del->add_flag("-f,--force", force, "kill the container if it is still running");
  del->add_option("id", id)->required();
  del->callback([&] {
    action = with_id(
        g, id, [](runtime::Runtime& rt, const std::string& i) { return rt.remove(i, force); });
  });

  static bool all = false;
  static std::string signal_text = "SIGTERM";
  auto* kill = app.add_subcommand("kill", "send a signal to a container's init (or all processes)");
  kill->add_flag("-a,--all", all, "send the signal to every process in the container");
  kill->add_option("id", id)->required();
  kill->add_option("signal", signal_text, "signal name or number (default SIGTERM)");
  kill->callback([&] {
    action = [&] {
      auto sig = runtime::parse_signal(signal_text);
      if (!sig.ok()) return report(sig.error());
      auto rt = make_runtime(g);
      auto st = rt.kill(id, *sig, all);
      return st.ok() ? 0 : report(st.error());
    };
  });

  auto* state = app.add_subcommand("state", "print the state of a container (JSON)");
  state->add_option("id", id)->required();
  state->callback([&] {
    action = [&] {
      auto rt = make_runtime(g);
      auto s = rt.state(id);
      if (!s.ok()) return report(s.error());
      std::cout << s->dump(2) << std::endl;
      return 0;
    };
  });

  auto* pause = app.add_subcommand("pause", "freeze every process of a container");
  pause->add_option("id", id)->required();
  pause->callback([&] {
    action = with_id(g, id, [](runtime::Runtime& rt, const std::string& i) { return rt.pause(i); });
  });
  auto* resume = app.add_subcommand("resume", "thaw a paused container");
  resume->add_option("id", id)->required();
  resume->callback([&] {
    action =
        with_id(g, id, [](runtime::Runtime& rt, const std::string& i) { return rt.resume(i); });
  });
}

}  // namespace berth::runtime_cli
