#include "daemon/exec_service.h"

#include <signal.h>
#include <sys/socket.h>

#include <thread>

#include "base/log.h"
#include "base/strings.h"
#include "daemon/detach_keys.h"
#include "daemon/exec_process.h"
#include "daemon/names.h"
#include "daemon/shim_frames.h"
#include "oci/runtime_spec_json.h"
#include "sys/process.h"
#include "sys/syscalls.h"

namespace berth::daemon {
namespace {

// An exec whose stream ended without an exit frame died with its container (SIGKILL).
constexpr int kKilledWithContainer = 137;

Status check_running(const Container& c) {
  switch (c.state.status) {
    case ContainerStatus::kRunning: return {};
    case ContainerStatus::kPaused:
      return make_error(ErrorCode::kConflict,
                        "Container {} is paused, unpause the container before exec", c.id);
    case ContainerStatus::kRestarting:
      return make_error(ErrorCode::kConflict,
                        "Container {} is restarting, wait until the container is running", c.id);
    default: return make_error(ErrorCode::kConflict, "Container {} is not running", c.id);
  }
}

std::string command_text(const ExecConfig& e) {
  return e.entrypoint + " " + join(e.args, " ");
}

Result<std::optional<std::array<uint32_t, 2>>> console_size_of(const Json& body) {
  if (!body.contains("ConsoleSize") || body["ConsoleSize"].is_null())
    return std::optional<std::array<uint32_t, 2>>();
  const Json& size = body["ConsoleSize"];
  if (!size.is_array() || size.size() != 2 || !size[0].is_number_unsigned() ||
      !size[1].is_number_unsigned()) {
    return Error(ErrorCode::kInvalidArgument, "invalid ConsoleSize: expected [height, width]");
  }
  return std::optional<std::array<uint32_t, 2>>(
      std::array<uint32_t, 2>{size[0].get<uint32_t>(), size[1].get<uint32_t>()});
}

std::vector<std::string> string_list(const Json& body, const char* key) {
  std::vector<std::string> out;
  if (body.contains(key) && body[key].is_array()) {
    for (const auto& v : body[key]) {
      if (v.is_string()) out.push_back(v.get<std::string>());
    }
  }
  return out;
}

}  // namespace

int exit_code_for_start_error(const std::string& text) {
  std::string lower = to_lower(text);
  auto has = [&](std::string_view s) { return lower.find(s) != std::string::npos; };
  if (has("permission denied") || has("is a directory")) return 126;
  if (has("not a directory")) return 127;
  if (has("executable file not found") || has("no such file or directory") ||
      has("system cannot find the file specified")) {
    return 127;
  }
  return 128;
}

ExecService::ExecService(ContainerService& containers) : containers_(containers) {}

ExecService::~ExecService() {
  std::unique_lock lock(mutex_);
  stopping_ = true;
  for (int fd : background_fds_) ::shutdown(fd, SHUT_RDWR);
  idle_.wait(lock, [&] { return background_ == 0; });
}

void ExecService::publish(const std::string& container_id, const std::string& action,
                          std::map<std::string, std::string> attributes) {
  auto entry = containers_.store().lookup(container_id);
  if (!entry.ok()) return;
  Container copy;
  {
    std::lock_guard lock((*entry)->mutex);
    copy = (*entry)->c;
  }
  containers_.publish(copy, action, std::move(attributes));
}

void ExecService::forget_removed_containers() {
  store_.forget_if([&](const std::string& container_id) {
    return !containers_.store().lookup(container_id).ok();
  });
}

Result<ExecConfig> ExecService::make_config(ContainerEntry& entry, const Json& body) {
  const Container& c = entry.c;
  TRY(check_running(c));
  std::vector<std::string> cmd = string_list(body, "Cmd");
  if (cmd.empty()) return Error(ErrorCode::kInvalidArgument, "No exec command specified");
  ExecConfig e;
  e.id = generate_id();
  e.container_id = c.id;
  e.entrypoint = cmd[0];
  e.args.assign(cmd.begin() + 1, cmd.end());
  e.tty = body.value("Tty", false);
  e.open_stdin = body.value("AttachStdin", false);
  e.open_stdout = body.value("AttachStdout", false);
  e.open_stderr = body.value("AttachStderr", false);
  e.privileged = body.value("Privileged", false);
  e.console_size = TRY(console_size_of(body));
  std::string keys = body.value("DetachKeys", std::string());
  if (!keys.empty()) {
    auto parsed = parse_detach_keys(keys);
    if (!parsed.ok()) {
      return make_error(ErrorCode::kInvalidArgument, "Invalid escape keys ({}) provided", keys);
    }
    e.detach_keys = *parsed;
  }
  std::string user = body.value("User", std::string());
  TRY(check_exec_user(containers_.bundle_dir(c.id) + "/rootfs", user, c.host_config));
  e.user = user.empty() ? c.config.value("User", std::string()) : user;
  e.working_dir = body.value("WorkingDir", std::string());
  if (e.working_dir.empty()) e.working_dir = c.config.value("WorkingDir", std::string());
  e.env = exec_environment(c.config, e.tty, string_list(body, "Env"));
  return e;
}

Result<std::string> ExecService::create(const std::string& container_ref, const Json& body) {
  forget_removed_containers();
  ContainerRef entry = TRY(containers_.store().lookup(container_ref));
  ExecConfig e;
  {
    std::lock_guard lock(entry->mutex);
    e = TRY(make_config(*entry, body));
  }
  std::string id = e.id;
  std::string action = "exec_create: " + command_text(e);
  std::string container_id = e.container_id;
  store_.add(std::move(e));
  publish(container_id, action, {{"execID", id}});
  return id;
}

Result<ExecConfig> ExecService::check_startable(const std::string& id) {
  ExecConfig e = TRY(store_.get(id));
  if (e.exit_code) return make_error(ErrorCode::kConflict, "exec command {} has already run", id);
  if (e.running || e.started)
    return make_error(ErrorCode::kConflict, "exec command {} is already running", id);
  ContainerRef entry = TRY(containers_.store().lookup(e.container_id));
  std::lock_guard lock(entry->mutex);
  TRY(check_running(entry->c));
  return e;
}

Result<StartedExec> ExecService::start(const std::string& id, const ExecStartOptions& options) {
  ExecConfig e = TRY(check_startable(id));
  bool claimed = false;
  TRY(store_.update(id, [&](ExecConfig& stored) {
    if (stored.started) return;
    stored.started = true;
    stored.running = true;
    claimed = true;
  }));
  if (!claimed) return make_error(ErrorCode::kConflict, "exec command {} is already running", id);
  publish(e.container_id, "exec_start: " + command_text(e), {{"execID", id}});

  auto fail = [&](const Error& error) -> Error {
    std::string text = "OCI runtime exec failed: " + error.to_string() + ": unknown";
    int code = exit_code_for_start_error(text);
    (void)store_.update(id, [&](ExecConfig& stored) {
      stored.running = false;
      stored.exit_code = code;
    });
    ErrorCode kind = code == 128 ? ErrorCode::kInternal : ErrorCode::kInvalidArgument;
    return Error(kind, text);
  };

  std::string bundle = containers_.bundle_dir(e.container_id);
  ExecProcessInput input;
  input.bundle = bundle;
  input.exec = &e;
  input.console_size = options.console_size;
  input.last_cap = containers_.deps().host.last_cap;
  {
    auto entry = containers_.store().lookup(e.container_id);
    if (!entry.ok()) return fail(entry.error());
    std::lock_guard lock((*entry)->mutex);
    auto running = check_running((*entry)->c);
    if (!running.ok()) return fail(running.error());
    input.host_config = (*entry)->c.host_config;
  }
  auto process = exec_process(input);
  if (!process.ok()) return fail(process.error());
  auto stream = shim_open_stream(bundle, Json{{"op", "exec"},
                                              {"exec_id", id},
                                              {"process", oci::to_json(*process)},
                                              {"tty", e.tty},
                                              {"stdin", e.open_stdin}});
  if (!stream.ok()) return fail(stream.error());
  StartedExec started;
  started.config = e;
  started.stream = std::move(*stream);
  int pid = started.stream.reply.value("pid", 0);
  started.config.pid = pid;
  if (pid > 0) {
    auto pidfd = sys::pidfd_open(pid);
    if (pidfd.ok()) started.pidfd = std::move(*pidfd);
  }
  (void)store_.update(id, [&](ExecConfig& stored) { stored.pid = pid; });
  return started;
}

void ExecService::finish(const std::string& id, int exit_code) {
  std::string container_id;
  bool changed = false;
  (void)store_.update(id, [&](ExecConfig& stored) {
    container_id = stored.container_id;
    if (stored.exit_code) return;
    stored.running = false;
    stored.exit_code = exit_code;
    changed = true;
  });
  if (changed) publish(container_id, "exec_die", {{"execID", id}, {"exitCode", std::to_string(exit_code)}});
}

void ExecService::finish_in_background(StartedExec exec, bool kill) {
  if (kill && exec.pidfd) (void)sys::raw_pidfd_send_signal(exec.pidfd.get(), SIGKILL);
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    ++background_;
    background_fds_.insert(exec.stream.fd.get());
  }
  std::thread([this, exec = std::move(exec)]() mutable {
    ShimFrameReader reader(exec.stream);
    int code = kKilledWithContainer;
    while (true) {
      auto frame = reader.next();
      if (!frame.ok() || !*frame) break;
      if ((*frame)->kind == shim::FrameKind::kExit) {
        code = exit_code_of(**frame);
        break;
      }
    }
    finish(exec.config.id, code);
    std::lock_guard lock(mutex_);
    background_fds_.erase(exec.stream.fd.get());
    exec.stream.fd.reset();
    --background_;
    idle_.notify_all();
  }).detach();
}

