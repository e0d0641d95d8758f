// Helpers for the logging tests: temp dirs, whole-file reads, gunzip, draining a reader.
#pragma once

#include <dirent.h>
#include <stdlib.h>
#include <zlib.h>

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/file_util.h"
#include "logging/log_reader.h"
#include "logging/log_writer.h"

namespace berth::logging::test {

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/berth-logging-XXXXXX";
    char* p = ::mkdtemp(tmpl);
    EXPECT_NE(p, nullptr);
    path_ = tmpl;
  }
  ~TempDir() { (void)remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_join(path_, rel); }

 private:
  std::string path_;
};

inline std::vector<std::string> list_dir(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return names;
  while (struct dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

inline std::string slurp(const std::string& path) {
  auto r = read_file(path);
  EXPECT_TRUE(r.ok()) << path;
  return r.ok() ? *r : std::string();
}

inline std::string gunzip(const std::string& data) {
  z_stream zs{};
  EXPECT_EQ(inflateInit2(&zs, 15 + 16), Z_OK);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buf[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof(buf);
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof(buf) - zs.avail_out);
  }
  EXPECT_EQ(rc, Z_STREAM_END);
  inflateEnd(&zs);
  return out;
}

inline LogMessage message(std::string line, int64_t time_ns, Stream stream = Stream::kStdout) {
  LogMessage m;
  m.stream = stream;
  m.line = std::move(line);
  m.time_ns = time_ns;
  return m;
}

inline std::unique_ptr<LogWriter> writer(const std::string& driver, const std::string& path,
                                         const LogOptions& options = {},
                                         const ContainerInfo& info = {}) {
  auto w = make_log_writer(driver, path, options, info);
  EXPECT_TRUE(w.ok()) << (w.ok() ? "" : w.error().to_string());
  return w.ok() ? w.take() : nullptr;
}

// Everything a (non-following) reader yields.
inline std::vector<LogMessage> read_all(const std::string& driver, const std::string& path,
                                        const ReadOptions& options = {}) {
  std::vector<LogMessage> out;
  auto reader = open_log_reader(driver, path, options);
  EXPECT_TRUE(reader.ok()) << (reader.ok() ? "" : reader.error().to_string());
  if (!reader.ok()) return out;
  for (;;) {
    auto m = (*reader)->next();
    EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().to_string());
    if (!m.ok() || !m->has_value()) break;
    out.push_back(std::move(**m));
  }
  return out;
}

inline std::vector<std::string> lines_of(const std::vector<LogMessage>& msgs) {
  std::vector<std::string> out;
  for (const LogMessage& m : msgs) out.push_back(m.line);
  return out;
}

}  // namespace berth::logging::test
