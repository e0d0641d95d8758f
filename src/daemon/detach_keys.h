// Docker's detach keys ("ctrl-p,ctrl-q"): parsing as moby/term's ToBytes does, and spotting the
// sequence in the input of an attached TTY (term's escape proxy), so `attach` and `exec -it`
// can let go of a container without stopping it.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace berth::daemon {

inline constexpr std::string_view kDefaultDetachKeys = "ctrl-p,ctrl-q";

// "ctrl-<x>" for x in @, a-z, [, \, ], ^, _; "DEL"; or one character; separated by ','.
// An empty spec is the default. Errors as dockerd words them: "Invalid detach keys (x)
// provided" (kInvalidArgument).
Result<std::string> parse_detach_keys(std::string_view spec);

class DetachDetector {
 public:
  // `keys` as parse_detach_keys returns them; empty: never detaches.
  explicit DetachDetector(std::string keys) : keys_(std::move(keys)) {}

  // Appends to `out` what `in` carries for the container, holding back a partial match of the
  // sequence until it is known not to be one. Returns true once the whole sequence has been
  // read; what came before it is in `out`, the rest of `in` is dropped.
  bool feed(std::string_view in, std::string& out);

 private:
  std::string keys_;
  size_t matched_ = 0;
};

}  // namespace berth::daemon
