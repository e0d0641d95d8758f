#include "http/route_pattern.h"

namespace berth::http {

Result<RoutePattern> RoutePattern::compile(std::string_view pattern) {
  RoutePattern out;
  out.text_ = std::string(pattern);
  std::string literal;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '}') return make_error(ErrorCode::kInvalidArgument, "route {}: stray '}}'", pattern);
    if (c != '{') {
      literal += c;
      continue;
    }
    size_t close = pattern.find('}', i);
    if (close == std::string_view::npos) {
      return make_error(ErrorCode::kInvalidArgument, "route {}: unclosed '{{'", pattern);
    }
    std::string_view inner = pattern.substr(i + 1, close - i - 1);
    size_t colon = inner.find(':');
    std::string_view name = inner.substr(0, colon);
    Token::Kind kind = Token::Kind::kSegment;
    if (colon != std::string_view::npos) {
      std::string_view re = inner.substr(colon + 1);
      if (re != ".*") {
        return make_error(ErrorCode::kInvalidArgument,
                          "route {}: unsupported parameter pattern \"{}\"", pattern, re);
      }
      kind = Token::Kind::kGreedy;
    }
    if (name.empty()) {
      return make_error(ErrorCode::kInvalidArgument, "route {}: empty parameter name", pattern);
    }
    if (!literal.empty()) out.tokens_.push_back({Token::Kind::kLiteral, std::move(literal)});
    literal.clear();
    out.tokens_.push_back({kind, std::string(name)});
    i = close;
  }
  if (!literal.empty()) out.tokens_.push_back({Token::Kind::kLiteral, std::move(literal)});
  return out;
}

bool RoutePattern::match(std::string_view path, PathParams* params) const {
  PathParams found;
  if (!match_from(0, path, &found)) return false;
  if (params) *params = std::move(found);
  return true;
}

bool RoutePattern::match_from(size_t index, std::string_view rest, PathParams* params) const {
  if (index == tokens_.size()) return rest.empty();
  const Token& token = tokens_[index];
  switch (token.kind) {
    case Token::Kind::kLiteral:
      if (!rest.starts_with(token.text)) return false;
      return match_from(index + 1, rest.substr(token.text.size()), params);
    case Token::Kind::kSegment: {
      // [^/]+, longest first, as the regex gorilla/mux builds would match.
      size_t max = rest.find('/');
      if (max == std::string_view::npos) max = rest.size();
      for (size_t len = max; len > 0; --len) {
        params->emplace_back(token.text, std::string(rest.substr(0, len)));
        if (match_from(index + 1, rest.substr(len), params)) return true;
        params->pop_back();
      }
      return false;
    }
    case Token::Kind::kGreedy:
      for (size_t len = rest.size() + 1; len-- > 0;) {
        params->emplace_back(token.text, std::string(rest.substr(0, len)));
        if (match_from(index + 1, rest.substr(len), params)) return true;
        params->pop_back();
      }
      return false;
  }
  return false;
}

}  // namespace berth::http
