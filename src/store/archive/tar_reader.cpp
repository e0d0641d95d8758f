#include "store/archive/tar_reader.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

namespace berth::store {

namespace {
constexpr size_t kBlock = 64 * 1024;
}

TarReader::TarReader(Reader& source) : source_(source), buffer_(new char[kBlock]) {
  archive_ = archive_read_new();
  // tar only (ustar, pax, GNU); no filters: decompression happened before us.
  archive_read_support_format_tar(archive_);
}

TarReader::~TarReader() {
  archive_read_free(archive_);
}

long TarReader::read_callback(struct archive* a, void* self, const void** buffer) {
  auto* reader = static_cast<TarReader*>(self);
  auto n = reader->source_.read(reader->buffer_.get(), kBlock);
  if (!n.ok()) {
    reader->source_error_ = n.error();
    archive_set_error(a, EIO, "read failed");
    return -1;
  }
  *buffer = reader->buffer_.get();
  return static_cast<long>(*n);
}

Error TarReader::archive_error(std::string_view what) {
  if (source_error_) return Error(*source_error_).context(what);
  const char* msg = archive_error_string(archive_);
  return make_error(ErrorCode::kDataLoss, "{}: {}", what, msg ? msg : "corrupt tar archive");
}

Result<std::optional<TarHeader>> TarReader::next() {
  if (!opened_) {
    opened_ = true;
    if (archive_read_open(archive_, this, nullptr, &TarReader::read_callback, nullptr) !=
        ARCHIVE_OK) {
      return archive_error("open tar");
    }
  }
  struct archive_entry* e = nullptr;
  int r = archive_read_next_header(archive_, &e);
  if (r == ARCHIVE_EOF) return std::optional<TarHeader>();
  if (r < ARCHIVE_WARN) return archive_error("read tar header");
  TarHeader h;
  const char* path = archive_entry_pathname_utf8(e);
  if (path == nullptr) path = archive_entry_pathname(e);
  h.path = path ? path : "";
  h.mode = static_cast<uint32_t>(archive_entry_perm(e)) & 07777;
  h.uid = static_cast<uint32_t>(archive_entry_uid(e));
  h.gid = static_cast<uint32_t>(archive_entry_gid(e));
  h.mtime_sec = archive_entry_mtime(e);
  h.mtime_nsec = archive_entry_mtime_nsec(e);
  h.size = archive_entry_size_is_set(e) ? archive_entry_size(e) : 0;
  if (const char* hl = archive_entry_hardlink(e)) {
    h.type = EntryType::kHardlink;
    h.link_target = hl;
  } else {
    switch (archive_entry_filetype(e)) {
      case AE_IFDIR: h.type = EntryType::kDirectory; break;
      case AE_IFLNK:
        h.type = EntryType::kSymlink;
        if (const char* target = archive_entry_symlink(e)) h.link_target = target;
        break;
      case AE_IFCHR: h.type = EntryType::kCharDevice; break;
      case AE_IFBLK: h.type = EntryType::kBlockDevice; break;
      case AE_IFIFO: h.type = EntryType::kFifo; break;
      case AE_IFREG: h.type = EntryType::kRegular; break;
      default:
        return make_error(ErrorCode::kInvalidArgument, "tar entry {}: unsupported file type {:o}",
                          h.path, static_cast<unsigned>(archive_entry_filetype(e)));
    }
  }
  if (h.type == EntryType::kCharDevice || h.type == EntryType::kBlockDevice) {
    h.dev_major = static_cast<uint32_t>(archive_entry_rdevmajor(e));
    h.dev_minor = static_cast<uint32_t>(archive_entry_rdevminor(e));
  }
  if (h.type != EntryType::kRegular) h.size = 0;
  archive_entry_xattr_reset(e);
  const char* name = nullptr;
  const void* value = nullptr;
  size_t size = 0;
  while (archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK) {
    if (name != nullptr) {
      h.xattrs[name] = std::string(static_cast<const char*>(value), size);
    }
  }
  return std::optional<TarHeader>(std::move(h));
}

Result<size_t> TarReader::read_data(char* buf, size_t len) {
  la_ssize_t n = archive_read_data(archive_, buf, len);
  if (n < 0) return archive_error("read tar data");
  return static_cast<size_t>(n);
}

}  // namespace berth::store
