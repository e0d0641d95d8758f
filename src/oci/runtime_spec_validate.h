// Semantic checks of a parsed config.json: everything a runtime must refuse before touching the
// system. Returns the first problem as an kInvalidArgument error naming the field.
#pragma once

#include "base/result.h"
#include "oci/runtime_spec.h"

namespace berth::oci {

struct ValidateOptions {
  // `create`/`run` need process; an `exec` process is validated with validate_process.
  bool require_process = true;
};

Status validate_spec(const Spec& spec, const ValidateOptions& options = {});
Status validate_process(const Process& process, const Spec* container_spec = nullptr);
Status validate_resources(const Resources& resources);

}  // namespace berth::oci
