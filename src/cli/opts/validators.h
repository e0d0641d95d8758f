// The value checks docker's opts package runs as flags are parsed, with its error texts.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "client/host.h"

namespace berth::cli {

// opts.ValidateEnv: "A=B" stays; "A" becomes "A=<value>" when the variable is set.
Result<std::string> validate_env(std::string_view value, const client::EnvLookup& env);
Result<std::string> validate_label(std::string_view value);
Result<std::string> validate_extra_host(std::string_view value);
Result<std::string> validate_sysctl(std::string_view value);
// net.ParseIP then ip.String().
Result<std::string> validate_ip_address(std::string_view value);
Result<std::string> validate_dns_search(std::string_view value);
Result<std::string> validate_mac_address(std::string_view value);
Result<std::string> validate_link(std::string_view value);
Result<std::string> validate_attach(std::string_view value);
Result<std::string> validate_device_cgroup_rule(std::string_view value);

// net.ParseIP: the canonical text of an IPv4/IPv6 address, or nullopt.
std::optional<std::string> canonical_ip(std::string_view text);

// opts.NormalizeCapability for the client's create call: upper case, "CAP_" prefix; "ALL" kept.
std::string normalize_capability(std::string_view cap);

}  // namespace berth::cli
