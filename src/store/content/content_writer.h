// An ingest in progress: bytes go to <root>/ingest/<sha256(ref)>, hashed and counted as they
// arrive; commit() verifies them, fsyncs, and renames the file to its digest's path. Until then
// nothing is visible under a digest, and an abandoned writer removes its ingest file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/result.h"
#include "base/unique_fd.h"
#include "store/digest.h"
#include "store/stream.h"

namespace berth::store {

class ContentStore;

class ContentWriter final : public Writer {
 public:
  ContentWriter(ContentWriter&&) noexcept = default;
  ContentWriter& operator=(ContentWriter&& other) noexcept;
  // Removes the ingest file unless commit() succeeded.
  ~ContentWriter() override;

  // Appends to the ingest. Fails (kInvalidArgument) as soon as more bytes arrive than the
  // expected size.
  Status write(std::string_view data) override;

  // Verifies size (kInvalidArgument on mismatch) and digest (kDataLoss on mismatch), fsyncs,
  // makes the file read-only and renames it into place. On any failure the ingest is removed.
  // If the blob already exists (another writer won), the ingest is dropped and this succeeds.
  Result<Digest> commit();

  // Drops the ingest now.
  void abort();

  const std::string& ref() const { return ref_; }
  uint64_t size() const { return size_; }
  // The digest of the bytes written so far.
  Digest digest() const { return hasher_.digest(); }

 private:
  friend class ContentStore;
  ContentWriter(std::string ref, std::string ingest_path, std::string blobs_root, UniqueFd fd,
                std::optional<Digest> expected, std::optional<uint64_t> expected_size);

  std::string ref_;
  std::string ingest_path_;
  std::string blobs_root_;
  UniqueFd fd_;
  std::optional<Digest> expected_;
  std::optional<uint64_t> expected_size_;
  Hasher hasher_;
  uint64_t size_ = 0;
  bool done_ = false;
};

}  // namespace berth::store
