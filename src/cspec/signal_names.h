// Signal names as Config.StopSignal spells them ("SIGTERM", "TERM", "15", "RTMIN+3").
#pragma once

#include <optional>
#include <string_view>

namespace berth::cspec {

// moby/sys/signal's ParseSignal on Linux: a non-zero number, or a name with or without "SIG",
// in any case. nullopt for anything else (dockerd: "invalid signal: <text>").
std::optional<int> parse_signal(std::string_view text);

}  // namespace berth::cspec
