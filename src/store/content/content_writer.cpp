#include "store/content/content_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "base/file_util.h"
#include "store/fs/dir_ops.h"

namespace berth::store {

ContentWriter::ContentWriter(std::string ref, std::string ingest_path, std::string blobs_root,
                             UniqueFd fd, std::optional<Digest> expected,
                             std::optional<uint64_t> expected_size)
    : ref_(std::move(ref)),
      ingest_path_(std::move(ingest_path)),
      blobs_root_(std::move(blobs_root)),
      fd_(std::move(fd)),
      expected_(std::move(expected)),
      expected_size_(expected_size),
      hasher_(expected_ ? expected_->algorithm() : DigestAlgorithm::kSha256) {}

ContentWriter::~ContentWriter() {
  abort();
}

ContentWriter& ContentWriter::operator=(ContentWriter&& other) noexcept {
  if (this != &other) {
    abort();
    ref_ = std::move(other.ref_);
    ingest_path_ = std::move(other.ingest_path_);
    blobs_root_ = std::move(other.blobs_root_);
    fd_ = std::move(other.fd_);
    expected_ = std::move(other.expected_);
    expected_size_ = other.expected_size_;
    hasher_ = std::move(other.hasher_);
    size_ = other.size_;
    done_ = other.done_;
  }
  return *this;
}

void ContentWriter::abort() {
  if (done_ || !fd_) return;
  done_ = true;
  // Unlink while still holding the flock, so a new writer for the same ref never opens a path
  // that is about to vanish.
  ::unlink(ingest_path_.c_str());
  fd_.reset();
}

Status ContentWriter::write(std::string_view data) {
  if (done_) return make_error(ErrorCode::kFailedPrecondition, "ingest {} is closed", ref_);
  if (expected_size_ && size_ + data.size() > *expected_size_) {
    abort();
    return make_error(ErrorCode::kInvalidArgument, "ingest {}: more data than the expected size {}",
                      ref_, *expected_size_);
  }
  auto status = FdWriter(fd_.get()).write(data);
  if (!status.ok()) {
    abort();
    return std::move(status.error().with_context("ingest " + ref_));
  }
  hasher_.update(data);
  size_ += data.size();
  return {};
}

Result<Digest> ContentWriter::commit() {
  if (done_) return make_error(ErrorCode::kFailedPrecondition, "ingest {} is closed", ref_);
  if (expected_size_ && size_ != *expected_size_) {
    abort();
    return make_error(ErrorCode::kInvalidArgument, "ingest {}: size {} does not match expected {}",
                      ref_, size_, *expected_size_);
  }
  Digest actual = hasher_.digest();
  if (expected_ && actual != *expected_) {
    abort();
    return make_error(ErrorCode::kDataLoss, "ingest {}: digest {} does not match expected {}", ref_,
                      actual.to_string(), expected_->to_string());
  }
  std::string dir = path_join(blobs_root_, actual.algorithm_name());
  std::string target = path_join(dir, actual.hex());
  auto fail = [&](Error error) -> Result<Digest> {
    abort();
    return std::move(error.with_context("commit " + actual.to_string()));
  };
  if (::fchmod(fd_.get(), 0444) != 0) return fail(errno_error("chmod"));
  if (::fsync(fd_.get()) != 0) return fail(errno_error("fsync"));
  if (auto st = make_dirs(dir); !st.ok()) return fail(std::move(st).error());
  // RENAME_NOREPLACE: the first committer of a digest wins; later ones find it there. Either
  // way the content is identical, so both report success.
  if (::renameat2(AT_FDCWD, ingest_path_.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) !=
      0) {
    if (errno != EEXIST) return fail(errno_error("rename"));
    abort();
    return actual;
  }
  done_ = true;
  fd_.reset();
  if (auto st = fs::fsync_dir(dir); !st.ok()) return std::move(st).error();
  return actual;
}

}  // namespace berth::store
