#include "shim/shim_server.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/file_util.h"
#include "base/log.h"
#include "base/time_format.h"
#include "oci/runtime_spec_json.h"
#include "shim/shim_socket.h"
#include "sys/fd_passing.h"

namespace berth::shim {
namespace {

constexpr size_t kMaxClientBacklog = 8 << 20;  // a reader this far behind is dropped
constexpr int kDrainTimeoutMs = 5000;           // output still open after the init exited
constexpr size_t kMaxStdinBacklog = 1 << 20;    // input queued for a process that is not reading

int64_t monotonic_ms() {
  struct timespec ts {};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

void set_nonblocking(int fd) {
  int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

Result<std::pair<UniqueFd, UniqueFd>> make_pipe() {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return errno_error("pipe");
  return std::make_pair(UniqueFd(p[0]), UniqueFd(p[1]));
}

// The runtime hands the calling process's fds 0-2 to the processes it creates: point them at
// the container's stdio for the duration of the call, then back at /dev/null.
class StdioSwap {
 public:
  explicit StdioSwap(const int fds[3]) {
    for (int i = 0; i < 3; ++i) {
      if (fds[i] >= 0) ::dup2(fds[i], i);
    }
  }
  ~StdioSwap() {
    int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    for (int i = 0; i < 3; ++i) ::dup2(null, i);
    if (null > 2) ::close(null);
  }
};

}  // namespace

ShimServer::ShimServer(ShimConfig config)
    : config_(std::move(config)), runtime_(runtime::RuntimeConfig{config_.runtime_root, {}}) {}

ShimServer::~ShimServer() = default;

Result<ShimServer::Stdio> ShimServer::make_stdio(bool tty, bool with_stdin, int* child_fds,
                                                 UniqueFd* console_ours,
                                                 UniqueFd* console_theirs) {
  Stdio stdio;
  child_fds[0] = child_fds[1] = child_fds[2] = -1;
  if (tty) {
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
      return errno_error("socketpair");
    console_ours->reset(pair[0]);
    console_theirs->reset(pair[1]);
    return stdio;
  }
  static UniqueFd dev_null(::open("/dev/null", O_RDWR | O_CLOEXEC));
  if (with_stdin) {
    auto [r, w] = TRY(make_pipe());
    child_fds[0] = r.release();
    stdio.stdin_w = std::move(w);
  } else {
    child_fds[0] = ::fcntl(dev_null.get(), F_DUPFD_CLOEXEC, 3);
  }
  auto [out_r, out_w] = TRY(make_pipe());
  auto [err_r, err_w] = TRY(make_pipe());
  child_fds[1] = out_w.release();
  child_fds[2] = err_w.release();
  stdio.stdout_r = std::move(out_r);
  stdio.stderr_r = std::move(err_r);
  return stdio;
}

Result<pid_t> ShimServer::create() {
  if (config_.log_driver != "none") {
    logging::ContainerInfo info;
    info.id = config_.id;
    info.name = config_.name;
    info.image_id = config_.image_id;
    info.image_name = config_.image_name;
    info.labels = config_.labels;
    info.env = config_.env;
    log_ = TRY(logging::make_log_writer(config_.log_driver, config_.log_path, config_.log_options,
                                        info));
  }
  stdout_lines_ = std::make_unique<logging::LineSplitter>(logging::Stream::kStdout);
  stderr_lines_ = std::make_unique<logging::LineSplitter>(logging::Stream::kStderr);

  int child_fds[3];
  UniqueFd console_ours, console_theirs;
  init_.stdio = TRY(make_stdio(config_.tty, config_.open_stdin, child_fds, &console_ours,
                               &console_theirs));
  runtime::CreateOptions options;
  options.id = config_.id;
  options.bundle = config_.bundle;
  options.console_socket_fd = console_theirs ? console_theirs.get() : -1;
  Result<pid_t> pid = [&] {
    StdioSwap swap(child_fds);
    return runtime_.create(options);
  }();
  for (int fd : child_fds) {
    if (fd >= 0) ::close(fd);
  }
  if (!pid.ok()) return std::move(pid).error();
  init_.pid = *pid;
  if (console_ours) {
    console_theirs.reset();
    UniqueFd master = TRY(sys::recv_fd(console_ours.get()));
    if (config_.console_height > 0 && config_.console_width > 0) {
      struct winsize ws {};
      ws.ws_row = static_cast<unsigned short>(config_.console_height);
      ws.ws_col = static_cast<unsigned short>(config_.console_width);
      ::ioctl(master.get(), TIOCSWINSZ, &ws);
    }
    init_.stdio.stdout_r.reset(::fcntl(master.get(), F_DUPFD_CLOEXEC, 3));
    if (config_.open_stdin) init_.stdio.stdin_w.reset(::fcntl(master.get(), F_DUPFD_CLOEXEC, 3));
    init_.stdio.pty_master = std::move(master);
  }

  epoll_.reset(::epoll_create1(EPOLL_CLOEXEC));
  if (!epoll_) return errno_error("epoll_create1");
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  // Writing to the stdin of a process that closed it must fail with EPIPE, not kill the shim.
  // Blocked rather than ignored: children reset their mask, an ignored disposition would be
  // inherited by the container's processes.
  sigaddset(&set, SIGPIPE);
  ::sigprocmask(SIG_BLOCK, &set, nullptr);
  signal_fd_.reset(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
  if (!signal_fd_) return errno_error("signalfd");
  watch(signal_fd_.get(), EPOLLIN);
  for (int fd : {init_.stdio.stdout_r.get(), init_.stdio.stderr_r.get()}) {
    if (fd >= 0) {
      set_nonblocking(fd);
      watch(fd, EPOLLIN);
    }
  }
  if (init_.stdio.stdin_w) set_nonblocking(init_.stdio.stdin_w.get());
  TRY(listen());
  return init_.pid;
}

Status ShimServer::listen() {
  listen_fd_ = TRY(listen_shim_socket(config_.bundle, 64));
  ::chmod(socket_path(config_.bundle).c_str(), 0600);
  set_nonblocking(listen_fd_.get());
  watch(listen_fd_.get(), EPOLLIN);
  return {};
}

void ShimServer::watch(int fd, uint32_t events) {
  struct epoll_event ev {};
  ev.events = events;
  ev.data.fd = fd;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) != 0 && errno == EEXIST)
    ::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, fd, &ev);
}

void ShimServer::unwatch(int fd) { ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr); }

