// Route patterns in gorilla/mux's syntax, as dockerd registers them:
//   "/containers/{id}/json"      {id} matches one non-empty path segment ([^/]+)
//   "/images/{name:.*}/json"     {name:.*} matches any text, slashes included (greedy)
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace berth::http {

using PathParams = std::vector<std::pair<std::string, std::string>>;

class RoutePattern {
 public:
  // Fails on unbalanced braces or an unsupported parameter pattern (only `.*` is supported).
  static Result<RoutePattern> compile(std::string_view pattern);

  // Matches the whole (decoded) `path`, filling `params` on success. Greedy parameters take
  // the longest text that still lets the rest of the pattern match, as a regex `.*` would.
  bool match(std::string_view path, PathParams* params) const;

  const std::string& text() const { return text_; }

 private:
  struct Token {
    enum class Kind { kLiteral, kSegment, kGreedy };
    Kind kind;
    std::string text;  // the literal, or the parameter's name
  };

  bool match_from(size_t token, std::string_view rest, PathParams* params) const;

  std::string text_;
  std::vector<Token> tokens_;
};

}  // namespace berth::http
