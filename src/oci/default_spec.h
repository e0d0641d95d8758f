// The config.json that `berth-runtime spec` writes (runc's defaults: sh, a terminal, the default
// mounts, capabilities, masked and read-only paths; --rootless adds a user namespace).
#pragma once

#include "oci/runtime_spec.h"

namespace berth::oci {

Spec default_spec(bool rootless);

}  // namespace berth::oci