void ShimServer::on_accept() {
  while (true) {
    int fd = ::accept4(listen_fd_.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) return;
    Client client;
    client.fd.reset(fd);
    clients_.emplace(fd, std::move(client));
    watch(fd, EPOLLIN);
  }
}

void ShimServer::reply(Client& client, const Json& value) {
  client.out += value.dump();
  client.out.push_back('\n');
  on_client_writable(client.fd.get());
}

void ShimServer::send_frame(Client& client, FrameKind kind, std::string_view payload) {
  if (client.out.size() > kMaxClientBacklog) {
    // A reader that cannot keep up loses its stream; the log keeps everything.
    client.closing = true;
    client.out.clear();
    return;
  }
  encode_frame(kind, payload, client.out);
  on_client_writable(client.fd.get());
}

void ShimServer::on_client_writable(int fd) {
  auto it = clients_.find(fd);
  if (it == clients_.end()) return;
  Client& client = it->second;
  while (!client.out.empty()) {
    ssize_t n = ::send(fd, client.out.data(), client.out.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) break;
      close_client(fd);
      return;
    }
    client.out.erase(0, static_cast<size_t>(n));
  }
  if (client.out.empty() && client.closing) {
    close_client(fd);
    return;
  }
  uint32_t in = client.input_paused ? 0 : EPOLLIN;
  watch(fd, client.out.empty() ? in : in | EPOLLOUT);
}

void ShimServer::close_client(int fd) {
  auto it = clients_.find(fd);
  if (it == clients_.end()) return;
  Client& client = it->second;
  // docker run -i: stdin closes when the attached client goes away (StdinOnce). Not with a
  // TTY (as dockerd): a user who detached from `docker run -it` may attach again.
  if (client.attach_stdin && config_.stdin_once && !config_.tty && client.exec_id.empty())
    close_init_stdin();
  unwatch(fd);
  clients_.erase(it);
}

void ShimServer::close_init_stdin() { close_stdin(init_); }

