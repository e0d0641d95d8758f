#include "image/platform.h"

#include <sys/utsname.h>

#include <algorithm>

#include "base/file_util.h"
#include "base/strings.h"

namespace berth::image {

namespace {

bool is_known_os(std::string_view os) {
  static constexpr std::string_view kKnown[] = {
      "aix",   "android", "darwin", "dragonfly", "freebsd", "hurd",    "illumos", "ios", "js",
      "linux", "nacl",    "netbsd", "openbsd",   "plan9",   "solaris", "windows", "zos", "wasip1"};
  return std::find(std::begin(kKnown), std::end(kKnown), os) != std::end(kKnown);
}

bool is_known_arch(std::string_view arch) {
  static constexpr std::string_view kKnown[] = {
      "386",     "amd64",   "amd64p32", "arm",    "armbe",  "arm64",    "arm64be",   "ppc64",
      "ppc64le", "loong64", "mips",     "mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le",
      "ppc",     "riscv",   "riscv64",  "s390",   "s390x",  "sparc",    "sparc64",   "wasm"};
  return std::find(std::begin(kKnown), std::end(kKnown), arch) != std::end(kKnown);
}

// The arm variant of this CPU ("v7", "v8"), from /proc/cpuinfo as containerd reads it.
std::string host_arm_variant() {
  auto info = read_file("/proc/cpuinfo");
  if (!info.ok()) return "";
  for (const auto& line : split(*info, '\n')) {
    auto [key, value] = split_once(line, ':');
    if (trim(key) != "CPU architecture") continue;
    std::string v = to_lower(trim(value));
    if (v == "8" || v == "aarch64") return "v8";
    if (v == "7" || v == "7m" || v == "?(12)" || v == "?(13)" || v == "?(14)" || v == "?(15)" ||
        v == "?(16)" || v == "?(17)") {
      return "v7";
    }
    if (v == "6" || v == "6tej") return "v6";
    if (v == "5" || v == "5t" || v == "5te" || v == "5tej") return "v5";
    return "";
  }
  return "";
}

// Variant preference for arm: a v7 host runs v7, then v6, then v5 images.
int arm_level(std::string_view variant) {
  if (variant.size() == 2 && variant[0] == 'v' && variant[1] >= '5' && variant[1] <= '8') {
    return variant[1] - '0';
  }
  return -1;
}

}  // namespace

Platform normalize(Platform p) {
  p.os = to_lower(p.os);
  if (p.os == "macos") p.os = "darwin";
  std::string arch = to_lower(p.architecture);
  std::string variant = to_lower(p.variant);
  if (arch == "i386") {
    arch = "386";
    variant.clear();
  } else if (arch == "x86_64" || arch == "x86-64" || arch == "amd64") {
    arch = "amd64";
    if (variant == "v1") variant.clear();
  } else if (arch == "aarch64" || arch == "arm64") {
    arch = "arm64";
    if (variant == "8" || variant == "v8" || variant == "v8.0") variant.clear();
  } else if (arch == "armhf") {
    arch = "arm";
    variant = "v7";
  } else if (arch == "armel") {
    arch = "arm";
    variant = "v6";
  } else if (arch == "arm") {
    if (variant.empty() || variant == "7")
      variant = "v7";
    else if (variant == "5" || variant == "6" || variant == "8")
      variant = "v" + variant;
  }
  p.architecture = arch;
  p.variant = variant;
  return p;
}

Platform host_platform() {
  Platform p;
  p.os = "linux";
  struct utsname u {};
  if (::uname(&u) == 0) {
    p.architecture = u.machine;
  } else {
    p.architecture = "amd64";
  }
  std::string arch = to_lower(p.architecture);
  if (arch == "armv7l" || arch == "armv6l" || arch == "armv5tel" || arch == "arm") {
    p.architecture = "arm";
    p.variant = host_arm_variant();
  } else if (arch == "ppc64le" || arch == "s390x" || arch == "riscv64") {
    p.architecture = arch;
  }
  return normalize(p);
}

Result<Platform> parse_platform(std::string_view spec) {
  auto bad = [&] {
    return make_error(ErrorCode::kInvalidArgument,
                      "\"{}\": unknown operating system or architecture: invalid argument", spec);
  };
  if (spec.empty() || spec.find_first_of(" \t") != std::string_view::npos) return bad();
  auto parts = split(spec, '/');
  if (parts.size() > 3) return bad();
  for (const auto& part : parts) {
    if (part.empty()) return bad();
  }
  Platform p;
  std::string first = to_lower(parts[0]);
  if (parts.size() == 1) {
    Platform host = host_platform();
    Platform as_arch = normalize(Platform{"", first, "", "", {}});
    if (is_known_os(first) || first == "macos") {
      p.os = first;
      // The os alone: the host's architecture if the os is the host's.
      if (normalize(Platform{first, "", "", "", {}}).os == host.os) {
        p.architecture = host.architecture;
        p.variant = host.variant;
      }
      return normalize(p);
    }
    if (is_known_arch(as_arch.architecture)) {
      p.os = host.os;
      p.architecture = as_arch.architecture;
      p.variant = as_arch.variant;
      return normalize(p);
    }
    return bad();
  }
  p.os = first;
  p.architecture = parts[1];
  if (parts.size() == 3) p.variant = parts[2];
  p = normalize(p);
  if (!is_known_os(p.os) || !is_known_arch(p.architecture)) return bad();
  return p;
}

std::string format_platform(const Platform& p) {
  std::string out = p.os.empty() ? "unknown" : p.os;
  out += "/" + (p.architecture.empty() ? std::string("unknown") : p.architecture);
  if (!p.variant.empty()) out += "/" + p.variant;
  return out;
}

bool platform_matches(const Platform& want_in, const Platform& have_in) {
  Platform want = normalize(want_in);
  Platform have = normalize(have_in);
  // An image without an os (some old configs) is taken as linux, as Docker does.
  if (have.os.empty()) have.os = "linux";
  if (want.os != have.os) return false;
  if (want.architecture.empty()) return true;
  if (want.architecture != have.architecture) return false;
  if (want.variant == have.variant) return true;
  if (want.architecture == "arm") {
    int w = arm_level(want.variant);
    int h = arm_level(have.variant);
    return w >= 0 && h >= 0 && h <= w;
  }
  if (want.architecture == "amd64") {
    // Micro-architecture levels: a v3 host runs v1..v3 images; no variant is v1.
    auto level = [](const std::string& v) {
      if (v.empty()) return 1;
      return v.size() == 2 && v[0] == 'v' && v[1] >= '1' && v[1] <= '4' ? v[1] - '0' : 99;
    };
    return level(have.variant) <= level(want.variant);
  }
  return want.variant.empty();
}

std::optional<size_t> best_platform(const Platform& want, const std::vector<Platform>& candidates) {
  std::optional<size_t> best;
  int best_score = -1;
  Platform w = normalize(want);
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (!platform_matches(w, candidates[i])) continue;
    Platform c = normalize(candidates[i]);
    // Exact variant first, then the newest compatible variant; first in the index wins ties.
    int score = 0;
    if (c.variant == w.variant) {
      score = 1000;
    } else if (c.architecture == "arm") {
      score = arm_level(c.variant) * 10;
    } else if (c.architecture == "amd64") {
      score = c.variant.empty() ? 10 : (c.variant[1] - '0') * 10;
    }
    if (score > best_score) {
      best_score = score;
      best = i;
    }
  }
  return best;
}

}  // namespace berth::image
