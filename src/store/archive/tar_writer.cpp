#include "store/archive/tar_writer.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

namespace berth::store {

TarWriter::TarWriter(Writer& out) : out_(out) {
  archive_ = archive_write_new();
  archive_write_set_format_pax_restricted(archive_);
  // No blocking: every write goes straight out, and the archive ends right after the two zero
  // blocks instead of being padded to 10 KiB.
  archive_write_set_bytes_per_block(archive_, 0);
}

TarWriter::~TarWriter() {
  // archive_write_free would close (and write the end marker) if still open; only finish() may.
  if (opened_ && !finished_) archive_write_fail(archive_);
  archive_write_free(archive_);
}

long TarWriter::write_callback(struct archive* a, void* self, const void* buf, size_t len) {
  auto* writer = static_cast<TarWriter*>(self);
  auto status = writer->out_.write(std::string_view(static_cast<const char*>(buf), len));
  if (!status.ok()) {
    writer->sink_error_ = status.error();
    archive_set_error(a, EIO, "write failed");
    return -1;
  }
  return static_cast<long>(len);
}

Error TarWriter::archive_error(std::string_view what) {
  if (sink_error_) return Error(*sink_error_).context(what);
  const char* msg = archive_error_string(archive_);
  return make_error(ErrorCode::kInternal, "{}: {}", what, msg ? msg : "tar write failed");
}

Status TarWriter::add(const TarHeader& h) {
  if (!opened_) {
    opened_ = true;
    if (archive_write_open(archive_, this, nullptr, &TarWriter::write_callback, nullptr) !=
        ARCHIVE_OK) {
      return archive_error("open tar writer");
    }
  }
  struct archive_entry* e = archive_entry_new();
  archive_entry_copy_pathname(e, h.path.c_str());
  archive_entry_set_perm(e, static_cast<mode_t>(h.mode & 07777));
  archive_entry_set_uid(e, h.uid);
  archive_entry_set_gid(e, h.gid);
  archive_entry_set_mtime(e, h.mtime_sec, h.mtime_nsec);
  archive_entry_set_size(e, 0);
  switch (h.type) {
    case EntryType::kRegular:
      archive_entry_set_filetype(e, AE_IFREG);
      archive_entry_set_size(e, h.size);
      break;
    case EntryType::kDirectory: archive_entry_set_filetype(e, AE_IFDIR); break;
    case EntryType::kSymlink:
      archive_entry_set_filetype(e, AE_IFLNK);
      archive_entry_copy_symlink(e, h.link_target.c_str());
      break;
    case EntryType::kHardlink:
      archive_entry_set_filetype(e, AE_IFREG);
      archive_entry_copy_hardlink(e, h.link_target.c_str());
      break;
    case EntryType::kCharDevice:
    case EntryType::kBlockDevice:
      archive_entry_set_filetype(e, h.type == EntryType::kCharDevice ? AE_IFCHR : AE_IFBLK);
      archive_entry_set_rdevmajor(e, h.dev_major);
      archive_entry_set_rdevminor(e, h.dev_minor);
      break;
    case EntryType::kFifo: archive_entry_set_filetype(e, AE_IFIFO); break;
  }
  for (const auto& [name, value] : h.xattrs) {
    archive_entry_xattr_add_entry(e, name.c_str(), value.data(), value.size());
  }
  int r = archive_write_header(archive_, e);
  archive_entry_free(e);
  if (r < ARCHIVE_WARN) return archive_error("write tar header " + h.path);
  return {};
}

Status TarWriter::write_data(std::string_view data) {
  while (!data.empty()) {
    la_ssize_t n = archive_write_data(archive_, data.data(), data.size());
    if (n <= 0) return archive_error("write tar data");
    data.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

Status TarWriter::add_file(const TarHeader& header, int fd) {
  TRY(add(header));
  std::vector<char> buf(128 * 1024);
  int64_t left = header.size;
  while (left > 0) {
    ssize_t n = ::read(fd, buf.data(), static_cast<size_t>(std::min<int64_t>(left, buf.size())));
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_error("read " + header.path);
    }
    if (n == 0) {
      return make_error(ErrorCode::kConflict, "{} shrank while being archived", header.path);
    }
    TRY(write_data(std::string_view(buf.data(), static_cast<size_t>(n))));
    left -= n;
  }
  return {};
}

Status TarWriter::finish() {
  if (finished_) return {};
  if (!opened_) {
    opened_ = true;
    if (archive_write_open(archive_, this, nullptr, &TarWriter::write_callback, nullptr) !=
        ARCHIVE_OK) {
      return archive_error("open tar writer");
    }
  }
  finished_ = true;
  if (archive_write_close(archive_) != ARCHIVE_OK) return archive_error("finish tar");
  return {};
}

}  // namespace berth::store