void ShimServer::close_stdin(Process& p) {
  if (!p.stdio.stdin_w) return;
  if (p.stdio.pty_master && !p.close_stdin_when_flushed) {
    // A terminal has no half-close: send EOF (^D) the way a user at the terminal would.
    p.stdin_pending.push_back(4);
  }
  p.close_stdin_when_flushed = true;
  flush_stdin(p);
}

void ShimServer::close_stdin_now(Process& p) {
  if (!p.stdio.stdin_w) return;
  // Unwatched first: with a pty the fd is a dup of the master, and epoll would keep reporting
  // the closed number while the other fd keeps the file open.
  unwatch(p.stdio.stdin_w.get());
  p.stdio.stdin_w.reset();
  p.stdin_pending.clear();
}

void ShimServer::write_stdin(Process& p, std::string_view data) {
  if (!p.stdio.stdin_w || p.close_stdin_when_flushed) return;
  p.stdin_pending.append(data);
  flush_stdin(p);
}

void ShimServer::flush_stdin(Process& p) {
  if (!p.stdio.stdin_w) return;
  while (!p.stdin_pending.empty()) {
    ssize_t n = ::write(p.stdio.stdin_w.get(), p.stdin_pending.data(), p.stdin_pending.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      watch(p.stdio.stdin_w.get(), EPOLLOUT);
      return;
    }
    if (n < 0) {
      // EPIPE: nobody reads the process's stdin any more; what is left has nowhere to go.
      p.stdin_pending.clear();
      p.close_stdin_when_flushed = true;
      break;
    }
    p.stdin_pending.erase(0, static_cast<size_t>(n));
  }
  unwatch(p.stdio.stdin_w.get());
  if (p.close_stdin_when_flushed) close_stdin_now(p);
  // Room again: the clients paused for this process read on.
  for (auto& [fd, client] : clients_) {
    if (!client.input_paused || stdin_target(client) != &p) continue;
    client.input_paused = false;
    watch(fd, client.out.empty() ? EPOLLIN : EPOLLIN | EPOLLOUT);
  }
}

std::vector<int> ShimServer::client_fds() const {
  std::vector<int> fds;
  for (const auto& [fd, client] : clients_) fds.push_back(fd);
  return fds;
}

ShimServer::Process* ShimServer::stdin_target(const Client& client) {
  return client.exec_id.empty() ? &init_ : exec_by_id(client.exec_id);
}

ShimServer::Process* ShimServer::process_by_stdin(int fd) {
  if (init_.stdio.stdin_w.get() == fd) return &init_;
  for (auto& p : execs_) {
    if (p->stdio.stdin_w.get() == fd) return p.get();
  }
  return nullptr;
}

void ShimServer::on_client_readable(int fd) {
  auto it = clients_.find(fd);
  if (it == clients_.end()) return;
  Client& client = it->second;
  char buf[16384];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) break;
      close_client(fd);
      return;
    }
    if (n == 0) {
      // The peer half-closed: for a stdin stream this is EOF on stdin.
      if (client.attach_stdin) {
        if (client.exec_id.empty()) {
          // EOF from the attached client is EOF on the container's stdin only with StdinOnce
          // (docker run -i); a later `docker attach` may otherwise still write to it.
          if (config_.stdin_once && !config_.tty) close_init_stdin();
        } else if (Process* p = exec_by_id(client.exec_id)) {
          close_stdin(*p);
        }
        client.attach_stdin = false;
      }
      if (client.out.empty() && !client.waiting && client.exec_id.empty() && !client.attach_stdout &&
          !client.attach_stderr) {
        close_client(fd);
        return;
      }
      unwatch(fd);
      if (!client.out.empty()) watch(fd, EPOLLOUT);
      return;
    }
    if (!client.parsed) {
      client.in.append(buf, static_cast<size_t>(n));
      size_t nl = client.in.find('\n');
      if (nl == std::string::npos) {
        if (client.in.size() > kMaxFramePayload) close_client(fd);
        continue;
      }
      std::string line = client.in.substr(0, nl);
      std::string rest = client.in.substr(nl + 1);
      client.in.clear();
      client.parsed = true;
      auto request = parse_json(line, "shim request");
      if (!request.ok()) {
        client.closing = true;
        reply(client, Json{{"error", request.error().to_string()}});
        return;
      }
      handle_request(client, *request);
      if (clients_.find(fd) == clients_.end()) return;
      if (!rest.empty()) {
        client.frames.feed(rest);
        handle_frames(client);
      }
    } else {
      client.frames.feed(std::string_view(buf, static_cast<size_t>(n)));
      handle_frames(client);
    }
    if (clients_.find(fd) == clients_.end()) return;
    if (client.input_paused) return;
  }
}

