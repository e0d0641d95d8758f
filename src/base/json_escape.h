#pragma once

#include <string>
#include <string_view>

namespace berth {

// Escapes a string for inclusion inside a JSON string literal (without the quotes).
std::string json_escape(std::string_view s);

}  // namespace berth
