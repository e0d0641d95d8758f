// Internal: typed reads from parsed JSON for the image formats. Errors name the field by its
// path ("manifest: layers[2].size: expected an integer, got string"); null reads as absent, as
// Go's encoding/json does (registries and tools write both).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/result.h"

namespace berth::image::json {

std::string member(std::string_view parent, std::string_view key);
std::string element(std::string_view parent, size_t index);
Error type_error(std::string_view path, std::string_view expected, const Json& got);

// Each returns the field's value, nullopt (or empty) when absent or null.
Result<std::optional<std::string>> opt_string(const Json& obj, std::string_view key,
                                              std::string_view path);
Result<std::string> string_or_empty(const Json& obj, std::string_view key, std::string_view path);
Result<std::optional<int64_t>> opt_int(const Json& obj, std::string_view key,
                                       std::string_view path);
Result<bool> bool_or_false(const Json& obj, std::string_view key, std::string_view path);
Result<std::optional<std::vector<std::string>>> opt_strings(const Json& obj, std::string_view key,
                                                            std::string_view path);
Result<std::optional<std::map<std::string, std::string>>> opt_string_map(const Json& obj,
                                                                         std::string_view key,
                                                                         std::string_view path);
// Keys of an object whose values are ignored ({"80/tcp": {}}, Volumes).
Result<std::optional<std::vector<std::string>>> opt_key_set(const Json& obj, std::string_view key,
                                                            std::string_view path);
// The member as an object, or nullptr when absent/null; an error for another type.
Result<const Json*> opt_object(const Json& obj, std::string_view key, std::string_view path);
Result<const Json*> opt_array(const Json& obj, std::string_view key, std::string_view path);

// Parses `text` as a JSON object (kInvalidArgument otherwise), catching nlohmann's exceptions.
Result<Json> parse_object(std::string_view text, std::string_view what);

}  // namespace berth::image::json
