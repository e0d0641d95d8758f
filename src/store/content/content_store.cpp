#include "store/content/content_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "base/file_util.h"
#include "base/log.h"
#include "store/fs/dir_ops.h"

namespace berth::store {

namespace {

constexpr const char* kBlobsDir = "blobs";
constexpr const char* kIngestDir = "ingest";

}  // namespace

Result<ContentStore> ContentStore::open(const std::string& root) {
  ContentStore store(root);
  TRY_CTX(make_dirs(path_join(root, kBlobsDir) + "/sha256", 0755), "content store " + root);
  TRY_CTX(make_dirs(path_join(root, kIngestDir), 0700), "content store " + root);
  TRY_CTX(store.remove_stale_ingests(), "content store " + root);
  return store;
}

Status ContentStore::remove_stale_ingests() {
  auto dir = TRY(fs::open_dir(path_join(root_, kIngestDir)));
  auto names = TRY(fs::list_dir(dir.get()));
  for (const auto& name : names) {
    UniqueFd fd(::openat(dir.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
    if (!fd) {
      // Not a regular file we can open (a stray directory or symlink): not ours, remove it.
      TRY(fs::remove_tree_at(dir.get(), name));
      continue;
    }
    // A live writer (in this or another process) holds the lock; leave its file alone.
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) continue;
    log::debug("content store: removing stale ingest {}", name);
    if (::unlinkat(dir.get(), name.c_str(), 0) != 0 && errno != ENOENT) {
      return errno_error("remove stale ingest " + name);
    }
  }
  return {};
}

std::string ContentStore::blob_path(const Digest& digest) const {
  return path_join(path_join(path_join(root_, kBlobsDir), digest.algorithm_name()), digest.hex());
}

Result<ContentWriter> ContentStore::writer(std::string_view ref, std::optional<Digest> expected,
                                           std::optional<uint64_t> expected_size) {
  if (ref.empty()) return make_error(ErrorCode::kInvalidArgument, "empty ingest ref");
  // The ref is arbitrary text; its hash is a safe file name.
  std::string path = path_join(path_join(root_, kIngestDir), Digest::of(ref).hex());
  // Open, lock, then check the path still names the locked file: a concurrent abort or stale
  // cleanup may have unlinked it between our open and our lock.
  for (int attempt = 0; attempt < 8; ++attempt) {
    UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!fd) return errno_error("open ingest " + std::string(ref));
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
      if (errno == EWOULDBLOCK) {
        return make_error(ErrorCode::kConflict, "ingest {} is already in progress", ref);
      }
      return errno_error("lock ingest " + std::string(ref));
    }
    struct stat by_fd {
    }, by_path{};
    if (::fstat(fd.get(), &by_fd) != 0) return errno_error("stat ingest");
    if (::stat(path.c_str(), &by_path) != 0 || by_fd.st_ino != by_path.st_ino ||
        by_fd.st_dev != by_path.st_dev) {
      continue;
    }
    // Resuming is not supported: a new writer starts from zero.
    if (::ftruncate(fd.get(), 0) != 0) return errno_error("truncate ingest");
    return ContentWriter(std::string(ref), path, path_join(root_, kBlobsDir), std::move(fd),
                         std::move(expected), expected_size);
  }
  return make_error(ErrorCode::kUnavailable, "ingest {}: lock kept changing", ref);
}

bool ContentStore::exists(const Digest& digest) const {
  struct stat st {};
  return !digest.is_empty() && ::lstat(blob_path(digest).c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

Result<BlobInfo> ContentStore::info(const Digest& digest) const {
  struct stat st {};
  if (digest.is_empty() || ::lstat(blob_path(digest).c_str(), &st) != 0) {
    return make_error(ErrorCode::kNotFound, "blob {} not found", digest.to_string());
  }
  BlobInfo info;
  info.digest = digest;
  info.size = static_cast<uint64_t>(st.st_size);
  info.modified_unix_nanos =
      static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  return info;
}

Result<UniqueFd> ContentStore::open_blob(const Digest& digest) const {
  if (digest.is_empty()) return make_error(ErrorCode::kInvalidArgument, "empty digest");
  UniqueFd fd(::open(blob_path(digest).c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT) {
      return make_error(ErrorCode::kNotFound, "blob {} not found", digest.to_string());
    }
    return errno_error("open blob " + digest.to_string());
  }
  return fd;
}

Result<std::string> ContentStore::read_blob(const Digest& digest, uint64_t max_size) const {
  auto fd = TRY(open_blob(digest));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return errno_error("stat blob " + digest.to_string());
  if (static_cast<uint64_t>(st.st_size) > max_size) {
    return make_error(ErrorCode::kResourceExhausted, "blob {} is {} bytes, more than the limit {}",
                      digest.to_string(), st.st_size, max_size);
  }
  std::string out;
  StringWriter sink(&out);
  FdReader source(fd.get());
  TRY_CTX(copy_stream(source, sink), "read blob " + digest.to_string());
  return out;
}

Result<Digest> ContentStore::write_blob(std::string_view bytes, std::optional<Digest> expected) {
  if (expected && exists(*expected)) {
    Hasher hasher(expected->algorithm());
    hasher.update(bytes);
    if (hasher.digest() != *expected) {
      return make_error(ErrorCode::kDataLoss, "content does not match digest {}",
                        expected->to_string());
    }
    return *expected;
  }
  // A unique ref: concurrent write_blob calls of the same bytes must not conflict on the ingest.
  std::string ref = "write-blob-" + fs::random_id(20);
  auto w = TRY(writer(ref, expected, bytes.size()));
  TRY(w.write(bytes));
  return w.commit();
}

Result<std::vector<BlobInfo>> ContentStore::list() const {
  std::vector<BlobInfo> out;
  for (auto alg : {DigestAlgorithm::kSha256, DigestAlgorithm::kSha512}) {
    std::string dir_path = path_join(path_join(root_, kBlobsDir), digest_algorithm_name(alg));
    if (!path_exists(dir_path)) continue;
    auto dir = TRY(fs::open_dir(dir_path));
    for (const auto& name : TRY(fs::list_dir(dir.get()))) {
      auto digest = Digest::from_hex(alg, name);
      if (!digest.ok()) continue;  // not a blob (nothing else is written here)
      auto blob = info(*digest);
      if (blob.ok()) out.push_back(blob.take());
    }
  }
  std::sort(out.begin(), out.end(),
            [](const BlobInfo& a, const BlobInfo& b) { return a.digest < b.digest; });
  return out;
}

Status ContentStore::remove(const Digest& digest) {
  if (digest.is_empty() || ::unlink(blob_path(digest).c_str()) != 0) {
    if (digest.is_empty() || errno == ENOENT) {
      return make_error(ErrorCode::kNotFound, "blob {} not found", digest.to_string());
    }
    return errno_error("remove blob " + digest.to_string());
  }
  return {};
}

Result<GcStats> ContentStore::garbage_collect(const std::set<Digest>& keep) {
  GcStats stats;
  for (const auto& blob : TRY(list())) {
    if (keep.count(blob.digest)) continue;
    auto status = remove(blob.digest);
    if (!status.ok() && status.error().code() != ErrorCode::kNotFound) return status.error();
    if (status.ok()) {
      ++stats.blobs_removed;
      stats.bytes_freed += blob.size;
    }
  }
  return stats;
}

}  // namespace berth::store
