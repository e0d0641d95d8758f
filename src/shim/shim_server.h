// berth-shim's event loop: one container's init (and its exec processes) as children, their
// stdio, the log writer, and the clients on shim.sock. Single-threaded, epoll-driven, so the
// shim stays small.
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"
#include "logging/line_splitter.h"
#include "logging/log_writer.h"
#include "runtime/runtime.h"
#include "shim/protocol.h"
#include "shim/shim_config.h"

namespace berth::shim {

class ShimServer {
 public:
  explicit ShimServer(ShimConfig config);
  ~ShimServer();

  // Creates the container (its init waits for `start`) and starts listening on shim.sock.
  // Returns the init's pid.
  Result<pid_t> create();
  // Serves until the init has exited and every client is done; returns the shim's exit code.
  int run();

 private:
  struct Stdio {
    UniqueFd stdin_w;   // our end of the process's stdin (pipe or the pty master)
    UniqueFd stdout_r;  // pipe, or the pty master
    UniqueFd stderr_r;  // pipe; absent with a tty
    UniqueFd pty_master;
  };
  struct Process {
    pid_t pid = 0;
    std::string exec_id;  // empty: the container's init
    Stdio stdio;
    bool exited = false;
    int exit_code = 0;
    int client_fd = -1;  // exec processes: the connection that streams them
    // Input not yet taken by the process. Writes never block the event loop (a container that
    // does not read its stdin, or has not started yet, must not stall `start` or other
    // clients); a client is paused while its process has too much pending.
    std::string stdin_pending;
    bool close_stdin_when_flushed = false;
  };
  struct Client {
    UniqueFd fd;
    std::string in;
    std::string out;
    bool parsed = false;  // the request line was handled
    bool attach_stdout = false;
    bool attach_stderr = false;
    bool attach_stdin = false;
    bool waiting = false;
    std::string exec_id;
    FrameDecoder frames;
    bool closing = false;  // flush `out`, then close
    bool input_paused = false;  // its process's stdin_pending is full
  };

  Result<Stdio> make_stdio(bool tty, bool with_stdin, int* child_fds, UniqueFd* console_ours,
                           UniqueFd* console_theirs);
  Status listen();
  void on_accept();
  void on_client_readable(int fd);
  void on_client_writable(int fd);
  void handle_request(Client& client, const Json& request);
  void handle_frames(Client& client);
  void on_output(Process& process, int fd, int stream);
  void on_sigchld();
  void on_init_exit();
  void finish();
  void send_frame(Client& client, FrameKind kind, std::string_view payload);
  void reply(Client& client, const Json& value);
  void close_client(int fd);
  void watch(int fd, uint32_t events);
  void unwatch(int fd);
  Process* process_by_fd(int fd, int* stream);
  Process* exec_by_id(const std::string& exec_id);
  Result<pid_t> start_exec(Client& client, const Json& request);
  void resize(const std::string& exec_id, unsigned short rows, unsigned short cols);
  void close_init_stdin();
  // Queues input for `p` and writes what its stdin takes now.
  void write_stdin(Process& p, std::string_view data);
  void flush_stdin(Process& p);
  // Closes `p`'s stdin once what is queued has been written.
  void close_stdin(Process& p);
  void close_stdin_now(Process& p);
  Process* process_by_stdin(int fd);
  Process* stdin_target(const Client& client);
  std::vector<int> client_fds() const;

  ShimConfig config_;
  runtime::Runtime runtime_;
  std::unique_ptr<logging::LogWriter> log_;
  std::unique_ptr<logging::LineSplitter> stdout_lines_;
  std::unique_ptr<logging::LineSplitter> stderr_lines_;
  UniqueFd epoll_;
  UniqueFd signal_fd_;
  UniqueFd listen_fd_;
  Process init_;
  std::vector<std::unique_ptr<Process>> execs_;
  std::map<int, Client> clients_;
  bool started_ = false;
  bool init_done_ = false;  // exit recorded, clients told
  std::optional<int64_t> drain_deadline_ms_;
  ExitRecord exit_;
};

}  // namespace berth::shim
