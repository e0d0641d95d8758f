// Signal names and numbers as `kill` accepts them: "9", "KILL", "SIGKILL", "sigterm", "SIGRTMIN+3".
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace berth::runtime {

Result<int> parse_signal(std::string_view text);
// "SIGTERM" for 15; "SIGRTMIN+n" for real-time signals; the number as text otherwise.
std::string signal_name(int sig);

}  // namespace berth::runtime
