#include "daemon/detach_keys.h"

#include <array>

#include "base/strings.h"

namespace berth::daemon {
namespace {

// moby/term's ASCII table: index = the control code.
constexpr std::array<std::string_view, 32> kControlNames = {
    "ctrl-@", "ctrl-a", "ctrl-b", "ctrl-c", "ctrl-d", "ctrl-e", "ctrl-f",  "ctrl-g",
    "ctrl-h", "ctrl-i", "ctrl-j", "ctrl-k", "ctrl-l", "ctrl-m", "ctrl-n",  "ctrl-o",
    "ctrl-p", "ctrl-q", "ctrl-r", "ctrl-s", "ctrl-t", "ctrl-u", "ctrl-v",  "ctrl-w",
    "ctrl-x", "ctrl-y", "ctrl-z", "ctrl-[", "ctrl-\\", "ctrl-]", "ctrl-^", "ctrl-_"};

}  // namespace

Result<std::string> parse_detach_keys(std::string_view spec) {
  if (spec.empty()) spec = kDefaultDetachKeys;
  std::string codes;
  for (const std::string& key : split(spec, ',')) {
    if (key.size() == 1) {
      codes.push_back(key[0]);
      continue;
    }
    bool found = false;
    for (size_t code = 0; code < kControlNames.size(); ++code) {
      if (kControlNames[code] == key) {
        codes.push_back(static_cast<char>(code));
        found = true;
        break;
      }
    }
    if (!found && key == "DEL") {
      codes.push_back(static_cast<char>(127));
      found = true;
    }
    if (!found) {
      return make_error(ErrorCode::kInvalidArgument, "Invalid detach keys ({}) provided", spec);
    }
  }
  return codes;
}

bool DetachDetector::feed(std::string_view in, std::string& out) {
  if (keys_.empty()) {
    out.append(in);
    return false;
  }
  for (char c : in) {
    if (c == keys_[matched_]) {
      if (++matched_ == keys_.size()) return true;
      continue;
    }
    // Not the sequence after all: what was held back belongs to the container.
    out.append(keys_, 0, matched_);
    matched_ = 0;
    if (c == keys_[0]) {
      if (keys_.size() == 1) return true;
      matched_ = 1;
    } else {
      out.push_back(c);
    }
  }
  return false;
}

}  // namespace berth::daemon
