// Reading Docker API objects (Config, HostConfig, Mount, ...) held as Json. Docker's Go decoder
// treats null like an absent field and refuses a value of the wrong type; these accessors do the
// same, naming the field in Go's words ("json: cannot unmarshal string into Go struct field
// HostConfig.Memory of type int64") so that the API layer can return that text as a 400.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/result.h"

namespace berth::cspec {

// The member `key` of `object`, or nullptr when `object` is not an object, lacks the key, or the
// value is null.
const Json* field(const Json& object, std::string_view key);

// `where` names the enclosing Go struct for error messages ("HostConfig", "Config.Healthcheck").
Result<std::string> get_string(const Json& object, std::string_view key, std::string_view where);
Result<bool> get_bool(const Json& object, std::string_view key, std::string_view where);
Result<int64_t> get_int(const Json& object, std::string_view key, std::string_view where);
Result<std::optional<int64_t>> get_optional_int(const Json& object, std::string_view key,
                                                std::string_view where);
Result<std::optional<bool>> get_optional_bool(const Json& object, std::string_view key,
                                              std::string_view where);
// An array of strings; {} when absent.
Result<std::vector<std::string>> get_strings(const Json& object, std::string_view key,
                                             std::string_view where);
// Docker's StrSlice (Cmd, Entrypoint, Shell): a JSON string is a one-element list. nullopt when
// absent or null, which Docker distinguishes from an empty list for Entrypoint.
Result<std::optional<std::vector<std::string>>> get_str_slice(const Json& object,
                                                              std::string_view key,
                                                              std::string_view where);
// An object of string values; {} when absent.
Result<std::map<std::string, std::string>> get_string_map(const Json& object, std::string_view key,
                                                          std::string_view where);

// The error Go's encoding/json gives for a value of the wrong type.
Error type_error(const Json& value, std::string_view where, std::string_view key,
                 std::string_view go_type);

}  // namespace berth::cspec
