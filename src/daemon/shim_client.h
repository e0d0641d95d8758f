// berthd's side of the shim protocol (docs/engine.md): launching shims from a sealed memfd
// copy of berth-shim, and the request/stream operations on shim.sock.
#pragma once

#include <sys/types.h>

#include <string>

#include "base/json.h"
#include "base/result.h"
#include "base/unique_fd.h"
#include "shim/shim_config.h"

namespace berth::daemon {

class ShimLauncher {
 public:
  // Copies `shim_binary` into a sealed memfd once; every shim is exec'd from it (CVE-2019-5736).
  static Result<ShimLauncher> create(const std::string& shim_binary);

  // Writes shim.json into the bundle, starts the shim and waits for it to create the
  // container. Returns the container init's pid; the container waits for `start`.
  Result<pid_t> launch(const shim::ShimConfig& config) const;

 private:
  explicit ShimLauncher(UniqueFd memfd) : memfd_(std::move(memfd)) {}
  UniqueFd memfd_;
};

// A stream connection to a shim after its JSON reply: frames follow (shim/protocol.h).
struct ShimStream {
  UniqueFd fd;
  Json reply;
  std::string leftover;  // bytes read past the reply line
};

Result<UniqueFd> shim_connect(const std::string& bundle);
// One request, one reply; the connection is closed. A reply with "error" becomes an Error.
Result<Json> shim_call(const std::string& bundle, const Json& request);
// Sends `request` and returns the open connection after the reply (attach, exec, wait).
Result<ShimStream> shim_open_stream(const std::string& bundle, const Json& request);

}  // namespace berth::daemon
