// config.json <-> oci::Spec. Unknown properties are ignored (as the spec requires); a property
// of the wrong type is an error naming it by its JSON path ("linux.resources.memory.limit: ...").
#pragma once

#include <string>
#include <string_view>

#include "base/json.h"
#include "base/result.h"
#include "oci/runtime_spec.h"

namespace berth::oci {

Result<Spec> parse_spec(const Json& json);
Result<Spec> parse_spec_text(std::string_view text);
// Reads <bundle>/config.json.
Result<Spec> load_spec(const std::string& bundle_dir);
// A process.json, as `exec --process` takes.
Result<Process> parse_process(const Json& json);
// linux.resources alone, as `update --resources` takes.
Result<Resources> parse_resources(const Json& json);

Json to_json(const Spec& spec);
Json to_json(const Process& process);
Json to_json(const Resources& resources);

}  // namespace berth::oci
