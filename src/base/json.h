// nlohmann::json behind Result: parse errors and type mismatches become Errors naming the field.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/result.h"

namespace berth {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

Result<Json> parse_json(std::string_view text, std::string_view what);

}  // namespace berth
