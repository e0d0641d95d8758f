// Checks shared by the validators: paths, environment entries, id mappings, namespace lookup.
#include <algorithm>
#include <cstdint>

#include "oci/validate_internal.h"

namespace berth::oci {

Status check_absolute(std::string_view field, const std::string& path) {
  if (path.empty() || path.front() != '/') {
    return invalid_field(field, "must be an absolute path, got {:?}", path);
  }
  return {};
}

Status check_no_nul(std::string_view field, const std::string& value) {
  if (value.find('\0') != std::string::npos) {
    return invalid_field(field, "contains a NUL byte: {:?}", value);
  }
  return {};
}

Status check_env(std::string_view field, const std::vector<std::string>& env) {
  for (size_t i = 0; i < env.size(); ++i) {
    std::string entry_field = fmt::format("{}[{}]", field, i);
    size_t eq = env[i].find('=');
    if (eq == std::string::npos) {
      return invalid_field(entry_field, "missing '=' in {:?}", env[i]);
    }
    if (eq == 0) return invalid_field(entry_field, "empty variable name in {:?}", env[i]);
    TRY(check_no_nul(entry_field, env[i]));
  }
  return {};
}

namespace {

struct Range {
  uint64_t start;
  uint64_t end;  // exclusive
  size_t index;
};

// The first pair of overlapping ranges, as indexes into the original list; {0, 0} when none.
std::pair<size_t, size_t> find_overlap(std::vector<Range> ranges) {
  std::sort(ranges.begin(), ranges.end(),
            [](const Range& a, const Range& b) { return a.start < b.start; });
  for (size_t i = 1; i < ranges.size(); ++i) {
    if (ranges[i].start < ranges[i - 1].end) {
      size_t a = ranges[i - 1].index;
      size_t b = ranges[i].index;
      return {std::min(a, b), std::max(a, b)};
    }
  }
  return {0, 0};
}

}  // namespace

Status check_id_mappings(std::string_view field, const std::vector<IdMapping>& mappings) {
  constexpr uint64_t kIdSpace = uint64_t{1} << 32;
  std::vector<Range> container_ranges;
  std::vector<Range> host_ranges;
  for (size_t i = 0; i < mappings.size(); ++i) {
    const IdMapping& m = mappings[i];
    std::string entry_field = fmt::format("{}[{}]", field, i);
    if (m.size == 0) return invalid_field(entry_field + ".size", "must be greater than zero");
    if (uint64_t{m.container_id} + m.size > kIdSpace || uint64_t{m.host_id} + m.size > kIdSpace) {
      return invalid_field(entry_field, "range of {} ids starting at {} (host {}) exceeds 2^32",
                           m.size, m.container_id, m.host_id);
    }
    container_ranges.push_back({m.container_id, uint64_t{m.container_id} + m.size, i});
    host_ranges.push_back({m.host_id, uint64_t{m.host_id} + m.size, i});
  }
  // The kernel refuses a map whose ranges overlap on either side.
  if (auto [a, b] = find_overlap(container_ranges); a != b) {
    return invalid_field(fmt::format("{}[{}]", field, b), "containerID range overlaps {}[{}]",
                         field, a);
  }
  if (auto [a, b] = find_overlap(host_ranges); a != b) {
    return invalid_field(fmt::format("{}[{}]", field, b), "hostID range overlaps {}[{}]", field, a);
  }
  return {};
}

bool id_is_mapped(const std::vector<IdMapping>& mappings, uint32_t id) {
  return std::any_of(mappings.begin(), mappings.end(), [id](const IdMapping& m) {
    return id >= m.container_id && uint64_t{id} < uint64_t{m.container_id} + m.size;
  });
}

NamespaceMode namespace_mode(const Spec& spec, NamespaceType type) {
  const Namespace* ns = find_namespace(spec, type);
  if (ns == nullptr) return NamespaceMode::kInherit;
  return ns->path.empty() ? NamespaceMode::kNew : NamespaceMode::kJoin;
}

}  // namespace berth::oci
