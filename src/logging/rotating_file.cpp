#include "logging/rotating_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "logging/gzip_file.h"

namespace berth::logging {
namespace {

UniqueFd open_for_append(const std::string& path, int extra_flags) {
  return UniqueFd(
      ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | extra_flags, kLogFileMode));
}

bool remove_if_exists(const std::string& path) {
  return ::unlink(path.c_str()) == 0 || errno == ENOENT;
}

}  // namespace

RotatingFile::RotatingFile(std::string path, const LogFileConfig& config, UniqueFd fd, int64_t size)
    : path_(std::move(path)), config_(config), fd_(std::move(fd)), size_(size) {}

Result<RotatingFile> RotatingFile::open(std::string path, const LogFileConfig& config) {
  UniqueFd fd = open_for_append(path, 0);
  if (!fd) return errno_error("open log file " + path);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return errno_error("stat log file " + path);
  RotatingFile file(std::move(path), config, std::move(fd), st.st_size);
  if (config.compress && config.max_files > 1) {
    // A crash between rotating and compressing leaves <path>.1 (and maybe a .gz.tmp); a crash
    // after the .gz was renamed into place leaves both.
    std::string plain = file.rotated_name(1, false);
    std::string gz = file.rotated_name(1, true);
    ::unlink((gz + ".tmp").c_str());
    if (::access(plain.c_str(), F_OK) == 0) {
      if (::access(gz.c_str(), F_OK) == 0)
        remove_if_exists(plain);
      else
        TRY(compress_log_file(plain, 0, kLogFileMode));
    }
  }
  return file;
}

std::string RotatingFile::rotated_name(int n, bool gz) const {
  std::string name = path_ + "." + std::to_string(n);
  if (gz) name += ".gz";
  return name;
}

Status RotatingFile::rotate() {
  // Readers may still be going through the current file, so it is moved aside, never
  // truncated; they notice that <path> is a new file.
  if (config_.max_files < 2) {
    if (!remove_if_exists(path_)) return errno_error("remove " + path_);
  } else {
    bool gz = config_.compress;
    std::string oldest = rotated_name(config_.max_files - 1, gz);
    if (!remove_if_exists(oldest)) return errno_error("remove " + oldest);
    for (int i = config_.max_files - 1; i > 1; --i) {
      std::string from = rotated_name(i - 1, gz);
      if (::rename(from.c_str(), rotated_name(i, gz).c_str()) != 0 && errno != ENOENT)
        return errno_error("rename " + from);
    }
    if (::rename(path_.c_str(), rotated_name(1, false).c_str()) != 0 && errno != ENOENT)
      return errno_error("rename " + path_);
  }
  // O_TRUNC in case the rename failed half-way: never append past max_size forever.
  UniqueFd fd = open_for_append(path_, O_TRUNC);
  if (!fd) return errno_error("open log file " + path_);
  fd_ = std::move(fd);
  size_ = 0;
  if (config_.compress && config_.max_files > 1)
    TRY(compress_log_file(rotated_name(1, false), last_time_ns_, kLogFileMode));
  return ok_status();
}

Status RotatingFile::write(std::string_view record, int64_t time_ns) {
  if (!fd_)
    return Error(ErrorCode::kFailedPrecondition, "cannot write because the output file was closed");
  // A failed rotation (or compression) must not cost the record: write it anyway, to whichever
  // file is open, and report the failure afterwards.
  Status rotation;
  if (config_.max_size >= 0 && size_ >= config_.max_size) rotation = rotate();
  const char* p = record.data();
  size_t left = record.size();
  while (left > 0) {
    ssize_t n = ::write(fd_.get(), p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_error("error writing log entry");
    }
    p += n;
    left -= static_cast<size_t>(n);
    size_ += n;
  }
  last_time_ns_ = time_ns;
  if (!rotation.ok()) return std::move(rotation).error().context("error rotating log file");
  return ok_status();
}

Status RotatingFile::close() {
  fd_.reset();
  return ok_status();
}

}  // namespace berth::logging
