#include "logging/file_log_reader.h"

#include <sys/stat.h>

#include "base/log.h"
#include "logging/gzip_file.h"
#include "logging/json_file_codec.h"
#include "logging/local_codec.h"
#include "logging/log_tail.h"

namespace berth::logging {
namespace {

constexpr int64_t kNanos = 1'000'000'000;

// The newest record a rotated file can hold is no newer than its last write. mtime comes from
// the kernel's coarse clock, which may lag the writer's timestamps by a tick: hence the margin.
bool ends_before(const LogFile& f, int64_t since_ns) {
  if (f.compressed) {
    int64_t last = read_gzip_meta(f.fd.get()).last_time_ns;
    return last > 0 && last < since_ns;
  }
  int64_t mtime = static_cast<int64_t>(f.st.st_mtim.tv_sec) * kNanos + f.st.st_mtim.tv_nsec;
  return mtime + kNanos < since_ns;
}

std::unique_ptr<RecordSource> whole_file(LogFile f, RecordFormat format, int64_t limit) {
  if (f.compressed) return RecordSource::gzip(std::move(f), format, 0);
  return RecordSource::plain(std::move(f), format, 0, limit);
}

}  // namespace

FileLogReader::FileLogReader(RecordFormat format, std::string path, const ReadOptions& options)
    : format_(format), path_(std::move(path)), options_(options) {}

Result<std::unique_ptr<LogReader>> FileLogReader::open(RecordFormat format, std::string path,
                                                       const ReadOptions& options) {
  std::unique_ptr<FileLogReader> reader(new FileLogReader(format, std::move(path), options));
  // Watch before the first look at the files, so no write in between goes unnoticed.
  if (options.follow)
    reader->waiter_ = TRY(ChangeWaiter::create(reader->path_, options.writer_gone_fd));
  TRY(reader->start());
  return std::unique_ptr<LogReader>(std::move(reader));
}

void FileLogReader::remember_followed(const LogFile& f) {
  followed_fd_ = f.compressed ? UniqueFd() : UniqueFd(::dup(f.fd.get()));
  followed_dev_ = f.st.st_dev;
  followed_ino_ = origin_inode(f);
  live_ = options_.follow && f.index == 0;
  if (live_) {
    live_dev_ = f.st.st_dev;
    live_ino_ = f.st.st_ino;
  }
}

Status FileLogReader::start() {
  std::vector<LogFile> files = TRY(open_log_files(path_));
  if (options_.since_ns > 0) {
    std::erase_if(
        files, [&](const LogFile& f) { return f.index != 0 && ends_before(f, options_.since_ns); });
  }
  if (files.empty()) return ok_status();
  remember_followed(files.back());
  // Without follow, the file being written is read only up to where it ends now.
  auto limit_of = [&](const LogFile& f) -> int64_t {
    return f.index == 0 && !options_.follow ? f.st.st_size : -1;
  };
  if (options_.tail < 0) {
    for (LogFile& f : files) {
      int64_t limit = limit_of(f);
      sources_.push_back(whole_file(std::move(f), format_, limit));
    }
    return ok_status();
  }
  // Newest first, until enough records are found; a follower always gets the newest file, if
  // only to wait at its end.
  int64_t need = options_.tail;
  for (size_t i = files.size(); i-- > 0;) {
    bool newest = i + 1 == files.size();
    if (need == 0 && !(newest && options_.follow)) break;
    LogFile& f = files[i];
    if (f.compressed) {
      int64_t count = TRY(count_gzip_records(f, format_));
      int64_t take = std::min(count, need);
      need -= take;
      sources_.push_front(RecordSource::gzip(std::move(f), format_, count - take));
    } else {
      int64_t limit = limit_of(f);
      TailStart at = TRY(find_tail(f.fd.get(), format_, f.st.st_size, need));
      need -= at.records;
      sources_.push_front(RecordSource::plain(std::move(f), format_, at.offset, limit));
    }
  }
  return ok_status();
}

bool FileLogReader::queue_successors(std::vector<LogFile> files) {
  size_t start = 0;
  if (followed_ino_ != 0) {
    for (size_t i = files.size(); i-- > 0;) {
      if (files[i].st.st_dev == followed_dev_ && origin_inode(files[i]) == followed_ino_) {
        start = i + 1;
        break;
      }
    }
  }
  // When the followed file is not found it was deleted (rotated out, or max-file=1), so every
  // file there is newer than it: start = 0.
  if (start >= files.size()) return false;
  remember_followed(files.back());
  for (size_t i = start; i < files.size(); ++i)
    sources_.push_back(whole_file(std::move(files[i]), format_, -1));
  return true;
}

Status FileLogReader::follow_step() {
  if (final_pass_) {
    done_ = true;
    return ok_status();
  }
  // Sampled before looking at the files: whatever the writer did before it left is visible to
  // the looks that follow.
  bool gone = waiter_->writer_gone();
  struct stat st {};
  bool exists = ::stat(path_.c_str(), &st) == 0;
  bool replaced = exists ? !(live_ && st.st_ino == live_ino_ && st.st_dev == live_dev_) : live_;
  if (replaced) {
    // Rotated: the writer renamed the file away (after its last write to it) and creates a new
    // one. The old source, no longer live, is read to its end, then the files after it.
    bool was_live = live_;
    live_ = false;
    bool queued = queue_successors(TRY(open_log_files(path_)));
    if (queued || was_live) return ok_status();
  }
  if (gone) {
    final_pass_ = true;
    return ok_status();
  }
  return waiter_->wait();
}

bool FileLogReader::wanted_stream(Stream s) const {
  return s == Stream::kStdout ? options_.show_stdout : options_.show_stderr;
}

Result<std::optional<LogMessage>> FileLogReader::read_one() {
  while (!done_) {
    if (stopped_.load()) {
      done_ = true;
      break;
    }
    if (!sources_.empty()) {
      RecordSource& source = *sources_.front();
      std::optional<std::string_view> record = TRY(source.next());
      if (record) {
        Result<LogMessage> msg = format_ == RecordFormat::kJsonLines
                                     ? parse_json_log_record(*record, options_.details)
                                     : parse_local_entry(*record);
        if (!msg.ok()) {
          // A torn write (the shim killed mid-record, then restarted appending) costs that
          // record, not the rest of the log.
          log::debug("{}: skipping a record: {}", source.file().name, msg.error().message());
          continue;
        }
        if (options_.since_ns > 0 && msg->time_ns < options_.since_ns) continue;
        if (options_.until_ns > 0 && msg->time_ns > options_.until_ns) {
          done_ = true;
          break;
        }
        if (!wanted_stream(msg->stream)) continue;
        return std::optional<LogMessage>(msg.take());
      }
      if (!(live_ && sources_.size() == 1)) {
        sources_.pop_front();
        continue;
      }
    }
    if (!options_.follow) {
      done_ = true;
      break;
    }
    TRY(follow_step());
  }
  return std::optional<LogMessage>();
}

Result<std::optional<LogMessage>> FileLogReader::next() {
  auto r = read_one();
  if (!r.ok()) done_ = true;
  return r;
}

void FileLogReader::stop() {
  stopped_.store(true);
  if (waiter_) waiter_->stop();
}

void FileLogReader::writer_closed() {
  if (waiter_) waiter_->writer_closed();
}

}  // namespace berth::logging
