// A small tar reader and writer for `cp` (ustar with PAX records for long names and big
// sizes, and GNU long-name entries on reading), streaming: entries are read and written one
// at a time, file contents in pieces.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "http/body_reader.h"

namespace berth::cli {

struct TarHeader {
  std::string name;
  std::string linkname;
  char type = '0';  // '0' file, '1' hard link, '2' symlink, '3' char, '4' block, '5' dir, '6' fifo
  uint32_t mode = 0644;
  int64_t uid = 0;
  int64_t gid = 0;
  int64_t size = 0;
  int64_t mtime = 0;
  std::string uname;
  std::string gname;
  uint32_t devmajor = 0;
  uint32_t devminor = 0;
};

class TarReader {
 public:
  explicit TarReader(http::BodyReader& in) : in_(in) {}
  // The next entry's header; nullopt at the end of the archive.
  Result<std::optional<TarHeader>> next();
  // Reads the current entry's contents (up to `len` bytes; 0 at its end).
  Result<size_t> read(char* buf, size_t len);

 private:
  Status read_full(char* buf, size_t len, bool* eof);
  Status skip(int64_t n);

  http::BodyReader& in_;
  int64_t remaining_ = 0;  // content bytes left in the current entry
  int64_t padding_ = 0;    // block padding after them
};

class TarWriter {
 public:
  using Sink = std::function<Status(std::string_view)>;
  explicit TarWriter(Sink sink) : sink_(std::move(sink)) {}
  Status write_header(const TarHeader& h);
  Status write(std::string_view data);
  // Ends the current entry (pads it) and writes the end-of-archive blocks.
  Status close();

 private:
  Status finish_entry();

  Sink sink_;
  int64_t written_ = 0;
  int64_t expected_ = 0;
};

}  // namespace berth::cli
