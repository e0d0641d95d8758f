// Platforms (OCI image-index.md "platform"): the host's, `--platform` parsing, normalisation
// (x86_64 -> amd64, aarch64 -> arm64, arm64/v8 -> arm64, ...), matching, and picking the best
// manifest of an index, as containerd's platforms package does.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace berth::image {

struct Platform {
  std::string os;
  std::string architecture;
  std::string variant;
  std::string os_version;
  std::vector<std::string> os_features;

  bool operator==(const Platform&) const = default;
};

// The platform this process runs on (normalised), e.g. linux/amd64 or linux/arm/v7.
Platform host_platform();

// Canonical names: os lowercased ("macos" -> "darwin"), architecture aliases resolved, the arm
// variants written as "v<N>" (and arm64's default v8 dropped).
Platform normalize(Platform p);

// Parses "os[/arch[/variant]]" or a bare "arch" (then the host's os): "linux/arm64/v8",
// "linux", "amd64". Errors as containerd's: "\"<spec>\": unknown operating system or
// architecture: invalid argument".
Result<Platform> parse_platform(std::string_view spec);

// "os/arch[/variant]".
std::string format_platform(const Platform& p);

// Whether an image for `have` runs where `want` is asked for: same os and architecture, and a
// compatible variant (arm/v7 runs v6 and v5 images; an empty wanted variant takes any).
bool platform_matches(const Platform& want, const Platform& have);

// Among `candidates`, the index of the best match for `want` (exact variant first, then older
// variants by preference), or nullopt.
std::optional<size_t> best_platform(const Platform& want, const std::vector<Platform>& candidates);

}  // namespace berth::image
