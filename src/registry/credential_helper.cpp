#include "registry/credential_helper.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "base/json.h"
#include "base/strings.h"
#include "base/unique_fd.h"

extern char** environ;

namespace berth::registry {
namespace {

constexpr std::string_view kTokenUsername = "<token>";

bool is_not_found(std::string_view text) {
  return to_lower(text).find("credentials not found") != std::string::npos;
}

Status write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    // MSG_NOSIGNAL: a helper that exits without reading stdin must not SIGPIPE us.
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EPIPE) return {};  // the helper did not want its input; its exit status tells
      return errno_error("write to credential helper");
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

Result<std::string> read_all(int fd) {
  std::string out;
  char buf[4096];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) return out;
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_error("read from credential helper");
    }
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > (1u << 20))
      return make_error(ErrorCode::kResourceExhausted, "credential helper output too large");
  }
}

}  // namespace

Result<std::string> run_credential_helper(std::string_view helper, std::string_view action,
                                          std::string_view input) {
  std::string program = "docker-credential-" + std::string(helper);
  // stdin is a socket so that writing to a helper that already exited fails with EPIPE
  // instead of raising SIGPIPE.
  int in_pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in_pair) != 0)
    return errno_error("socketpair");
  UniqueFd in_ours(in_pair[0]), in_theirs(in_pair[1]);
  int out_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return errno_error("pipe");
  UniqueFd out_ours(out_pipe[0]), out_theirs(out_pipe[1]);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_theirs.get(), 0);
  posix_spawn_file_actions_adddup2(&actions, out_theirs.get(), 1);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::string action_arg(action);
  std::vector<char*> argv = {program.data(), action_arg.data(), nullptr};
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return Error(rc == ENOENT ? ErrorCode::kNotFound : code_from_errno(rc),
                 fmt::format("credential helper {} not found on PATH", program), rc);
  }
  in_theirs.reset();
  out_theirs.reset();

  Status wrote = write_all(in_ours.get(), input);
  in_ours.reset();  // EOF for the helper
  auto output = read_all(out_ours.get());
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0) {
    if (errno != EINTR) return errno_error("wait for credential helper");
  }
  if (!wrote.ok()) return std::move(wrote).error();
  if (!output.ok()) return std::move(output).error();
  if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
    std::string said(trim(*output));
    ErrorCode code = is_not_found(said) ? ErrorCode::kNotFound : ErrorCode::kUnknown;
    if (said.empty())
      said = "exited with status " + std::to_string(WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);
    return Error(code, fmt::format("{} {}: {}", program, action, said));
  }
  return output.take();
}

Result<std::optional<Credentials>> helper_get(std::string_view helper,
                                              std::string_view server_url) {
  auto out = run_credential_helper(helper, "get", server_url);
  if (!out.ok()) {
    if (out.error().code() == ErrorCode::kNotFound && is_not_found(out.error().message()))
      return std::optional<Credentials>();
    return std::move(out).error();
  }
  auto json = TRY(parse_json(*out, "credential helper output"));
  if (!json.is_object())
    return make_error(ErrorCode::kInvalidArgument, "credential helper output is not an object");
  Credentials creds;
  std::string username = json.value("Username", std::string());
  std::string secret = json.value("Secret", std::string());
  if (username == kTokenUsername) {
    creds.identity_token = secret;
  } else {
    creds.username = username;
    creds.password = secret;
  }
  if (creds.empty()) return std::optional<Credentials>();
  return std::optional<Credentials>(std::move(creds));
}

Status helper_store(std::string_view helper, std::string_view server_url,
                    const Credentials& creds) {
  Json input = {{"ServerURL", server_url}};
  if (!creds.identity_token.empty()) {
    input["Username"] = kTokenUsername;
    input["Secret"] = creds.identity_token;
  } else {
    input["Username"] = creds.username;
    input["Secret"] = creds.password;
  }
  TRY(run_credential_helper(helper, "store", input.dump()));
  return {};
}

Status helper_erase(std::string_view helper, std::string_view server_url) {
  auto out = run_credential_helper(helper, "erase", server_url);
  if (!out.ok() &&
      !(out.error().code() == ErrorCode::kNotFound && is_not_found(out.error().message())))
    return std::move(out).error();
  return {};
}

}  // namespace berth::registry
