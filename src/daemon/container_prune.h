// `docker container prune` (POST /containers/prune): removes every stopped container (created,
// exited, dead) that passes the filters — until=<timestamp or duration> (created before it),
// label=key[=value], label!=key[=value] — and reports what went and the bytes their writable
// layers held. Publishes a container "prune" event with the reclaimed bytes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "daemon/container_service.h"
#include "daemon/filters.h"

namespace berth::daemon {

struct ContainerPruneReport {
  std::vector<std::string> deleted;
  uint64_t space_reclaimed = 0;
};

Result<ContainerPruneReport> prune_containers(ContainerService& service, const std::string& filters_json);

// Docker's timestamps for filters: a Go duration ("10m", "1h30m") before `now_ns`, Unix seconds
// with an optional fraction, or RFC 3339 (date, date-time with or without zone).
Result<int64_t> parse_filter_time(const std::string& value, int64_t now_ns);

// Label filters (label / label!): each "key" or "key=value" must (not) match.
bool labels_match(const std::map<std::string, std::string>& labels, const ListFilters& filters);

}  // namespace berth::daemon