void ShimServer::handle_frames(Client& client) {
  FrameKind kind;
  std::string payload;
  while (true) {
    auto more = client.frames.next(&kind, &payload);
    if (!more.ok()) {
      close_client(client.fd.get());
      return;
    }
    if (!*more) return;
    Process* target = client.exec_id.empty() ? &init_ : exec_by_id(client.exec_id);
    if (target == nullptr) continue;
    switch (kind) {
      case FrameKind::kStdin:
        write_stdin(*target, payload);
        if (target->stdin_pending.size() > kMaxStdinBacklog) {
          // Stop reading this client until the process has taken some: the back-pressure
          // reaches the client through berthd.
          client.input_paused = true;
          watch(client.fd.get(), client.out.empty() ? 0 : EPOLLOUT);
        }
        break;
      case FrameKind::kCloseStdin:
        close_stdin(*target);
        break;
      case FrameKind::kResize: {
        auto size = parse_json(payload, "resize");
        if (size.ok()) {
          resize(client.exec_id, size->value("h", 0), size->value("w", 0));
        }
        break;
      }
      default: break;
    }
  }
}

void ShimServer::resize(const std::string& exec_id, unsigned short rows, unsigned short cols) {
  Process* p = exec_id.empty() ? &init_ : exec_by_id(exec_id);
  if (p == nullptr || !p->stdio.pty_master || rows == 0 || cols == 0) return;
  struct winsize ws {};
  ws.ws_row = rows;
  ws.ws_col = cols;
  ::ioctl(p->stdio.pty_master.get(), TIOCSWINSZ, &ws);
}

void ShimServer::handle_request(Client& client, const Json& request) {
  std::string op = request.value("op", std::string());
  if (op == "start") {
    if (started_) {
      reply(client, Json{{"error", "container already started"}});
    } else {
      auto st = runtime_.start(config_.id);
      started_ = st.ok();
      reply(client, st.ok() ? Json{{"ok", true}} : Json{{"error", st.error().to_string()}});
    }
    client.closing = true;
  } else if (op == "attach") {
    client.attach_stdout = request.value("stdout", false);
    client.attach_stderr = request.value("stderr", false);
    client.attach_stdin = request.value("stdin", false) && init_.stdio.stdin_w.valid();
    reply(client, Json{{"ok", true}, {"tty", config_.tty}});
    if (init_done_) {
      send_frame(client, FrameKind::kExit, to_json(exit_).dump());
      client.closing = true;
    }
  } else if (op == "wait") {
    // The exit record comes at once when the init already exited, otherwise as a second line
    // when it does: the first reply tells the caller its wait is registered.
    if (init_done_) {
      reply(client, to_json(exit_));
      client.closing = true;
    } else {
      client.waiting = true;
      reply(client, Json{{"waiting", true}});
    }
  } else if (op == "resize") {
    resize(request.value("exec_id", std::string()), request.value("h", 0), request.value("w", 0));
    reply(client, Json{{"ok", true}});
    client.closing = true;
  } else if (op == "exec") {
    auto pid = start_exec(client, request);
    if (!pid.ok()) {
      reply(client, Json{{"error", pid.error().to_string()},
                         {"code", static_cast<int>(pid.error().code())},
                         {"errno", pid.error().sys_errno()}});
      client.closing = true;
    } else {
      reply(client, Json{{"ok", true}, {"pid", *pid}});
    }
  } else if (op == "state") {
    reply(client, Json{{"pid", init_.pid}, {"started", started_}, {"exited", init_done_}});
    client.closing = true;
  } else {
    reply(client, Json{{"error", "unknown operation \"" + op + "\""}});
    client.closing = true;
  }
}

