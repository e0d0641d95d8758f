// Reason phrases for status lines ("404 Not Found"); "Unknown" for codes HTTP does not name.
#pragma once

#include <string_view>

namespace berth::http {

std::string_view reason_phrase(int status);

}  // namespace berth::http
