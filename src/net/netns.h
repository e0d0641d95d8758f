// Network namespaces: persistent named ones (bound to a file, like `ip netns add`), and running
// code inside one.
//
// setns(CLONE_NEWNET) switches only the calling thread, and berthd is multi-threaded, so code
// never switches a daemon thread: run_in_netns() starts a fresh thread, switches it, runs the
// function there and joins it. Sockets keep the namespace they were created in, which is the
// useful part: a netlink socket or a DNS server socket made by a function run this way works on
// that namespace from any thread afterwards (net/netlink/socket.h, net/dns/server.h).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "base/result.h"
#include "base/unique_fd.h"

namespace berth::net {

// Makes `dir` (e.g. /run/berth/netns) a shared mount point of its own, as `ip netns` does
// with /run/netns: a namespace unmounted on the host then disappears from mount namespaces
// copied in between too, instead of staying pinned there.
Status ensure_netns_dir(const std::string& dir);

// Creates a new network namespace and bind-mounts it at `path` (the file is created; its
// directory must exist). The namespace lives until remove_netns(path), independent of any
// process, and the runtime joins it by path (linux.namespaces[type=network].path).
// The new namespace's loopback interface is brought up.
Status create_netns(const std::string& path);
// Unmounts and deletes `path`. The namespace itself goes away when the last process in it
// exits. No error when `path` does not exist.
Status remove_netns(const std::string& path);

Result<UniqueFd> open_netns(const std::string& path);
// The calling thread's current network namespace.
Result<UniqueFd> open_current_netns();

// Runs `fn` on a new thread that first joins the network namespace `netns_fd`; waits for it.
Status run_in_netns(int netns_fd, const std::function<Status()>& fn);

template <typename T>
Result<T> call_in_netns(int netns_fd, const std::function<Result<T>()>& fn) {
  std::optional<Result<T>> out;
  TRY(run_in_netns(netns_fd, [&]() -> Status {
    out.emplace(fn());
    return ok_status();
  }));
  return std::move(*out);
}

}  // namespace berth::net
