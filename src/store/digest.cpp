#include "store/digest.h"

#include <cstdlib>

#include <openssl/evp.h>

namespace berth::store {

std::string_view digest_algorithm_name(DigestAlgorithm algorithm) {
  switch (algorithm) {
    case DigestAlgorithm::kSha256: return "sha256";
    case DigestAlgorithm::kSha512: return "sha512";
  }
  return "sha256";
}

size_t digest_hex_length(DigestAlgorithm algorithm) {
  return algorithm == DigestAlgorithm::kSha512 ? 128 : 64;
}

namespace {

bool is_lower_hex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// The grammar of descriptor.md: algorithm-component ([a-z0-9]+) joined by [+._-].
bool valid_algorithm_grammar(std::string_view alg) {
  if (alg.empty()) return false;
  bool need_component = true;
  for (char c : alg) {
    bool component = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    bool separator = c == '+' || c == '.' || c == '_' || c == '-';
    if (component) {
      need_component = false;
    } else if (separator && !need_component) {
      need_component = true;
    } else {
      return false;
    }
  }
  return !need_component;
}

const EVP_MD* evp_md(DigestAlgorithm algorithm) {
  return algorithm == DigestAlgorithm::kSha512 ? EVP_sha512() : EVP_sha256();
}

}  // namespace

Result<Digest> Digest::from_hex(DigestAlgorithm algorithm, std::string_view hex) {
  if (hex.size() != digest_hex_length(algorithm) || !is_lower_hex(hex)) {
    return make_error(ErrorCode::kInvalidArgument, "invalid {} digest encoding \"{}\"",
                      digest_algorithm_name(algorithm), hex);
  }
  return Digest(algorithm, std::string(hex));
}

Result<Digest> Digest::parse(std::string_view text) {
  size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    return make_error(ErrorCode::kInvalidArgument, "invalid digest \"{}\": missing algorithm",
                      text);
  }
  std::string_view alg = text.substr(0, colon);
  std::string_view hex = text.substr(colon + 1);
  if (alg == "sha256") return from_hex(DigestAlgorithm::kSha256, hex);
  if (alg == "sha512") return from_hex(DigestAlgorithm::kSha512, hex);
  if (!valid_algorithm_grammar(alg)) {
    return make_error(ErrorCode::kInvalidArgument, "invalid digest \"{}\"", text);
  }
  return make_error(ErrorCode::kUnimplemented, "unsupported digest algorithm \"{}\"", alg);
}

Digest Digest::of(std::string_view data) {
  Sha256 hasher;
  hasher.update(data);
  return hasher.digest();
}

std::string Digest::to_string() const {
  if (hex_.empty()) return {};
  return std::string(algorithm_name()) + ":" + hex_;
}

struct Hasher::Ctx {
  EVP_MD_CTX* md = nullptr;
  ~Ctx() { EVP_MD_CTX_free(md); }
};

Hasher::Hasher(DigestAlgorithm algorithm) : algorithm_(algorithm), ctx_(std::make_unique<Ctx>()) {
  ctx_->md = EVP_MD_CTX_new();
  // Allocation failure of a few hundred bytes, or a libcrypto without sha256: nothing sensible
  // to continue with.
  if (ctx_->md == nullptr || EVP_DigestInit_ex(ctx_->md, evp_md(algorithm), nullptr) != 1) {
    std::abort();
  }
}

Hasher::~Hasher() = default;
Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;

void Hasher::update(std::string_view data) {
  if (!data.empty()) EVP_DigestUpdate(ctx_->md, data.data(), data.size());
}

Digest Hasher::digest() const {
  // Finalise a copy so the running state stays usable.
  EVP_MD_CTX* copy = EVP_MD_CTX_new();
  if (copy == nullptr || EVP_MD_CTX_copy_ex(copy, ctx_->md) != 1) std::abort();
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(copy, out, &len);
  EVP_MD_CTX_free(copy);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    hex.push_back(kHex[out[i] >> 4]);
    hex.push_back(kHex[out[i] & 0xf]);
  }
  return Digest::from_hex(algorithm_, hex).take();
}

Status DigestingWriter::write(std::string_view data) {
  hasher_.update(data);
  size_ += data.size();
  if (next_ != nullptr) return next_->write(data);
  return {};
}

Result<size_t> DigestingReader::read(char* buf, size_t len) {
  size_t n = TRY(source_.read(buf, len));
  hasher_.update(std::string_view(buf, n));
  size_ += n;
  return n;
}

}  // namespace berth::store
