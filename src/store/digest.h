// Content digests ("sha256:<hex>"), as the OCI image spec defines them (descriptor.md).
// sha256 is what Berth produces; sha512 is accepted for verifying content others produced.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"
#include "store/stream.h"

namespace berth::store {

enum class DigestAlgorithm { kSha256, kSha512 };

std::string_view digest_algorithm_name(DigestAlgorithm algorithm);
// Length of the hex-encoded hash: 64 for sha256, 128 for sha512.
size_t digest_hex_length(DigestAlgorithm algorithm);

class Digest {
 public:
  // An empty digest (is_empty() is true); only useful as a placeholder.
  Digest() = default;

  // Parses "sha256:<64 lowercase hex>" or "sha512:<128 lowercase hex>". Other algorithms that
  // match the spec's grammar are rejected with kUnimplemented, malformed ones kInvalidArgument.
  static Result<Digest> parse(std::string_view text);
  // Builds a digest from an algorithm and its hex encoding, validating the hex.
  static Result<Digest> from_hex(DigestAlgorithm algorithm, std::string_view hex);
  // The sha256 digest of `data`.
  static Digest of(std::string_view data);

  DigestAlgorithm algorithm() const { return algorithm_; }
  std::string_view algorithm_name() const { return digest_algorithm_name(algorithm_); }
  // The encoded part: lowercase hex.
  const std::string& hex() const { return hex_; }
  // "sha256:<hex>"; empty for an empty digest.
  std::string to_string() const;
  bool is_empty() const { return hex_.empty(); }

  auto operator<=>(const Digest&) const = default;
  bool operator==(const Digest&) const = default;

 private:
  Digest(DigestAlgorithm algorithm, std::string hex)
      : algorithm_(algorithm), hex_(std::move(hex)) {}

  DigestAlgorithm algorithm_ = DigestAlgorithm::kSha256;
  std::string hex_;
};

// Incremental hashing (OpenSSL EVP underneath).
class Hasher {
 public:
  explicit Hasher(DigestAlgorithm algorithm = DigestAlgorithm::kSha256);
  ~Hasher();
  Hasher(Hasher&&) noexcept;
  Hasher& operator=(Hasher&&) noexcept;
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;

  void update(std::string_view data);
  // The digest of everything so far. The hasher can keep being updated afterwards.
  Digest digest() const;
  DigestAlgorithm algorithm() const { return algorithm_; }

 private:
  struct Ctx;
  DigestAlgorithm algorithm_;
  std::unique_ptr<Ctx> ctx_;
};

// The common case, spelled as the OCI spec does.
class Sha256 : public Hasher {
 public:
  Sha256() : Hasher(DigestAlgorithm::kSha256) {}
};

// Counts and hashes what passes through on its way to `next` (which may be null: hash only).
class DigestingWriter final : public Writer {
 public:
  explicit DigestingWriter(Writer* next, DigestAlgorithm algorithm = DigestAlgorithm::kSha256)
      : next_(next), hasher_(algorithm) {}
  Status write(std::string_view data) override;
  Digest digest() const { return hasher_.digest(); }
  uint64_t size() const { return size_; }

 private:
  Writer* next_;
  Hasher hasher_;
  uint64_t size_ = 0;
};

// Counts and hashes what is read through it from `source`.
class DigestingReader final : public Reader {
 public:
  explicit DigestingReader(Reader& source, DigestAlgorithm algorithm = DigestAlgorithm::kSha256)
      : source_(source), hasher_(algorithm) {}
  Result<size_t> read(char* buf, size_t len) override;
  Digest digest() const { return hasher_.digest(); }
  uint64_t size() const { return size_; }

 private:
  Reader& source_;
  Hasher hasher_;
  uint64_t size_ = 0;
};

}  // namespace berth::store

template <>
struct std::hash<berth::store::Digest> {
  size_t operator()(const berth::store::Digest& d) const noexcept {
    return std::hash<std::string>()(d.hex());
  }
};
