// `--change` for import and commit: Dockerfile instructions that set image config fields
// (CMD, ENTRYPOINT, ENV, EXPOSE, HEALTHCHECK, LABEL, ONBUILD, SHELL, STOPSIGNAL, USER, VOLUME,
// WORKDIR), parsed the way the Dockerfile frontend does (JSON or shell form, key=value pairs
// with quotes, port ranges). A small parser, not the builder's: no variables, no RUN.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "image/image_config.h"

namespace berth::image {

// Applies each change to `config` in order. Errors use Docker's wording where it has one:
// "<instr> is not a valid change command", "ENV names can not be blank".
Status apply_changes(ContainerConfig& config, const std::vector<std::string>& changes);
Status apply_change(ContainerConfig& config, std::string_view change);

// Dockerfile word splitting for shell-form arguments: whitespace separates words, quotes
// group, backslash escapes (outside single quotes). Exposed for tests.
Result<std::vector<std::string>> split_words(std::string_view text);

}  // namespace berth::image
