// shim.sock for bundles anywhere: a unix socket address holds at most 107 bytes, less than
// <exec-root>/containers/<64-hex id>/shim.sock takes under a longer exec root (tests, custom
// --exec-root). Both ends then reach the socket through /proc/self/fd/<bundle dir fd>/.
#pragma once

#include <string>

#include "base/result.h"
#include "base/unique_fd.h"

namespace berth::shim {

// The shim: listens on <bundle>/shim.sock (replacing a stale one).
Result<UniqueFd> listen_shim_socket(const std::string& bundle, int backlog);
// berthd: connects to <bundle>/shim.sock.
Result<UniqueFd> connect_shim_socket(const std::string& bundle);

}  // namespace berth::shim
