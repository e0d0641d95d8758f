// The spec's seccomp strings (SCMP_ACT_*, SCMP_ARCH_*, SCMP_CMP_*, SECCOMP_FILTER_FLAG_*) and the
// libseccomp / kernel values they stand for. Internal to the security module.
#pragma once

#include <seccomp.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace berth::security {

// An action with its errno/trace data folded in: SCMP_ACT_ERRNO and SCMP_ACT_TRACE take `ret`
// (EPERM when absent); every other action refuses one, as the spec requires. SCMP_ACT_NOTIFY is
// kUnimplemented.
Result<uint32_t> seccomp_action_from_name(std::string_view name, std::optional<uint32_t> ret);

Result<uint32_t> seccomp_arch_from_name(std::string_view name);

Result<scmp_compare> seccomp_op_from_name(std::string_view name);

// ORs the seccomp(2) flags the names ask for. TSYNC is accepted and dropped: the container's init
// is single-threaded when it loads the filter.
Result<unsigned> seccomp_flags_from_names(const std::vector<std::string>& names);

}  // namespace berth::security
