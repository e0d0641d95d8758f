#include "registry/www_authenticate.h"

#include "base/strings.h"

namespace berth::registry {
namespace {

// RFC 7230 tchar.
bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  std::vector<Challenge> parse() {
    std::vector<Challenge> out;
    while (true) {
      skip_separators();
      if (done()) break;
      std::string scheme = token();
      if (scheme.empty()) {
        ++pos_;  // not a challenge: skip the stray character
        continue;
      }
      Challenge challenge{to_lower(scheme), {}};
      parse_params(challenge);
      out.push_back(std::move(challenge));
    }
    return out;
  }

 private:
  void parse_params(Challenge& challenge) {
    while (true) {
      skip_spaces();
      if (done()) return;
      if (s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      size_t start = pos_;
      std::string name = token();
      if (name.empty()) return;
      skip_spaces();
      if (done() || s_[pos_] != '=') {
        // "name" without "=": the start of the next challenge (or a token68 we do not use).
        pos_ = start;
        if (challenge.params.empty() && !is_followed_by_param()) {
          pos_ += name.size();  // token68 credentials: keep as a valueless parameter
          challenge.params.emplace(to_lower(name), "");
          continue;
        }
        return;
      }
      ++pos_;
      skip_spaces();
      std::string value = !done() && s_[pos_] == '"' ? quoted() : bare_value();
      challenge.params.insert_or_assign(to_lower(name), std::move(value));
    }
  }

  // After a token at pos_: is there "name=" further on before the next comma? Tells a new
  // challenge ("Basic realm=x") from token68 ("Negotiate abc").
  bool is_followed_by_param() const {
    size_t p = pos_;
    while (p < s_.size() && is_token_char(s_[p])) ++p;
    while (p < s_.size() && (s_[p] == ' ' || s_[p] == '\t')) ++p;
    size_t name_start = p;
    while (p < s_.size() && is_token_char(s_[p])) ++p;
    if (p == name_start) return false;
    while (p < s_.size() && (s_[p] == ' ' || s_[p] == '\t')) ++p;
    return p < s_.size() && s_[p] == '=';
  }

  std::string token() {
    size_t start = pos_;
    while (!done() && is_token_char(s_[pos_])) ++pos_;
    return std::string(s_.substr(start, pos_ - start));
  }

  // Unquoted values in the wild carry URLs, so take everything up to a comma or space.
  std::string bare_value() {
    size_t start = pos_;
    while (!done() && s_[pos_] != ',' && s_[pos_] != ' ' && s_[pos_] != '\t') ++pos_;
    return std::string(s_.substr(start, pos_ - start));
  }

  std::string quoted() {
    std::string out;
    ++pos_;  // opening quote
    while (!done()) {
      char c = s_[pos_++];
      if (c == '"') return out;
      if (c == '\\' && !done()) c = s_[pos_++];
      out += c;
    }
    return out;  // unterminated: take what there is
  }

  void skip_spaces() {
    while (!done() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
  }
  void skip_separators() {
    while (!done() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == ',')) ++pos_;
  }
  bool done() const { return pos_ >= s_.size(); }

  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

std::string Challenge::param(std::string_view name) const {
  auto it = params.find(std::string(name));
  return it == params.end() ? std::string() : it->second;
}

std::vector<Challenge> parse_www_authenticate(std::string_view header) {
  return Parser(header).parse();
}

std::vector<Challenge> parse_www_authenticate(const std::vector<std::string>& headers) {
  std::vector<Challenge> out;
  for (const auto& h : headers) {
    auto parsed = parse_www_authenticate(h);
    out.insert(out.end(), parsed.begin(), parsed.end());
  }
  return out;
}

const Challenge* find_challenge(const std::vector<Challenge>& challenges, std::string_view scheme) {
  for (const auto& c : challenges) {
    if (c.scheme == scheme) return &c;
  }
  return nullptr;
}

}  // namespace berth::registry