Result<pid_t> ShimServer::start_exec(Client& client, const Json& request) {
  if (init_done_) return Error(ErrorCode::kFailedPrecondition, "container is not running");
  auto process = std::make_unique<Process>();
  process->exec_id = request.value("exec_id", std::string("exec"));
  bool tty = request.value("tty", false);
  bool with_stdin = request.value("stdin", false);
  oci::Process spec = TRY(oci::parse_process(request.at("process")));
  spec.terminal = tty;
  int child_fds[3];
  UniqueFd console_ours, console_theirs;
  process->stdio = TRY(make_stdio(tty, with_stdin, child_fds, &console_ours, &console_theirs));
  runtime::ExecOptions options;
  options.id = config_.id;
  options.process = std::move(spec);
  options.console_socket_fd = console_theirs ? console_theirs.get() : -1;
  Result<pid_t> pid = [&] {
    StdioSwap swap(child_fds);
    return runtime_.exec(options);
  }();
  for (int fd : child_fds) {
    if (fd >= 0) ::close(fd);
  }
  if (!pid.ok()) return std::move(pid).error();
  process->pid = *pid;
  if (console_ours) {
    console_theirs.reset();
    UniqueFd master = TRY(sys::recv_fd(console_ours.get()));
    process->stdio.stdout_r.reset(::fcntl(master.get(), F_DUPFD_CLOEXEC, 3));
    if (with_stdin) process->stdio.stdin_w.reset(::fcntl(master.get(), F_DUPFD_CLOEXEC, 3));
    process->stdio.pty_master = std::move(master);
  }
  for (int fd : {process->stdio.stdout_r.get(), process->stdio.stderr_r.get()}) {
    if (fd >= 0) {
      set_nonblocking(fd);
      watch(fd, EPOLLIN);
    }
  }
  if (process->stdio.stdin_w) set_nonblocking(process->stdio.stdin_w.get());
  process->client_fd = client.fd.get();
  client.exec_id = process->exec_id;
  client.attach_stdin = with_stdin;
  execs_.push_back(std::move(process));
  return *pid;
}

ShimServer::Process* ShimServer::exec_by_id(const std::string& exec_id) {
  for (auto& p : execs_) {
    if (p->exec_id == exec_id) return p.get();
  }
  return nullptr;
}

ShimServer::Process* ShimServer::process_by_fd(int fd, int* stream) {
  auto match = [&](Process& p) {
    if (p.stdio.stdout_r.get() == fd) {
      *stream = 1;
      return true;
    }
    if (p.stdio.stderr_r.get() == fd) {
      *stream = 2;
      return true;
    }
    return false;
  };
  if (match(init_)) return &init_;
  for (auto& p : execs_) {
    if (match(*p)) return p.get();
  }
  return nullptr;
}

void ShimServer::on_output(Process& process, int fd, int stream) {
  char buf[32768];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n <= 0) {
      // EOF (or EIO from a pty whose last writer is gone).
      unwatch(fd);
      if (stream == 1) {
        process.stdio.stdout_r.reset();
      } else {
        process.stdio.stderr_r.reset();
      }
      return;
    }
    std::string_view data(buf, static_cast<size_t>(n));
    FrameKind kind = stream == 1 ? FrameKind::kStdout : FrameKind::kStderr;
    if (&process == &init_) {
      if (log_) {
        auto& splitter = stream == 1 ? *stdout_lines_ : *stderr_lines_;
        (void)splitter.feed(data, unix_nanos_now(),
                            [this](const logging::LogMessage& m) { return log_->write(m); });
      }
      // By fd: sending may close (and erase) a client.
      for (int cfd : client_fds()) {
        auto it = clients_.find(cfd);
        if (it == clients_.end()) continue;
        Client& client = it->second;
        if ((stream == 1 && client.attach_stdout) || (stream == 2 && client.attach_stderr)) {
          if (client.exec_id.empty()) send_frame(client, kind, data);
        }
      }
    } else if (process.client_fd >= 0) {
      auto it = clients_.find(process.client_fd);
      if (it != clients_.end()) send_frame(it->second, kind, data);
    }
  }
}

