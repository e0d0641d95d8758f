// The container facts a log driver may stamp on each record: --log-opt labels=, labels-regex=,
// env=, env-regex= select container labels and environment variables, tag= is a template over
// the container's identity.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/result.h"
#include "logging/log_message.h"
#include "logging/log_options.h"

namespace berth::logging {

struct ContainerInfo {
  std::string id;          // the full 64-hex id
  std::string name;        // with or without the leading '/'
  std::string image_id;    // "sha256:..."
  std::string image_name;  // as the user gave it
  std::string entrypoint;  // {{.Command}} is the entrypoint and args joined by spaces
  std::vector<std::string> args;
  std::vector<std::string> env;  // "KEY=value"
  std::map<std::string, std::string> labels;
  std::string daemon_name;
};

// Docker's Info.ExtraAttributes: the selected labels and environment variables, sorted by key.
// Regular expressions are searched (not anchored), as Go's MatchString does.
Result<std::vector<LogAttr>> extra_log_attributes(const LogOptions& options,
                                                  const ContainerInfo& info);

// Docker's ParseLogTag with no default: "" when tag= is absent or empty. Supports literal text
// with {{.ID}} {{.FullID}} {{.Name}} {{.ImageID}} {{.ImageFullID}} {{.ImageName}} {{.Command}}
// {{.DaemonName}} {{.Hostname}} fields; other template syntax is refused (kInvalidArgument).
Result<std::string> parse_log_tag(const LogOptions& options, const ContainerInfo& info);

// Everything a driver stamps on its records: extra_log_attributes plus "tag" when one is set.
Result<std::vector<LogAttr>> log_attributes(const LogOptions& options, const ContainerInfo& info);

}  // namespace berth::logging
