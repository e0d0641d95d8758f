// JSON string encoding byte-for-byte as Docker's Go code produces it. Two variants exist in
// Docker's json-file output: the "log" and "stream" values go through Docker's own fast encoder
// (jsonlog.ffjsonWriteJSONBytesAsString), the "attrs" object through encoding/json.Marshal.
// They differ only in how \t, \b and \f are written.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "logging/log_message.h"

namespace berth::logging {

// Decodes one UTF-8 sequence at s[i] as Go's utf8.DecodeRune does: returns its length and
// stores the code point; an invalid or truncated sequence yields length 1 and *valid = false.
size_t decode_utf8(std::string_view s, size_t i, uint32_t* rune, bool* valid);

// Appends s as a quoted JSON string the way Docker writes "log" values: <, >, & as \u003c...,
// \n and \r short, every other control byte (tab included) as \u00XX, each invalid UTF-8 byte
// as \ufffd, U+2028/U+2029 escaped.
void append_docker_json_string(std::string& out, std::string_view s);

// Appends s as Go's encoding/json.Marshal quotes a string (Go 1.22+: \b \f \n \r \t short).
void append_go_json_string(std::string& out, std::string_view s);

// json.Marshal(map[string]string): keys in byte order. `attrs` must be sorted by key.
std::string go_json_string_map(const std::vector<LogAttr>& attrs);

}  // namespace berth::logging