void ShimServer::on_sigchld() {
  struct signalfd_siginfo info {};
  while (::read(signal_fd_.get(), &info, sizeof info) == sizeof info) {
    if (info.ssi_signo == SIGTERM || info.ssi_signo == SIGINT || info.ssi_signo == SIGPIPE) {
      // The shim is not stopped by signals; berthd stops the container instead.
      continue;
    }
  }
  int status = 0;
  pid_t pid;
  while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (pid == init_.pid) {
      init_.exited = true;
      init_.exit_code = code;
      drain_deadline_ms_ = monotonic_ms() + kDrainTimeoutMs;
      continue;
    }
    for (auto& p : execs_) {
      if (p->pid != pid) continue;
      p->exited = true;
      p->exit_code = code;
    }
  }
}

void ShimServer::on_init_exit() {
  exit_.exit_code = init_.exit_code;
  exit_.exited_at_ns = unix_nanos_now();
  if (auto entry = runtime_.lookup(config_.id); entry.ok()) {
    if (auto manager = runtime_.cgroup_manager(entry->state); manager.ok()) {
      auto ooms = (*manager)->oom_kill_count();
      exit_.oom_killed = ooms.ok() && *ooms > 0;
    }
  }
  for (auto* splitter : {stdout_lines_.get(), stderr_lines_.get()}) {
    if (log_ && splitter) {
      (void)splitter->flush(unix_nanos_now(),
                            [this](const logging::LogMessage& m) { return log_->write(m); });
    }
  }
  if (log_) (void)log_->close();
  (void)write_file_atomic(exit_file_path(config_.bundle), to_json(exit_).dump(), 0644);
  auto removed = runtime_.remove(config_.id, true);
  if (!removed.ok()) log::warn("delete container {}: {}", config_.id, removed.error().to_string());
  init_done_ = true;
  std::string exit_json = to_json(exit_).dump();
  for (int fd : client_fds()) {  // by fd: a client told may be closed (and erased) at once
    auto it = clients_.find(fd);
    if (it == clients_.end()) continue;
    Client& client = it->second;
    if (client.waiting) {
      client.closing = true;
      reply(client, to_json(exit_));
    } else if ((client.attach_stdout || client.attach_stderr || client.attach_stdin) &&
               client.exec_id.empty()) {
      client.closing = true;
      send_frame(client, FrameKind::kExit, exit_json);
    }
  }
}

int ShimServer::run() {
  while (true) {
    // Exec processes: report their exit once their output is drained.
    for (auto it = execs_.begin(); it != execs_.end();) {
      Process& p = **it;
      if (p.exited && !p.stdio.stdout_r && !p.stdio.stderr_r) {
        auto client = clients_.find(p.client_fd);
        if (client != clients_.end()) {
          client->second.closing = true;
          send_frame(client->second, FrameKind::kExit, Json{{"exit_code", p.exit_code}}.dump());
        }
        it = execs_.erase(it);
      } else {
        ++it;
      }
    }
    bool output_open = init_.stdio.stdout_r || init_.stdio.stderr_r;
    if (init_.exited && !init_done_ &&
        (!output_open || (drain_deadline_ms_ && monotonic_ms() >= *drain_deadline_ms_))) {
      on_init_exit();
    }
    if (init_done_) {
      bool pending = false;
      for (auto& [fd, client] : clients_) pending = pending || !client.out.empty();
      if (!pending) return 0;
    }
    int timeout = -1;
    if (init_.exited && !init_done_ && drain_deadline_ms_) {
      timeout = static_cast<int>(std::max<int64_t>(0, *drain_deadline_ms_ - monotonic_ms()));
    }
    if (init_done_) timeout = 1000;  // bounded flush of the last client buffers
    struct epoll_event events[32];
    int n = ::epoll_wait(epoll_.get(), events, 32, timeout);
    if (n < 0) {
      if (errno == EINTR) continue;
      return 1;
    }
    if (n == 0 && init_done_) return 0;
    for (int i = 0; i < n; ++i) {
      int fd = events[i].data.fd;
      if (fd == signal_fd_.get()) {
        on_sigchld();
      } else if (fd == listen_fd_.get()) {
        on_accept();
      } else if (clients_.count(fd)) {
        if (events[i].events & EPOLLOUT) on_client_writable(fd);
        if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) on_client_readable(fd);
      } else if (Process* in = process_by_stdin(fd)) {
        flush_stdin(*in);
      } else {
        int stream = 0;
        if (Process* p = process_by_fd(fd, &stream)) on_output(*p, fd, stream);
      }
    }
  }
}

}  // namespace berth::shim
