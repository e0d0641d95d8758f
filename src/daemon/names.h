// Identifiers: container/exec ids (64 hex digits from the kernel's CSPRNG) and Docker-style
// random names ("admiring_turing").
#pragma once

#include <functional>
#include <string>

namespace berth::daemon {

std::string generate_id();
// A free "adjective_surname" name; `in_use` says whether a candidate is taken.
std::string generate_name(const std::function<bool(const std::string&)>& in_use);

}  // namespace berth::daemon
