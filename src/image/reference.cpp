#include "image/reference.h"

#include <regex>

#include "base/strings.h"

namespace berth::image {

namespace {

// The expressions of distribution/reference (regexp.go), composed the same way. ECMAScript's
// alternation is leftmost-first like Go's, so the captures agree.
const std::string kAlphaNumeric = "[a-z0-9]+";
const std::string kSeparator = "(?:[._]|__|[-]+)";
const std::string kPathComponent = kAlphaNumeric + "(?:" + kSeparator + kAlphaNumeric + ")*";
const std::string kDomainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const std::string kIpv6 = "\\[(?:[a-fA-F0-9:]+)\\]";
const std::string kDomainName = kDomainComponent + "(?:\\." + kDomainComponent + ")*";
const std::string kHost = "(?:" + kDomainName + "|" + kIpv6 + ")";
const std::string kDomainAndPort = kHost + "(?::[0-9]+)?";
const std::string kTag = "[\\w][\\w.-]{0,127}";
const std::string kDigest =
    "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}";
const std::string kRemoteName = kPathComponent + "(?:/" + kPathComponent + ")*";
const std::string kName = "(?:" + kDomainAndPort + "/)?" + kRemoteName;

const std::regex& reference_regex() {
  static const std::regex re("(" + kName + ")(?::(" + kTag + "))?(?:@(" + kDigest + "))?");
  return re;
}
const std::regex& anchored_name_regex() {
  static const std::regex re("(?:(" + kDomainAndPort + ")/)?(" + kRemoteName + ")");
  return re;
}
const std::regex& identifier_regex() {
  static const std::regex re("[a-f0-9]{64}");
  return re;
}
const std::regex& tag_regex() {
  static const std::regex re(kTag);
  return re;
}

// std::regex backtracks recursively; bound what reaches it (no valid reference is this long:
// 255 for the name, 128 for the tag, a sha512 digest).
constexpr size_t kMaxInput = 1024;

Error invalid_format() {
  return Error(ErrorCode::kInvalidArgument, "invalid reference format");
}

// digest.Parse's errors, for a digest the grammar accepted.
Result<store::Digest> parse_reference_digest(const std::string& text) {
  auto d = store::Digest::parse(text);
  if (d.ok()) return d;
  auto [alg, hex] = split_once(text, ':');
  if (alg != "sha256" && alg != "sha512") {
    return Error(ErrorCode::kInvalidArgument, "unsupported digest algorithm");
  }
  size_t want = alg == "sha256" ? 64 : 128;
  if (hex.size() != want) {
    return Error(ErrorCode::kInvalidArgument, "invalid checksum digest length");
  }
  return Error(ErrorCode::kInvalidArgument, "invalid checksum digest format");
}

// Docker's splitDockerDomain.
std::pair<std::string, std::string> split_docker_domain(std::string_view name) {
  bool found = false;
  auto [maybe_domain, maybe_rest] = split_once(name, '/', &found);
  std::string domain;
  std::string rest;
  if (!found) {
    domain = kDefaultDomain;
    rest = std::string(kOfficialRepoPrefix) + std::string(name);
    return {domain, rest};
  }
  if (maybe_domain == "localhost") {
    domain = maybe_domain;
    rest = maybe_rest;
  } else if (maybe_domain == kLegacyDefaultDomain) {
    domain = kDefaultDomain;
    rest = maybe_rest;
  } else if (maybe_domain.find_first_of(".:") != std::string_view::npos ||
             to_lower(maybe_domain) != maybe_domain) {
    domain = maybe_domain;
    rest = maybe_rest;
  } else {
    domain = kDefaultDomain;
    rest = name;
  }
  if (domain == kDefaultDomain && rest.find('/') == std::string::npos) {
    rest = std::string(kOfficialRepoPrefix) + rest;
  }
  return {domain, rest};
}

}  // namespace

bool is_valid_tag(std::string_view tag) {
  if (tag.empty() || tag.size() > 128) return false;
  return std::regex_match(tag.begin(), tag.end(), tag_regex());
}

Result<Reference> Reference::parse(std::string_view text) {
  if (text.size() > kMaxInput) {
    return Error(ErrorCode::kInvalidArgument,
                 "repository name must not be more than 255 characters");
  }
  std::string s(text);
  std::smatch m;
  if (!std::regex_match(s, m, reference_regex())) {
    if (s.empty()) {
      return Error(ErrorCode::kInvalidArgument, "repository name must have at least one component");
    }
    std::string lower = to_lower(s);
    if (std::regex_match(lower, reference_regex())) {
      return Error(ErrorCode::kInvalidArgument, "repository name must be lowercase");
    }
    return invalid_format();
  }
  std::string name = m[1].str();
  if (name.size() > kNameTotalLengthMax) {
    return Error(ErrorCode::kInvalidArgument,
                 "repository name must not be more than 255 characters");
  }
  Reference ref;
  std::smatch nm;
  if (std::regex_match(name, nm, anchored_name_regex()) && nm[1].matched) {
    ref.domain_ = nm[1].str();
    ref.path_ = nm[2].str();
  } else {
    ref.path_ = name;
  }
  ref.tag_ = m[2].str();
  if (m[3].matched) ref.digest_ = TRY(parse_reference_digest(m[3].str()));
  return ref;
}

Result<Reference> Reference::parse_normalized(std::string_view text) {
  if (text.size() > kMaxInput) {
    return Error(ErrorCode::kInvalidArgument,
                 "repository name must not be more than 255 characters");
  }
  std::string s(text);
  if (std::regex_match(s, identifier_regex())) {
    return make_error(ErrorCode::kInvalidArgument,
                      "invalid repository name ({}), cannot specify 64-byte hexadecimal strings",
                      s);
  }
  auto [domain, rest] = split_docker_domain(s);
  std::string remote = rest.substr(0, rest.find(':'));
  if (to_lower(remote) != remote) {
    return make_error(ErrorCode::kInvalidArgument,
                      "invalid reference format: repository name ({}) must be lowercase", remote);
  }
  auto ref = TRY(parse(domain + "/" + rest));
  if (ref.domain_.empty()) return invalid_format();
  return ref;
}

std::string Reference::name() const {
  return domain_.empty() ? path_ : domain_ + "/" + path_;
}

std::string Reference::string() const {
  std::string out = name();
  if (!tag_.empty()) out += ":" + tag_;
  if (digest_) out += "@" + digest_->to_string();
  return out;
}

std::string Reference::familiar_name() const {
  if (domain_ != kDefaultDomain) return name();
  std::string_view path = path_;
  if (path.starts_with(kOfficialRepoPrefix) &&
      path.substr(kOfficialRepoPrefix.size()).find('/') == std::string_view::npos) {
    return std::string(path.substr(kOfficialRepoPrefix.size()));
  }
  return path_;
}

std::string Reference::familiar_string() const {
  std::string out = familiar_name();
  if (!tag_.empty()) out += ":" + tag_;
  if (digest_) out += "@" + digest_->to_string();
  return out;
}

Reference Reference::with_tag(std::string tag) const {
  Reference r = name_only();
  r.tag_ = std::move(tag);
  return r;
}

Reference Reference::with_digest(store::Digest digest) const {
  Reference r = name_only();
  r.digest_ = std::move(digest);
  return r;
}

Reference Reference::name_only() const {
  Reference r;
  r.domain_ = domain_;
  r.path_ = path_;
  return r;
}

Reference Reference::tag_or_latest() const {
  if (has_tag() || has_digest()) return *this;
  return with_tag(std::string(kDefaultTag));
}

Result<ImageSpecifier> parse_image_specifier(std::string_view text) {
  ImageSpecifier spec;
  spec.text = std::string(text);
  if (text.size() == 64 && std::regex_match(spec.text, identifier_regex())) {
    spec.id = TRY(store::Digest::parse("sha256:" + spec.text));
    return spec;
  }
  if (text.starts_with("sha256:") || text.starts_with("sha512:")) {
    auto d = store::Digest::parse(text);
    if (d.ok()) {
      spec.id = d.take();
      return spec;
    }
  }
  spec.reference = TRY(Reference::parse_normalized(text));
  return spec;
}

}  // namespace berth::image
