// docker's kvfile.Parse: --env-file and --label-file contents.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "client/host.h"

namespace berth::cli {

// Lines "K=V" kept as they are; "K" alone takes the variable's value when `lookup` is given and
// finds it, and is dropped otherwise; blank lines and "#" comments skipped.
Result<std::vector<std::string>> parse_kv_file(const std::string& path,
                                               const client::EnvLookup* lookup);

// opts.ReadKVStrings: files first, then the flags' values.
Result<std::vector<std::string>> read_kv_strings(const std::vector<std::string>& files,
                                                 const std::vector<std::string>& overrides,
                                                 const client::EnvLookup* lookup);

}  // namespace berth::cli
