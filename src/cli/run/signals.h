// One thread owns the process's asynchronous signals (blocked everywhere else): SIGWINCH resizes
// an attached TTY, and while a container is attached with --sig-proxy the others are forwarded
// to it as `docker run` does. Without a proxy, SIGINT/SIGTERM/SIGHUP/SIGQUIT end the CLI with
// 128+signal after restoring the terminal, as docker's exit on a termination signal does.
#pragma once

#include <functional>

namespace berth::cli {

// Blocks the signals in the calling thread (call first thing in main, before any thread starts)
// and starts the signal thread.
void start_signal_thread();

// Forward signals to `fn` (by number) until cleared with nullptr. SIGCHLD, SIGPIPE, SIGURG and
// SIGWINCH are never forwarded.
void set_signal_proxy(std::function<void(int signo)> fn);
// Called on SIGWINCH.
void set_winch_handler(std::function<void()> fn);

// The signal's name as docker's signal.SignalMap spells it ("TERM"), "" when unknown.
const char* signal_name(int signo);

}  // namespace berth::cli