void ExecService::detached(const std::string& id) {
  auto e = store_.get(id);
  if (e.ok()) publish(e->container_id, "exec_detach", {{"execID", id}});
}

Result<Json> ExecService::inspect(const std::string& id) {
  ExecConfig e = TRY(store_.get(id));
  return exec_inspect_json(e);
}

Status ExecService::resize(const std::string& id, int height, int width) {
  ExecConfig e = TRY(store_.get(id));
  if (!e.running) return make_error(ErrorCode::kConflict, "exec {} is not running", id);
  TRY(shim_call(containers_.bundle_dir(e.container_id),
                Json{{"op", "resize"}, {"exec_id", id}, {"h", height}, {"w", width}}));
  return {};
}

std::vector<std::string> ExecService::active_ids(const std::string& container_id) const {
  return store_.active_ids(container_id);
}

Result<ProbeResult> ExecService::run_probe(const std::string& container_id,
                                           const std::vector<std::string>& cmd,
                                           std::chrono::nanoseconds timeout, size_t max_output,
                                           int abort_fd) {
  if (cmd.empty()) return Error(ErrorCode::kInvalidArgument, "healthcheck has no command");
  ExecConfig e;
  {
    ContainerRef entry = TRY(containers_.store().lookup(container_id));
    std::lock_guard lock(entry->mutex);
    const Container& c = entry->c;
    TRY(check_running(c));
    e.id = generate_id();
    e.container_id = c.id;
    e.entrypoint = cmd[0];
    e.args.assign(cmd.begin() + 1, cmd.end());
    e.open_stdout = true;
    e.open_stderr = true;
    e.user = c.config.value("User", std::string());
    e.working_dir = c.config.value("WorkingDir", std::string());
    e.env = exec_environment(c.config, false, {});
  }
  std::string id = e.id;
  std::string action = "exec_create: " + command_text(e);
  store_.add(e);
  publish(container_id, action, {{"execID", id}});
  StartedExec started = TRY(start(id, {}));

  ProbeResult result;
  bool truncated = false;
  ShimFrameReader reader(started.stream);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    auto frame = reader.next(static_cast<int>(std::max<int64_t>(0, left.count())), abort_fd);
    if (!frame.ok()) {
      // Timed out or aborted: the probe is killed; its exit is recorded in the background.
      result.timed_out = frame.error().code() == ErrorCode::kDeadlineExceeded;
      finish_in_background(std::move(started), true);
      if (!result.timed_out) return frame.error();
      result.exit_code = -1;
      if (truncated) result.output += "...";
      return result;
    }
    if (!*frame) {
      finish(id, kKilledWithContainer);
      return Error(ErrorCode::kUnavailable, "the container's shim closed the probe's stream");
    }
    const ShimFrame& f = **frame;
    if (f.kind == shim::FrameKind::kExit) {
      result.exit_code = exit_code_of(f);
      finish(id, result.exit_code);
      if (truncated) result.output += "...";
      return result;
    }
    if (f.kind == shim::FrameKind::kStdout || f.kind == shim::FrameKind::kStderr) {
      size_t room = max_output > result.output.size() ? max_output - result.output.size() : 0;
      result.output.append(f.payload, 0, std::min(room, f.payload.size()));
      if (f.payload.size() > room) truncated = true;
    }
  }
}

}  // namespace berth::daemon
